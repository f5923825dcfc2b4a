"""Received reports (committee inbox and review) and the cell's view of the answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from meetings.models import ReportStatus
from meetings.models.limits import REPORT_COMMENT_MAX_LENGTH, limit_text
from meetings.permissions import (
    MANAGE,
    access_for,
    report_for_cell_user,
    report_for_committee_user,
    require_committee_staff,
    require_level,
)
from meetings.selectors import reports as selectors
from meetings.selectors.notifications import with_deliveries
from meetings.services.meetings import minutes_addendum_create
from meetings.services.reports import report_review
from meetings.views._common import error_messages, flash_errors
from meetings.views.exemplary import exemplary_panel

INBOX_ONLY = "Hộp báo cáo chỉ dành cho cán bộ cấp ủy cấp trên."


@login_required
def report_inbox(request):
    access = require_committee_staff(request.user, INBOX_ONLY)
    status = request.GET.get("tinh-trang", ReportStatus.RECEIVED)
    if status not in ReportStatus.values:
        status = ""
    qs = selectors.committee_inbox(access=access, status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("trang"))
    page.object_list = with_deliveries(page.object_list)
    return render(
        request,
        "meetings/reports/inbox.html",
        {
            "page": page,
            "status": status,
            "statuses": ReportStatus.choices,
        },
    )


@login_required
def report_detail(request, pk):
    require_committee_staff(request.user, INBOX_ONLY)
    report = report_for_committee_user(request.user, pk)
    return _render_detail(request, report)


def _render_detail(request, report, *, comment="", errors=None, status=200):
    versions = selectors.report_versions(minutes_id=report.minutes_id)
    latest = versions[-1] if versions else None
    return render(
        request,
        "meetings/reports/detail.html",
        {
            "report": report,
            "minutes": report.minutes,
            "meeting": report.minutes.meeting,
            "versions": versions,
            "facts": selectors.report_facts(minutes=report.minutes),
            "inline": selectors.minutes_inline(minutes=report.minutes),
            "can_review": report.status == ReportStatus.RECEIVED and latest and latest.pk == report.pk,
            "comment": comment,
            "comment_max_length": REPORT_COMMENT_MAX_LENGTH,
            "comment_limit_text": limit_text(REPORT_COMMENT_MAX_LENGTH),
            "errors": errors or [],
            "exemplary": exemplary_panel(request.user, meeting=report.minutes.meeting, cell=report.minutes.cell),
        },
        status=status,
    )


@login_required
@require_POST
def report_review_view(request, pk):
    require_committee_staff(request.user, INBOX_ONLY)
    report = report_for_committee_user(request.user, pk)
    accept = request.POST.get("action") == "accept"
    comment = request.POST.get("comment", "")
    try:
        report_review(report=report, actor=request.user, accept=accept, comment=comment)
    except ValidationError as exc:
        return _render_detail(request, report, comment=comment, errors=error_messages(exc), status=400)
    cell = report.minutes.cell.name
    if accept:
        messages.success(request, f"Đã chấp nhận báo cáo của {cell}.")
    else:
        messages.success(request, f"Đã trả lại báo cáo; {cell} được thông báo kèm ý kiến và phải gửi bản bổ sung.")
    return redirect("reports:inbox")


@login_required
def cell_reports(request):
    """The cell's reports and the committee's answers; corrections are sent from here."""
    access = access_for(request.user)
    if not access.cell_id:
        raise Http404
    require_level(request.user, MANAGE, access.cell_id)
    return render(request, "meetings/reports/cell.html", {"reports": selectors.cell_reports(cell_id=access.cell_id)})


@login_required
@require_POST
def cell_report_correct(request, pk):
    """Send a correction: a new addendum (the finalised minutes stay untouched) and a new report version."""
    report = report_for_cell_user(request.user, pk)
    text = (request.POST.get("text") or "").strip()
    if not text:
        messages.error(request, "Vui lòng nhập nội dung đính chính, bổ sung.")
        return redirect("reports:cell_list")
    try:
        minutes_addendum_create(minutes=report.minutes, actor=request.user, text=text)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("reports:cell_list")
    messages.success(request, "Đã gửi bản bổ sung lên cấp ủy cấp trên.")
    return redirect("reports:cell_list")
