"""PDF downloads of the official documents and the page that checks a minutes (or addendum) PDF.

Every fetch goes through meetings.permissions: a user who may not see the meeting gets 404."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from meetings import documents
from meetings.forms import MinutesVerifyForm
from meetings.models import Minutes, ReceiptVia
from meetings.permissions import (
    access_for,
    addendum_for_user,
    meeting_for_user,
    minutes_for_user,
    minutes_visible_to,
    plan_for_user,
    topic_for_user,
)
from meetings.selectors.meetings import meeting_minutes
from meetings.services import minutes as minutes_services
from meetings.services import receipts
from meetings.services.signing import verify as signing_verify
from meetings.text import fold


def pdf_response(request, data: bytes, filename: str) -> HttpResponse:
    """`?xem=1` opens the PDF in the browser; otherwise it downloads. The name is ASCII only."""
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if request.GET.get("xem") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


def rendered_pdf_response(request, build, filename: str, *, back: str, pk: int) -> HttpResponse:
    """A document rendered now: past the time budget the user is sent back to the page the
    link is on, with the message, instead of an error page."""
    try:
        data = build()
    except documents.PdfRenderTimeout as exc:
        messages.error(request, exc.messages[0])
        return redirect(back, pk=pk)
    return pdf_response(request, data, filename)


def ascii_slug(text: str, *, limit: int = 60) -> str:
    return (slugify(fold(text)) or "tai-lieu")[:limit].strip("-")


def _stored_minutes_response(request, minutes: Minutes) -> HttpResponse:
    try:
        data = minutes_services.minutes_pdf_bytes(minutes)
    except minutes_services.MinutesFileError as exc:
        # Never serve a file that does not match the record; the service has logged it.
        return render(
            request,
            "meetings/minutes/document_error.html",
            {"minutes": minutes, "message": str(exc)},
            status=409,
        )
    label = minutes.number_label.replace("/", "-")
    return pdf_response(request, data, f"bien-ban-{label}-{minutes.year}-{ascii_slug(minutes.cell.name)}.pdf")


@login_required
@require_GET
def minutes_pdf(request, pk):
    return _stored_minutes_response(request, minutes_for_user(request.user, pk))


@login_required
@require_GET
def addendum_pdf(request, pk):
    addendum = addendum_for_user(request.user, pk)
    minutes = addendum.minutes
    try:
        data = minutes_services.addendum_pdf_bytes(addendum)
    except minutes_services.MinutesFileError as exc:
        return render(
            request, "meetings/minutes/document_error.html", {"minutes": minutes, "message": str(exc)}, status=409
        )
    label = minutes.number_label.replace("/", "-")
    name = f"phu-luc-{addendum.version}-bien-ban-{label}-{minutes.year}-{ascii_slug(minutes.cell.name)}.pdf"
    return pdf_response(request, data, name)


@login_required
@require_GET
def meeting_minutes_pdf(request, pk):
    meeting = meeting_for_user(request.user, pk)
    minutes = meeting_minutes(meeting_id=meeting.pk)
    if minutes is None:
        raise Http404("Buổi sinh hoạt chưa có biên bản hoàn tất.")
    return _stored_minutes_response(request, minutes)


@login_required
@require_GET
def meeting_notice_pdf(request, pk):
    meeting = meeting_for_user(request.user, pk)
    return rendered_pdf_response(
        request,
        lambda: documents.render_notice_pdf(meeting),
        f"thong-bao-sinh-hoat-{meeting.pk}.pdf",
        back="meetings:detail",
        pk=meeting.pk,
    )


@login_required
@require_GET
def meeting_attendance_sheet_pdf(request, pk):
    meeting = meeting_for_user(request.user, pk)
    return rendered_pdf_response(
        request,
        lambda: documents.render_attendance_sheet_pdf(meeting),
        f"danh-sach-dang-vien-du-hop-{meeting.pk}.pdf",
        back="meetings:detail",
        pk=meeting.pk,
    )


@login_required
@require_GET
def topic_pdf(request, pk):
    """The completed topic when there is one; `?ban=de-dan` gives the lead paper as it was."""
    topic = topic_for_user(request.user, pk)
    lead_paper = request.GET.get("ban") == "de-dan" or not (topic.completed_text or topic.completed_file)
    if lead_paper:
        _lead_paper_opened(request, topic)
    prefix = "de-dan" if lead_paper else "chuyen-de-hoan-chinh"
    return rendered_pdf_response(
        request,
        lambda: documents.render_topic_pdf(topic, lead_paper=lead_paper),
        f"{prefix}-{topic.pk}-{ascii_slug(topic.title)}.pdf",
        back="topics:detail",
        pk=topic.pk,
    )


def _topic_file_response(field, name: str) -> FileResponse:
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), as_attachment=True, filename=f"{name}{Path(field.name).suffix}")


@login_required
@require_GET
def topic_lead_file(request, pk):
    topic = topic_for_user(request.user, pk)
    if topic.lead_paper_file:
        _lead_paper_opened(request, topic)
    return _topic_file_response(topic.lead_paper_file, f"de-dan-{topic.pk}")


def _lead_paper_opened(request, topic) -> None:
    """A member of the topic's cell downloading its lead paper has opened the meeting's materials."""
    access = access_for(request.user)
    receipts.materials_receipt_record_for_topic(
        topic=topic, member_id=access.member_id, member_cell_id=access.cell_id, via=ReceiptVia.PDF
    )


@login_required
@require_GET
def topic_completed_file(request, pk):
    topic = topic_for_user(request.user, pk)
    return _topic_file_response(topic.completed_file, f"chuyen-de-hoan-chinh-{topic.pk}")


@login_required
@require_GET
def plan_pdf(request, pk):
    plan = plan_for_user(request.user, pk)
    return rendered_pdf_response(
        request,
        lambda: documents.render_plan_pdf(plan),
        f"ke-hoach-{plan.year}-{ascii_slug(plan.cell.name)}.pdf",
        back="plans:detail",
        pk=plan.pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_verify(request):
    """A user of the cell or of a superior committee checks a PDF file or a code against the
    record. Minutes outside the user's scope are reported exactly like unknown ones."""
    result = None
    if request.method == "POST":
        form = MinutesVerifyForm(request.POST, request.FILES)
        if form.is_valid():
            result = signing_verify.document_check(
                queryset=minutes_visible_to(request.user).select_related(
                    "cell", "cell__parent", "meeting", "meeting__topic"
                ),
                code=form.cleaned_data.get("code", ""),
                data=form.cleaned_data.get("data"),
            )
    else:
        form = MinutesVerifyForm(initial={"code": request.GET.get("ma", "")[:20]})
    return render(request, "meetings/minutes/verify.html", {"form": form, "result": result})
