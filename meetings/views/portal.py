"""The member's own pages (phone first): tasks, upcoming meetings with replies, library."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from meetings.models import Member
from meetings.permissions import access_for, contribution_for_user, meeting_for_user
from meetings.selectors import library as library_selectors
from meetings.selectors import portal as selectors
from meetings.services.contributions import contribution_submit
from meetings.services.replies import attendance_reply_set
from meetings.views._common import error_messages, flash_errors


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
    meetings = list(selectors.member_meetings(member=member))
    for meeting in meetings:
        meeting.my_reply = meeting.my_replies[0] if meeting.my_replies else None
    return render(request, "meetings/portal/meetings.html", {"member": member, "meetings": meetings})


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
        if request.htmx:
            return render(
                request,
                "meetings/portal/_reply.html",
                {
                    "meeting": meeting,
                    "reply": None,
                    "errors": error_messages(exc),
                    "reason": reason,
                },
                status=400,
            )
        flash_errors(request, exc)
        return redirect("portal:meetings")
    if request.htmx:
        return render(request, "meetings/portal/_reply.html", {"meeting": meeting, "reply": reply})
    messages.success(request, "Đã ghi nhận: sẽ tham dự." if will_attend else "Đã ghi nhận: không thể tham dự.")
    return redirect("portal:meetings")


@login_required
def library(request):
    member = _me(request)
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "meetings/library/list.html",
        {
            "member": member,
            "query": query,
            "topics": library_selectors.library_topics(cell_id=member.cell_id, query=query)[:100],
        },
    )


@login_required
def library_detail(request, pk):
    member = _me(request)
    topic = library_selectors.library_topic(cell_id=member.cell_id, pk=pk)
    if topic is None:
        raise Http404
    return render(request, "meetings/library/detail.html", {"topic": topic, "meeting": topic.meeting})


@login_required
def library_pdf(request, pk):
    from meetings.documents.topics import render_topic_pdf

    member = _me(request)
    topic = library_selectors.library_topic(cell_id=member.cell_id, pk=pk)
    if topic is None:
        raise Http404
    response = HttpResponse(render_topic_pdf(topic), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chuyen-de-{topic.pk}.pdf"'
    return response
