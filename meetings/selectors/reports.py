"""Reads of the reports sent to superior committees (inbox, versions, the cell's list)."""

import datetime

from meetings.documents.minutes import minutes_context
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


def report_facts(*, minutes) -> dict:
    """What the committee weighs before accepting or returning: attendance, duration and grade,
    read from the sealed snapshot (the facts as the cell finalised them; no query)."""
    s = minutes.snapshot or {}
    counts = s.get("counts") or {}
    absentees = s.get("absentees") or []
    conclusion = s.get("conclusion") or {}
    grade = s.get("grade") or {}
    day = _date(s.get("date"))
    end_day = _date(s.get("end_date"))
    return {
        "expected": counts.get("expected"),
        "present": counts.get("present"),
        "rate": counts.get("rate"),
        "excused": [a for a in absentees if a.get("status") == "excused"],
        "unexcused": [a for a in absentees if a.get("status") == "unexcused"],
        "excused_count": counts.get("excused", 0),
        "unexcused_count": counts.get("unexcused", 0),
        "exempt_present": counts.get("exempt_present", 0),
        "day": day,
        "start": s.get("start"),
        "end": s.get("end"),
        # A meeting that ran past midnight names its end day.
        "end_day": end_day if end_day and end_day != day else None,
        "minutes": s.get("duration_minutes"),
        "self_score": conclusion.get("quality_score"),
        "self_label": conclusion.get("quality_grade_label", ""),
        # The recorded grade caps the self-assessment by the measured facts (rules/grades.py);
        # minutes finalised before caps existed keep their self grade.
        "recorded_label": grade.get("recorded_label") or minutes.get_recorded_grade_display(),
        "grade_reasons": grade.get("reasons") or minutes.grade_reasons or [],
        "speeches": len(s.get("speeches") or []),
    }


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def minutes_inline(*, minutes) -> dict:
    """The sealed minutes' sections for reading on the page, from the same context the PDF is
    laid out from (meetings/documents/minutes.py), so page and PDF say the same thing."""
    return minutes_context(minutes.snapshot or {}, number_label=minutes.number_label, verification_code="")
