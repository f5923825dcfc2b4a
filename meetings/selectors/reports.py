"""Reads of the reports sent to superior committees (inbox, versions, the cell's list)."""

from meetings.models import Report, ReportStatus
from meetings.selectors.notifications import with_deliveries


def committee_inbox(*, access, status: str = ""):
    """Reports addressed to the user's committee or below it (every one for a superuser)."""
    qs = Report.objects.select_related(
        "minutes", "minutes__cell", "minutes__meeting", "minutes__meeting__topic", "committee", "addendum"
    )
    if not access.superuser:
        qs = qs.filter(committee__path__startswith=access.committee_path)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-received_at", "-pk")


def report_versions(*, minutes_id: int) -> list:
    """Every version reported for these minutes, oldest first, with their deliveries."""
    qs = Report.objects.filter(minutes_id=minutes_id).select_related("addendum", "reviewed_by").order_by("version")
    return with_deliveries(qs)


def cell_reports(*, cell_id: int) -> list:
    """The cell's reports, newest first; `can_correct` on the latest version of each minutes
    when the committee returned it."""
    reports = with_deliveries(
        Report.objects.filter(minutes__cell_id=cell_id)
        .select_related("minutes", "minutes__meeting", "minutes__meeting__topic", "addendum", "committee")
        .order_by("-minutes__year", "-minutes__number", "-version")
    )
    latest = {}
    for report in reports:
        latest.setdefault(report.minutes_id, report.pk)  # newest version comes first
    for report in reports:
        report.can_correct = report.status == ReportStatus.RETURNED and latest[report.minutes_id] == report.pk
    return reports
