"""Received reports (committee inbox and review) and the cell's view of the answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meetings.models import Report, ReportStatus
from meetings.permissions import (
    MANAGE,
    access_for,
    report_for_committee_user,
    require_level,
)
from meetings.selectors.notifications import with_deliveries
from meetings.views._common import error_messages


def _inbox_qs(user):
    access = access_for(user)
    if not (access.superuser or access.committee_path):
        raise PermissionDenied("Hộp báo cáo chỉ dành cho cán bộ cấp ủy cấp trên.")
    qs = Report.objects.select_related(
        "minutes", "minutes__cell", "minutes__meeting", "minutes__meeting__topic", "committee", "addendum"
    )
    if not access.superuser:
        qs = qs.filter(committee__path__startswith=access.committee_path)
    return qs


@login_required
def report_inbox(request):
    qs = _inbox_qs(request.user)
    status = request.GET.get("tinh-trang", ReportStatus.RECEIVED)
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    page = Paginator(qs.order_by("-received_at", "-pk"), 50).get_page(request.GET.get("trang"))
    page.object_list = with_deliveries(page.object_list)
    return render(
        request,
        "meetings/report_inbox.html",
        {
            "page": page,
            "status": status,
            "statuses": ReportStatus.choices,
        },
    )


@login_required
def report_detail(request, pk):
    _inbox_qs(request.user)
    report = report_for_committee_user(request.user, pk)
    return _render_detail(request, report)


def _render_detail(request, report, *, comment="", errors=None, status=200):
    versions = (
        Report.objects.filter(minutes_id=report.minutes_id)
        .select_related("addendum", "reviewed_by")
        .order_by("version")
    )
    versions = with_deliveries(versions)
    latest = versions[-1] if versions else None
    return render(
        request,
        "meetings/report_detail.html",
        {
            "report": report,
            "minutes": report.minutes,
            "meeting": report.minutes.meeting,
            "versions": versions,
            "can_review": report.status == ReportStatus.RECEIVED and latest and latest.pk == report.pk,
            "comment": comment,
            "errors": errors or [],
        },
        status=status,
    )


@login_required
@require_POST
def report_review_view(request, pk):
    from meetings.services.reports import report_review

    _inbox_qs(request.user)
    report = report_for_committee_user(request.user, pk)
    accept = request.POST.get("action") == "accept"
    comment = request.POST.get("comment", "")
    try:
        report_review(report=report, actor=request.user, accept=accept, comment=comment)
    except ValidationError as exc:
        return _render_detail(request, report, comment=comment, errors=error_messages(exc), status=400)
    messages.success(request, "Đã chấp nhận báo cáo." if accept else "Đã trả lại báo cáo để chi bộ bổ sung.")
    return redirect("report_inbox")


@login_required
def cell_reports(request):
    """The cell's reports and the committee's answers; corrections are sent from here."""
    access = access_for(request.user)
    if not access.cell_id:
        raise Http404
    require_level(request.user, MANAGE, access.cell_id)
    reports = (
        Report.objects.filter(minutes__cell_id=access.cell_id)
        .select_related("minutes", "minutes__meeting", "minutes__meeting__topic", "addendum", "committee")
        .order_by("-minutes__year", "-minutes__number", "-version")
    )
    reports = with_deliveries(reports)
    latest = {}
    for report in reports:
        latest.setdefault(report.minutes_id, report.pk)  # newest version comes first
    for report in reports:
        report.can_correct = report.status == ReportStatus.RETURNED and latest[report.minutes_id] == report.pk
    return render(request, "meetings/report_cell.html", {"reports": reports})


@login_required
@require_POST
def cell_report_correct(request, pk):
    """Send a correction: a new addendum (the finalised minutes stay untouched) and a new report version."""
    from meetings.services.meetings import minutes_addendum_create  # workflow work (issue 3)

    access = access_for(request.user)
    cell_filter = {} if access.superuser else {"minutes__cell_id": access.cell_id}
    report = get_object_or_404(Report.objects.select_related("minutes").filter(**cell_filter), pk=pk)
    require_level(request.user, MANAGE, report.minutes.cell_id)
    text = (request.POST.get("text") or "").strip()
    if not text:
        messages.error(request, "Vui lòng nhập nội dung đính chính, bổ sung.")
        return redirect("cell_reports")
    try:
        minutes_addendum_create(minutes=report.minutes, actor=request.user, text=text)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
        return redirect("cell_reports")
    messages.success(request, "Đã gửi bản bổ sung lên cấp ủy cấp trên.")
    return redirect("cell_reports")
