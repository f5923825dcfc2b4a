"""The per-cell-per-quarter summary that dashboards aggregate (never loop over cells)."""

from django.db.models import Count, Q

from meetings.models import Attendance, AttendanceStatus, ComplianceSummary, Meeting, MeetingKind, Report
from meetings.workflow import ON_CALENDAR, Stage

GRADE_RANK = {"good": 4, "fair": 3, "average": 2, "poor": 1, "": 0}


def quarter_of(date) -> int:
    return (date.month - 1) // 3 + 1


def compliance_refresh(*, cell, year: int, quarter: int) -> ComplianceSummary:
    """Recompute one cell's quarter from its meetings. Called on every change that can move
    the figures (scheduling, cancelling, finalising, reporting)."""
    thematic = Meeting.objects.filter(cell=cell, kind=MeetingKind.THEMATIC, year=year, quarter=quarter)
    finalized = thematic.filter(stage=Stage.FINALIZED)
    counts = thematic.aggregate(
        finalized=Count("pk", filter=Q(stage=Stage.FINALIZED)),
        scheduled=Count("pk", filter=Q(stage__in=ON_CALENDAR)),
    )
    rates = []
    grades = []
    for row in finalized.values("pk", "conclusion__quality_grade"):
        grades.append(row["conclusion__quality_grade"] or "")
        att = Attendance.objects.filter(meeting_id=row["pk"]).aggregate(
            total=Count("pk"), present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT))
        )
        if att["total"]:
            rates.append(att["present"] / att["total"])
    best = max(grades, key=lambda g: GRADE_RANK.get(g, 0)) if grades else ""
    reports = Report.objects.filter(minutes__meeting__in=finalized).values("minutes").distinct().count()
    summary, _ = ComplianceSummary.objects.update_or_create(
        cell=cell,
        year=year,
        quarter=quarter,
        defaults={
            "cell_path": cell.path,
            "finalized_count": counts["finalized"],
            "scheduled_count": counts["scheduled"],
            "attendance_rate": (sum(rates) / len(rates)) if rates else None,
            "best_grade": best,
            "reports_count": reports,
        },
    )
    return summary


__all__ = ["compliance_refresh", "quarter_of"]
