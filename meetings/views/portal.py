"""The member's own pages (phone first): tasks, upcoming meetings with replies, library."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from meetings.models import LeadPaperStatus, Member, ReceiptVia
from meetings.periods import quarter_of
from meetings.permissions import PREPARE, access_for, contribution_for_user, meeting_for_user
from meetings.selectors import library as library_selectors
from meetings.selectors import portal as selectors
from meetings.selectors.home import days_left_text
from meetings.services.contributions import contribution_submit
from meetings.services.receipts import materials_receipt_record
from meetings.services.replies import attendance_reply_set
from meetings.views._common import error_messages


def _me(request) -> Member:
    access = access_for(request.user)
    if not access.member_id:
        raise Http404("Tài khoản này không gắn với đảng viên nào.")
    member = getattr(request.user, "member", None)  # loaded with the user by chibo.security.auth
    if member is not None and member.pk == access.member_id:
        return member
    return Member.objects.select_related("cell").get(pk=access.member_id)


@login_required
def my_tasks(request):
    member = _me(request)
    return render(
        request,
        "meetings/portal/tasks.html",
        {
            "member": member,
            "lead_papers": selectors.member_lead_papers(member=member),
            "contributions": selectors.member_contributions(member=member),
        },
    )


@login_required
def contribution_edit(request, pk):
    contribution = contribution_for_user(request.user, pk, own=True)
    errors = []
    text = contribution.text
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            contribution_submit(
                contribution=contribution, actor=request.user, text=text, file=request.FILES.get("file")
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            errors = error_messages(exc)
        else:
            messages.success(request, "Đã nộp tham luận.")
            return redirect("portal:tasks")
    return render(
        request,
        "meetings/portal/contribution.html",
        {
            "contribution": contribution,
            "text": text,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def contribution_file(request, pk):
    contribution = contribution_for_user(request.user, pk)
    if not contribution.file:
        raise Http404
    return FileResponse(
        contribution.file.open("rb"),
        as_attachment=True,
        filename=f"tham-luan-{contribution.pk}{Path(contribution.file.name).suffix}",
    )


@login_required
def my_meetings(request):
    member = _me(request)
    one = request.GET.get("buoi", "")
    if one:
        # The notice and the reminders link here: that one meeting, its reply first.
        meeting = _my_meeting(member, one)
        if not meeting.materials_opened:  # the first opening only: later visits write nothing
            via = ReceiptVia.EMAIL if request.GET.get("tu") == "thu" else ReceiptVia.PORTAL
            materials_receipt_record(meeting=meeting, member_id=member.pk, via=via)
        return _meeting_page(request, member, meeting)
    meetings = list(selectors.member_meetings(member=member))
    for meeting in meetings:
        meeting.my_reply = meeting.my_replies[0] if meeting.my_replies else None
    return render(request, "meetings/portal/meetings.html", {"member": member, "meetings": meetings})


def _my_meeting(member, raw_pk):
    """The member's own cell's meeting; another cell's or a missing one answers 404 alike."""
    raw_pk = str(raw_pk).strip()
    pk = int(raw_pk) if raw_pk.isascii() and raw_pk.isdigit() and len(raw_pk) <= 18 else 0
    meeting = selectors.member_meeting(member=member, pk=pk) if pk else None
    if meeting is None:
        raise Http404
    return meeting


def _meeting_page(request, member, meeting, *, status=200, **reply_state):
    reply = meeting.my_replies[0] if meeting.my_replies else None
    topic = meeting.topic
    mine = [c for c in topic.contributions.all() if c.member_id == member.pk] if topic else []
    today = timezone.localdate()
    for c in mine:
        c.days_left = days_left_text(c.due_on, today) if c.due_on and not c.submitted_at else ""
    context = {
        "member": member,
        "meeting": meeting,
        "reply": reply,
        "my_contributions": mine,
        # The lead paper is the member's task while it is still to be written.
        "my_lead_paper": topic is not None
        and topic.lead_author_id == member.pk
        and topic.lead_paper_status == LeadPaperStatus.ASSIGNED,
        "outcome": selectors.member_meeting_outcome(meeting=meeting),
        **reply_state,
    }
    return render(request, "meetings/portal/meeting.html", context, status=status)


def _reply_state(exc: ValidationError, *, reason_given: bool) -> dict:
    """A refused reply: "cannot attend" without a reason asks for it (an error only when the
    reason field was there and left empty); anything else is shown as an error."""
    by_field = getattr(exc, "error_dict", {})
    if "reason" in by_field:
        return {"ask_reason": True, "reason_error": " ".join(by_field["reason"][0].messages) if reason_given else ""}
    return {"errors": error_messages(exc)}


@login_required
@require_POST
def meeting_reply(request, pk):
    member = _me(request)
    meeting = meeting_for_user(request.user, pk)
    if meeting.cell_id != member.cell_id:
        raise Http404
    will_attend = request.POST.get("will_attend") == "1"
    reason = request.POST.get("reason", "")
    try:
        reply = attendance_reply_set(meeting=meeting, member=member, will_attend=will_attend, reason=reason)
    except ValidationError as exc:
        state = _reply_state(exc, reason_given="reason" in request.POST)
        if request.htmx:
            current = selectors.member_reply(member=member, meeting_id=meeting.pk)
            # 200, not 400: htmx swaps only successful answers, and the member must see the
            # question or the refusal where they tapped.
            return render(
                request,
                "meetings/portal/_reply.html",
                {"meeting": meeting, "reply": current, "reason": reason, **state},
            )
        return _meeting_page(
            request,
            member,
            _my_meeting(member, meeting.pk),
            status=200 if state.get("ask_reason") and not state["reason_error"] else 400,
            reason=reason,
            **state,
        )
    if request.htmx:
        return render(request, "meetings/portal/_reply.html", {"meeting": meeting, "reply": reply, "saved": True})
    messages.success(request, "Đã ghi nhận: sẽ tham dự." if will_attend else "Đã ghi nhận: không dự được.")
    return redirect(f"{reverse('portal:meetings')}?buoi={meeting.pk}#tra-loi")


@login_required
def library(request):
    member = _me(request)
    query = request.GET.get("q", "")[:200]
    topics = library_selectors.library_topics(cell_id=member.cell_id, query=query, cell_path=member.cell.path)
    return render(
        request,
        "meetings/library/list.html",
        {
            "member": member,
            "query": query,
            "topics": topics[:100],
        },
    )


@login_required
def library_detail(request, pk):
    member = _me(request)
    topic = library_selectors.library_topic(cell_id=member.cell_id, pk=pk, cell_path=member.cell.path)
    if topic is None:
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "meetings/library/detail.html",
        {
            "topic": topic,
            "meeting": topic.meeting,
            # Another cell's exemplary topic: its files stay behind that cell's own pages.
            "own": topic.cell_id == member.cell_id,
            "can_use": access_for(request.user).can(PREPARE, member.cell_id),
            "quarters": [1, 2, 3, 4],
            "this_quarter": quarter_of(today),
            "this_year": today.year,
        },
    )


@login_required
def library_pdf(request, pk):
    from meetings.documents import PdfRenderTimeout
    from meetings.documents.topics import render_topic_pdf

    member = _me(request)
    topic = library_selectors.library_topic(cell_id=member.cell_id, pk=pk, cell_path=member.cell.path)
    if topic is None:
        raise Http404
    try:
        data = render_topic_pdf(topic)
    except PdfRenderTimeout as exc:  # shown on the topic's page, not a 500
        messages.error(request, exc.messages[0])
        return redirect("library:detail", pk=topic.pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chuyen-de-{topic.pk}.pdf"'
    return response
