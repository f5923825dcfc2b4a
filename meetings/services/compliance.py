"""The per-cell-per-quarter summary and the per-organisation rollups that dashboards read.

`ComplianceSummary` holds one cell's quarter; `OrgQuarterStats` holds, for every organisation
(the cell itself and each committee above it), the sums over its subtree. Every change to a
summary is applied to the rollups as a difference, in the same transaction, so a dashboard
reads a few rows whatever the size of the subtree. `compliance_rebuild` recomputes all of it
from scratch (set-based SQL) and must agree with the incremental updates.
"""

import datetime

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat, ExtractQuarter, ExtractYear, Substr
from django.utils import timezone

from meetings.models import (
    ActionItem,
    ActionReview,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    ComplianceSummary,
    Meeting,
    MeetingKind,
    Organization,
    OrgKind,
    OrgQuarterStats,
    Report,
)
from meetings.models.actions import late_q, on_time_q
from meetings.models.minutes import GRADES, PPM, ROLLUP_FIELDS
from meetings.models.organizations import PATH_STEP, path_ids
from meetings.periods import quarter_bounds, quarter_of
from meetings.selectors.action_reviews import review_kinds
from meetings.workflow import ON_CALENDAR, Stage

GRADE_RANK = {"good": 4, "fair": 3, "average": 2, "poor": 1, "": 0}


def to_ppm(rate: float | None) -> int:
    # floor(x + 0.5), the same expression as the rebuild's SQL, so both round alike.
    return int(rate * PPM + 0.5) if rate is not None else 0


def contribution(summary: ComplianceSummary | None) -> dict[str, int]:
    """What one cell's summary adds to the rollups of the cell and of its ancestors."""
    out = dict.fromkeys(ROLLUP_FIELDS, 0)
    if summary is None:
        return out
    done = summary.finalized_count > 0
    out["cells_compliant"] = int(done)
    out["cells_scheduled"] = int(summary.scheduled_count > 0)
    out["cells_reported"] = int(summary.reports_count > 0)
    out["reports_count"] = summary.reports_count
    out["attendance_ppm_sum"] = to_ppm(summary.attendance_rate)
    out["attendance_count"] = int(summary.attendance_rate is not None)
    if done and summary.best_grade in GRADES:
        out[f"grade_{summary.best_grade}"] = 1
    out["cells_warned"] = int(summary.warned_count > 0)
    out["actions_due"] = summary.actions_due
    out["actions_on_time"] = summary.actions_on_time
    out["actions_late"] = summary.actions_late
    out["cells_review_skipped"] = int(summary.review_skipped)
    return out


def _apply(*, org_ids: list[int], year: int, quarter: int, delta: dict[str, int], sign: int = 1) -> None:
    """Add `delta` to the rollup rows of `org_ids` (root first: a fixed lock order, so two
    concurrent refreshes below the same committee cannot deadlock)."""
    changes = {k: v * sign for k, v in delta.items() if v}
    if not changes or not org_ids:
        return
    OrgQuarterStats.objects.bulk_create(
        [OrgQuarterStats(org_id=pk, year=year, quarter=quarter) for pk in org_ids], ignore_conflicts=True
    )
    updates = {k: F(k) + v for k, v in changes.items()}
    for pk in org_ids:
        OrgQuarterStats.objects.filter(org_id=pk, year=year, quarter=quarter).update(**updates)


def _compute(*, cell, year: int, quarter: int) -> dict:
    thematic = Meeting.objects.filter(cell=cell, kind=MeetingKind.THEMATIC, year=year, quarter=quarter)
    finalized = thematic.filter(stage=Stage.FINALIZED)
    counts = thematic.aggregate(
        finalized=Count("pk", filter=Q(stage=Stage.FINALIZED)),
        scheduled=Count("pk", filter=Q(stage__in=ON_CALENDAR)),
    )
    rates = []
    grades = []
    warned = 0
    rows = finalized.values("pk", "conclusion__quality_grade", "minutes__recorded_grade", "minutes__warnings")
    for row in rows:
        # A non-empty list, as `has_warnings` in compliance_check's SQL.
        warned += int(isinstance(row["minutes__warnings"], list) and len(row["minutes__warnings"]) > 0)
        # The recorded (capped) grade; minutes finalised before caps existed keep the self grade.
        grades.append(row["minutes__recorded_grade"] or row["conclusion__quality_grade"] or "")
        att = Attendance.objects.filter(meeting_id=row["pk"]).aggregate(
            total=Count("pk"), present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT))
        )
        if att["total"]:
            rates.append(att["present"] / att["total"])
    best = max(grades, key=lambda g: GRADE_RANK.get(g, 0)) if grades else ""
    reports = Report.objects.filter(minutes__meeting__in=finalized).values("minutes").distinct().count()
    return {
        "cell_path": cell.path,
        "finalized_count": counts["finalized"],
        "scheduled_count": counts["scheduled"],
        "attendance_rate": (sum(rates) / len(rates)) if rates else None,
        "best_grade": best,
        "reports_count": reports,
        "warned_count": warned,
        **_compute_actions(cell=cell, year=year, quarter=quarter),
    }


def _compute_actions(*, cell, year: int, quarter: int, today: datetime.date | None = None) -> dict:
    """The cell's action items due in the quarter (from finalised meetings, dropped ones left
    out): how many, done on time, late today; and whether its last finalised meeting of a
    reviewing kind in the quarter reviewed nothing while earlier items were still open."""
    today = today or timezone.localdate()
    items = ActionItem.objects.filter(
        cell=cell, meeting__stage=Stage.FINALIZED, due_on__range=quarter_bounds(year, quarter)
    ).exclude(status=ActionStatus.DROPPED)
    counts = items.aggregate(
        due=Count("pk"), on_time=Count("pk", filter=on_time_q()), late=Count("pk", filter=late_q(today))
    )
    return {
        "actions_due": counts["due"],
        "actions_on_time": counts["on_time"],
        "actions_late": counts["late"],
        "review_skipped": _review_skipped(cell=cell, year=year, quarter=quarter),
    }


def _review_skipped(*, cell, year: int, quarter: int) -> bool:
    last = (
        Meeting.objects.filter(cell=cell, stage=Stage.FINALIZED, kind__in=review_kinds(), year=year, quarter=quarter)
        .order_by("-scheduled_date", "-pk")
        .values("pk", "scheduled_date")
        .first()
    )
    if last is None or ActionReview.objects.filter(meeting_id=last["pk"]).exists():
        return False
    day = last["scheduled_date"]
    # Open at that meeting: decided at an earlier finalised meeting, not done before its day,
    # not closed by a review at an earlier meeting. Read from dates that later events do not
    # move, so the flag stays what it was when the meeting was held.
    closed_earlier = ActionReview.objects.filter(item=OuterRef("pk"), meeting__scheduled_date__lt=day).exclude(
        status=ActionStatus.IN_PROGRESS
    )
    return (
        ActionItem.objects.filter(cell=cell, meeting__stage=Stage.FINALIZED, meeting__scheduled_date__lt=day)
        .exclude(done_on__lt=day)
        .exclude(Exists(closed_earlier))
        .exists()
    )


def compliance_refresh(*, cell, year: int, quarter: int) -> ComplianceSummary:
    """Recompute one cell's quarter from its meetings and move the rollups of the cell and
    all its ancestors by the difference. Called on every change that can move the figures
    (scheduling, cancelling, finalising, reporting)."""
    with transaction.atomic():
        # Lock the summary row first (created empty if missing: an empty row adds nothing),
        # so two refreshes of the same cell and quarter apply their differences one by one.
        ComplianceSummary.objects.bulk_create(
            [ComplianceSummary(cell=cell, cell_path=cell.path, year=year, quarter=quarter)], ignore_conflicts=True
        )
        summary = ComplianceSummary.objects.select_for_update().get(cell=cell, year=year, quarter=quarter)
        before = contribution(summary)
        for name, value in _compute(cell=cell, year=year, quarter=quarter).items():
            setattr(summary, name, value)
        summary.save()
        after = contribution(summary)
        delta = {k: after[k] - before[k] for k in ROLLUP_FIELDS}
        _apply(org_ids=path_ids(cell.path), year=year, quarter=quarter, delta=delta)
    return summary


def compliance_refresh_due(*, cell, due_dates) -> None:
    """Refresh the quarters of these due dates (an action item's figures count in the quarter
    of its due date, not of the meeting that decided it)."""
    for year, quarter in sorted({(d.year, quarter_of(d)) for d in due_dates}):
        compliance_refresh(cell=cell, year=year, quarter=quarter)


def compliance_refresh_finalized(*, meeting: Meeting) -> None:
    """A meeting was finalised: its quarter (the meetings' figures and the review flag) and
    the quarters its action items fall due in, each once."""
    due = ActionItem.objects.filter(meeting=meeting).values_list("due_on", flat=True).distinct()
    periods = {(meeting.year, meeting.quarter)} | {(d.year, quarter_of(d)) for d in due}
    for year, quarter in sorted(periods):
        compliance_refresh(cell=meeting.cell, year=year, quarter=quarter)


# How far back the daily job looks: a quarter's figures older than this are history.
LATE_LOOKBACK_DAYS = 2 * 366


def compliance_refresh_late(*, today: datetime.date) -> int:
    """The daily job: items whose due date has passed without being done on time become late.
    One grouped query compares, per cell and quarter of the due date, the items late today with
    the stored count, and refreshes only the periods whose count is behind (a late item stays
    late until an event that refreshes anyway), so a missed night or data stored on another
    day catch up on the next run. Returns the number of refreshes."""
    stored = ComplianceSummary.objects.filter(
        cell_id=OuterRef("cell_id"), year=OuterRef("due_year"), quarter=OuterRef("due_quarter")
    ).values("actions_late")[:1]
    behind = (
        ActionItem.objects.filter(
            meeting__stage=Stage.FINALIZED,
            due_on__lt=today,
            due_on__gte=today - datetime.timedelta(days=LATE_LOOKBACK_DAYS),
        )
        .filter(late_q(today))
        .annotate(due_year=ExtractYear("due_on"), due_quarter=ExtractQuarter("due_on"))
        .values("cell_id", "due_year", "due_quarter")
        .annotate(late=Count("pk"), stored=Subquery(stored))
        .filter(Q(stored__isnull=True) | Q(stored__lt=F("late")))
        .order_by()
    )
    periods = sorted((row["cell_id"], row["due_year"], row["due_quarter"]) for row in behind)
    cells = Organization.objects.in_bulk({cell_id for cell_id, _, _ in periods})
    for cell_id, year, quarter in periods:
        compliance_refresh(cell=cells[cell_id], year=year, quarter=quarter)
    return len(periods)


def compliance_refresh_actions_all(*, year: int | None = None) -> int:
    """Refresh every cell and quarter that has action figures: items of finalised meetings (the
    quarters of their due dates) and finalised meetings of a reviewing kind (the review flag).
    For data that predates the figures (after migration 0024) or was loaded in bulk; one query
    finds the periods, each is refreshed once. Returns the number of refreshes."""
    items = ActionItem.objects.filter(meeting__stage=Stage.FINALIZED)
    meetings = Meeting.objects.filter(stage=Stage.FINALIZED, kind__in=review_kinds())
    if year is not None:
        items = items.filter(due_on__year=year)
        meetings = meetings.filter(year=year)
    periods = {
        (cell_id, due.year, quarter_of(due)) for cell_id, due in items.values_list("cell_id", "due_on").distinct()
    }
    periods |= set(meetings.values_list("cell_id", "year", "quarter").distinct())
    cells = Organization.objects.in_bulk({cell_id for cell_id, _, _ in periods})
    for cell_id, y, q in sorted(periods):
        compliance_refresh(cell=cells[cell_id], year=y, quarter=q)
    return len(periods)


def stats_move(*, org: Organization, old_path: str, new_path: str) -> None:
    """An organisation moved (its subtree's paths are already rebased): its cells and its
    rollups leave the old ancestors and join the new ones."""
    old_ancestors = path_ids(old_path)[:-1]
    new_ancestors = path_ids(new_path)[:-1]
    ComplianceSummary.objects.filter(cell_path__startswith=old_path).update(
        cell_path=Concat(Value(new_path), Substr("cell_path", len(old_path) + 1))
    )
    cells = Organization.objects.filter(pk=org.pk).values_list("subtree_cells", flat=True).get()
    if cells:
        Organization.objects.filter(pk__in=old_ancestors).update(subtree_cells=F("subtree_cells") - cells)
        Organization.objects.filter(pk__in=new_ancestors).update(subtree_cells=F("subtree_cells") + cells)
    for row in OrgQuarterStats.objects.filter(org=org).values("year", "quarter", *ROLLUP_FIELDS):
        delta = {k: row[k] for k in ROLLUP_FIELDS}
        _apply(org_ids=old_ancestors, year=row["year"], quarter=row["quarter"], delta=delta, sign=-1)
        _apply(org_ids=new_ancestors, year=row["year"], quarter=row["quarter"], delta=delta)


# --- full rebuild ------------------------------------------------------------------------

_REBUILD_LEVEL = """
INSERT INTO {stats} (org_id, year, quarter, {fields})
SELECT CAST(substr(o.path, {start}, {width}) AS integer), s.year, s.quarter,
       SUM(CASE WHEN s.finalized_count > 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN s.scheduled_count > 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN s.reports_count > 0 THEN 1 ELSE 0 END),
       SUM(s.reports_count),
       SUM(CASE WHEN s.attendance_rate IS NULL THEN 0 ELSE CAST(floor(s.attendance_rate * {ppm} + 0.5) AS bigint) END),
       COUNT(s.attendance_rate),
       {grades},
       SUM(CASE WHEN s.warned_count > 0 THEN 1 ELSE 0 END),
       SUM(s.actions_due),
       SUM(s.actions_on_time),
       SUM(s.actions_late),
       SUM(CASE WHEN s.review_skipped THEN 1 ELSE 0 END)
FROM {summary} s JOIN {org} o ON o.id = s.cell_id
WHERE length(o.path) >= {min_len} {period}
GROUP BY 1, 2, 3
"""


def _grade_sums() -> str:
    return ",\n       ".join(
        f"SUM(CASE WHEN s.finalized_count > 0 AND s.best_grade = '{g}' THEN 1 ELSE 0 END)" for g in GRADES
    )


def compliance_rebuild(*, year: int | None = None) -> dict[str, int]:
    """Recompute every rollup (of one year, or all) and every `subtree_cells` from the summaries
    and the tree, in set-based SQL: one INSERT … SELECT per tree level. Plain SQL on table
    names only, so the migration that introduced the rollups can run it too."""
    stats = OrgQuarterStats._meta.db_table
    summary = ComplianceSummary._meta.db_table
    org = Organization._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Fresh statistics: after a bulk load the planner would otherwise take the
            # summaries for a few rows and join a million of them by index, one by one.
            cursor.execute(f"ANALYZE {summary}, {org}")
        cursor.execute(f"SELECT COALESCE(MAX(depth), -1) FROM {org}")  # noqa: S608
        max_depth = cursor.fetchone()[0]
        period, params = ("AND s.year = %s", [year]) if year is not None else ("", [])
        cursor.execute(f"DELETE FROM {stats} WHERE {'year = %s' if year is not None else '1 = 1'}", params)  # noqa: S608
        # Summaries follow their cell's current path (the cell may have moved).
        cursor.execute(
            f"UPDATE {summary} SET cell_path = o.path FROM {org} o "  # noqa: S608
            f"WHERE o.id = {summary}.cell_id AND {summary}.cell_path <> o.path"
        )
        inserted = 0
        for depth in range(max_depth + 1):
            cursor.execute(
                _REBUILD_LEVEL.format(
                    stats=stats,
                    summary=summary,
                    org=org,
                    fields=", ".join(ROLLUP_FIELDS),
                    start=depth * PATH_STEP + 1,
                    width=PATH_STEP - 1,
                    ppm=PPM,
                    grades=_grade_sums(),
                    min_len=(depth + 1) * PATH_STEP,
                    period=period,
                ),
                params,
            )
            inserted += cursor.rowcount
        # Cells per subtree: 1 for a cell, then one grouped count per committee level.
        cursor.execute(
            f"UPDATE {org} SET subtree_cells = CASE WHEN kind = %s THEN 1 ELSE 0 END",  # noqa: S608
            [OrgKind.CELL],
        )
        for depth in range(max_depth):
            cursor.execute(
                f"""UPDATE {org} SET subtree_cells = c.n FROM (
                        SELECT substr(path, 1, %s) AS prefix, COUNT(*) AS n FROM {org}
                        WHERE kind = %s AND depth > %s GROUP BY 1
                    ) c WHERE {org}.path = c.prefix""",  # noqa: S608
                [(depth + 1) * PATH_STEP, OrgKind.CELL, depth],
            )
    return {"rows": inserted, "levels": max_depth + 1}


__all__ = [
    "compliance_rebuild",
    "compliance_refresh",
    "compliance_refresh_actions_all",
    "compliance_refresh_due",
    "compliance_refresh_finalized",
    "compliance_refresh_late",
    "contribution",
    "stats_move",
]
