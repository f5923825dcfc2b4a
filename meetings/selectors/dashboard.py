"""The superior committee's compliance dashboard.

Every figure comes from the database: `OrgQuarterStats` holds, per organisation and quarter,
the sums over its subtree's `ComplianceSummary` rows (kept up to date by
`compliance_refresh`), and `Organization.subtree_cells` the number of cells. The page reads
the rollup rows of the year of each direct child (the committee's own figures are their
sums); the three lists of cells stop after 50 rows, and their secretaries come in one more
query. The number of queries does not depend on the size of the subtree and nothing here
loops over cells.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Collate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import get_format

from meetings.models import (
    MANAGING_POSITIONS,
    ComplianceSummary,
    Meeting,
    Member,
    MemberStatus,
    Organization,
    OrgKind,
    Position,
    QualityGrade,
    Report,
)
from meetings.models.minutes import PPM, ROLLUP_FIELDS
from meetings.models.organizations import path_ids
from meetings.periods import quarter_bounds, quarter_is_open

GRADES = [g.value for g in QualityGrade]
LIST_LIMIT = 50


@dataclass
class Figures:
    total_cells: int = 0
    compliant: int = 0
    scheduled: int = 0
    reported: int = 0
    reports: int = 0
    attendance_rate: float | None = None
    rated: int = 0
    warned: int = 0  # cells whose minutes carry warnings stored at finalisation
    grades: dict = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    # Action items due in the quarter (issue 17, item 3): how many, done on time, late; cells
    # whose last meeting of the quarter reviewed nothing of what was still open.
    actions_due: int = 0
    actions_on_time: int = 0
    actions_late: int = 0
    review_skipped: int = 0

    @property
    def actions_on_time_pct(self) -> float | None:
        return round(100 * self.actions_on_time / self.actions_due, 1) if self.actions_due else None

    @property
    def non_compliant(self) -> int:
        return self.total_cells - self.compliant

    @property
    def compliance_pct(self) -> float | None:
        return round(100 * self.compliant / self.total_cells, 1) if self.total_cells else None

    @property
    def attendance_pct(self) -> float | None:
        return round(100 * self.attendance_rate, 1) if self.attendance_rate is not None else None

    def cells(self, decimal_separator: str) -> dict:
        """The table's cells as plain values, formatted once here: the page renders the big
        table inside `{% localize off %}` with one dictionary lookup per cell (no property,
        no nested lookup, no localisation per cell). The percentages take the locale's
        decimal separator, looked up once per page (`get_format`)."""
        return {
            "total_cells": self.total_cells,
            "compliant": self.compliant,
            "non_compliant": self.non_compliant,
            "compliance": _pct_label(self.compliance_pct, decimal_separator),
            "attendance": _pct_label(self.attendance_pct, decimal_separator),
            **self.grades,
            "reports": self.reports,
            "actions_due": self.actions_due,
            "actions_on_time": self.actions_on_time,
            "actions_pct": _pct_label(self.actions_on_time_pct, decimal_separator),
            "actions_late": self.actions_late,
            "review_skipped": self.review_skipped,
        }


def _pct_label(value: float | None, decimal_separator: str) -> str:
    return f"{value:.1f}".replace(".", decimal_separator) + "%" if value is not None else "–"


@dataclass
class ChildRow:
    org: dict
    figures: Figures


@dataclass
class Dashboard:
    committee: Organization
    year: int
    quarter: int
    quarter_open: bool
    quarter_started: bool  # False for a quarter still to come: nothing to show, nothing listed
    has_data: bool  # some cell has a thematic meeting on the calendar for the quarter
    has_actions: bool  # some action item falls due in the quarter, or some cell reviewed nothing
    year_has_data: bool  # some quarter of the year does (the per-quarter chart)
    totals: Figures
    rows: list
    per_quarter: list  # [(quarter, compliant, total_cells)]
    non_compliant: list
    # While the quarter is open a cell is in one list only: nothing on the calendar puts it
    # among the at-risk cells, which wins; the other list keeps the cells whose meeting is
    # scheduled but not finalised. Once the quarter is over, every cell without one is listed.
    non_compliant_count: int
    at_risk: list
    at_risk_count: int
    warned: list  # cells whose minutes carry warnings (first 50)
    quarter_chart: dict  # the per-quarter chart's series (quarter_series)
    table: list  # the page's big table: one dict of display values per child (Figures.cells)
    table_totals: dict  # its footer


def figures_from_row(total_cells: int, row: dict) -> Figures:
    """Figures from one rollup row (missing columns, i.e. no row for the period, are zeros)."""
    rated = row.get("attendance_count") or 0
    return Figures(
        total_cells=total_cells,
        compliant=row.get("cells_compliant") or 0,
        scheduled=row.get("cells_scheduled") or 0,
        reported=row.get("cells_reported") or 0,
        reports=row.get("reports_count") or 0,
        attendance_rate=(row["attendance_ppm_sum"] / PPM / rated) if rated else None,
        rated=rated,
        warned=row.get("cells_warned") or 0,
        grades={g: row.get(f"grade_{g}") or 0 for g in GRADES},
        actions_due=row.get("actions_due") or 0,
        actions_on_time=row.get("actions_on_time") or 0,
        actions_late=row.get("actions_late") or 0,
        review_skipped=row.get("cells_review_skipped") or 0,
    )


def _combine(figures: list[Figures]) -> Figures:
    total = Figures()
    weighted, weight = 0.0, 0
    for fig in figures:
        total.total_cells += fig.total_cells
        total.compliant += fig.compliant
        total.scheduled += fig.scheduled
        total.reported += fig.reported
        total.reports += fig.reports
        total.warned += fig.warned
        total.actions_due += fig.actions_due
        total.actions_on_time += fig.actions_on_time
        total.actions_late += fig.actions_late
        total.review_skipped += fig.review_skipped
        for g in GRADES:
            total.grades[g] += fig.grades[g]
        if fig.attendance_rate is not None:
            # Mean over cells: weight each child's mean by its number of cells with a rate.
            weighted += fig.attendance_rate * fig.rated
            weight += fig.rated
    total.rated = weight
    total.attendance_rate = weighted / weight if weight else None
    return total


_OF_YEAR_STATS = tuple(f"of_year__{name}" for name in ROLLUP_FIELDS)


def child_rows(*, committee: Organization, year: int, quarter: int) -> tuple[list[ChildRow], dict[int, int]]:
    """One row per direct child of the committee with the child's rollup for the period, and
    the compliant cells of each quarter of the year summed over the children (the chart).
    One query reading at most 4 rollup rows per child, whatever the size of the subtree."""
    of_year = FilteredRelation("quarter_stats", condition=Q(quarter_stats__year=year))
    records = (
        Organization.objects.filter(parent=committee)
        .exclude(kind=OrgKind.PARTY_GROUP)
        .annotate(of_year=of_year)
        .order_by("kind", "name", "pk")
        .values_list("id", "name", "kind", "path", "subtree_cells", "of_year__quarter", *_OF_YEAR_STATS)
    )
    children = {}  # id -> (child, its number of cells, its rollup row for the quarter)
    compliant_by_quarter = dict.fromkeys((1, 2, 3, 4), 0)
    for pk, name, kind, path, cells, stats_quarter, *stats in records:
        child = {"id": pk, "name": name, "kind": kind, "path": path}
        period_row = children.setdefault(pk, (child, cells, {}))[2]
        if stats_quarter is None:  # no rollup row this year
            continue
        row = dict(zip(ROLLUP_FIELDS, stats, strict=True))
        compliant_by_quarter[stats_quarter] += row["cells_compliant"]
        if stats_quarter == quarter:
            period_row.update(row)
    rows = [
        ChildRow(org=child, figures=figures_from_row(cells, period_row))
        for child, cells, period_row in children.values()
    ]
    return rows, compliant_by_quarter


def _cells_in_path_order(committee: Organization):
    """The subtree's cells, ordered by path so that `[:50]` stops early: on PostgreSQL through
    the partial index `org_cell_path_c_idx` on `path COLLATE "C"` (migration 0004), which
    serves both the prefix test and the order, whatever the database's collation."""
    # SQLite compares text bytewise already.
    ordered = Collate("path", "C") if connection.vendor == "postgresql" else F("path")
    return (
        Organization.objects.filter(kind=OrgKind.CELL)
        .alias(ordered_path=ordered)
        .filter(ordered_path__startswith=committee.path)
    )


def _cells_without(
    *, committee: Organization, year: int, quarter: int, column: str, limit: int, scheduled_only: bool = False
) -> list[dict]:
    """The subtree's first cells in path order whose summary for the period has `column` at 0
    (no summary row counts as 0), with their parent's name and scheduled meetings; with
    `scheduled_only`, only those with a meeting on the calendar."""
    period = FilteredRelation("compliance", condition=Q(compliance__year=year, compliance__quarter=quarter))
    missing = Q(**{f"period__{column}__isnull": True}) | Q(**{f"period__{column}": 0})
    if scheduled_only:
        missing = Q(**{f"period__{column}": 0}, period__scheduled_count__gt=0)
    return list(
        _cells_in_path_order(committee)
        .alias(period=period)
        .filter(missing)
        .order_by("ordered_path")
        .values("id", "name", "email", "phone", parent_name=F("parent__name"), scheduled=F("period__scheduled_count"))[
            :limit
        ]
    )


def add_secretaries(cells: list[dict]) -> None:
    """Each listed cell's secretary (the first one still in the cell) and the e-mail to show
    (the secretary's, else the cell's): one query for all the lists of the page."""
    ids = {c["id"] for c in cells}
    found = {}
    if ids:
        secretaries = (
            Member.objects.filter(cell_id__in=ids, position=Position.SECRETARY)
            .exclude(status=MemberStatus.MOVED_OUT)
            .order_by("-pk")  # the lowest id is written last: it wins
            .values_list("cell_id", "full_name", "phone", "email")
        )
        found = {cell_id: contact for cell_id, *contact in secretaries}
    for cell in cells:
        name, phone, email = found.get(cell["id"], (None, None, None))
        cell.update(secretary_name=name, secretary_phone=phone, secretary_email=email, mail=email or cell["email"])


def non_compliant_cells(
    *, committee: Organization, year: int, quarter: int, limit: int = LIST_LIMIT, scheduled_only: bool = False
) -> list[dict]:
    """Cells with no finalised thematic meeting in the quarter (no summary row counts too);
    with `scheduled_only` (an open quarter), those that have one on the calendar: the others
    are at risk. Without their secretaries (`add_secretaries`)."""
    return _cells_without(
        committee=committee,
        year=year,
        quarter=quarter,
        column="finalized_count",
        limit=limit,
        scheduled_only=scheduled_only,
    )


def at_risk_cells(*, committee: Organization, year: int, quarter: int, limit: int = LIST_LIMIT) -> list[dict]:
    """Cells whose quarter is not over and that have nothing on the calendar for it; without
    their secretaries (`add_secretaries`)."""
    return _cells_without(committee=committee, year=year, quarter=quarter, column="scheduled_count", limit=limit)


def warned_cells(*, committee: Organization, year: int, quarter: int, limit: int = LIST_LIMIT) -> list[dict]:
    """The subtree's first cells in path order whose minutes of the quarter carry warnings;
    without their secretaries (`add_secretaries`). Read from the summaries through the partial
    index `summary_warned_idx`: only the warned rows, however large the subtree."""
    ordered = Collate("cell_path", "C") if connection.vendor == "postgresql" else F("cell_path")
    rows = (
        ComplianceSummary.objects.filter(
            year=year, quarter=quarter, cell_path__startswith=committee.path, warned_count__gt=0
        )
        .order_by(ordered)
        .values(
            "cell_id",
            "warned_count",
            "scheduled_count",
            name=F("cell__name"),
            email=F("cell__email"),
            phone=F("cell__phone"),
            parent_name=F("cell__parent__name"),
        )[:limit]
    )
    # The same keys as the other lists, for `add_secretaries` and the shared partial.
    return [{"id": r.pop("cell_id"), "scheduled": r.pop("scheduled_count"), **r} for r in rows]


def quarter_series(*, year: int, per_quarter: list, today: datetime.date) -> dict:
    """The per-quarter chart: finished quarters as points; the current one named on the axis
    with no point (`None`), never a fall towards 0 while its cells still have time, its figure
    so far given beside the chart (`current`); quarters still to come left out."""
    labels, done, current = [], [], None
    for q, compliant, total in per_quarter:
        start, end = quarter_bounds(year, q)
        if start > today:
            break
        pct = round(100 * compliant / total, 1) if total else None
        if end >= today:
            labels.append(f"Quý {q} (đang diễn ra)")
            done.append(None)
            current = {"quarter": q, "compliant": compliant, "total": total, "pct": pct}
        else:
            labels.append(f"Quý {q}")
            done.append(pct)
    return {"labels": labels, "compliance": done, "current": current}


def dashboard(*, committee: Organization, year: int, quarter: int, today: datetime.date | None = None) -> Dashboard:
    """The whole page: 4 queries (5 while the quarter is still open, 1 for a quarter still to
    come): the children with their rollups of the year, one list of cells per open list, their
    secretaries."""
    today = today or timezone.localdate()
    rows, compliant_by_quarter = child_rows(committee=committee, year=year, quarter=quarter)
    totals = _combine([r.figures for r in rows])
    is_open = quarter_is_open(year, quarter, today=today)
    started = quarter_bounds(year, quarter)[0] <= today
    non_compliant, at_risk, warned = [], [], []
    if started:
        non_compliant = non_compliant_cells(committee=committee, year=year, quarter=quarter, scheduled_only=is_open)
        at_risk = at_risk_cells(committee=committee, year=year, quarter=quarter) if is_open else []
        warned = warned_cells(committee=committee, year=year, quarter=quarter)
        add_secretaries([*non_compliant, *at_risk, *warned])
    at_risk_count = (totals.total_cells - totals.scheduled) if is_open and started else 0
    per_quarter = [(q, n, totals.total_cells) for q, n in compliant_by_quarter.items()]
    separator = get_format("DECIMAL_SEPARATOR")
    return Dashboard(
        committee=committee,
        year=year,
        quarter=quarter,
        quarter_open=is_open,
        quarter_started=started,
        has_data=totals.scheduled > 0,
        has_actions=totals.actions_due > 0 or totals.review_skipped > 0,
        year_has_data=totals.scheduled > 0 or any(n for _, n, _ in per_quarter),
        totals=totals,
        rows=rows,
        per_quarter=per_quarter,
        non_compliant=non_compliant,
        non_compliant_count=(totals.non_compliant - at_risk_count) if started else 0,
        at_risk=at_risk,
        at_risk_count=at_risk_count,
        warned=warned,
        quarter_chart=quarter_series(year=year, per_quarter=per_quarter, today=today),
        table=[
            {"id": r.org["id"], "kind": r.org["kind"], "name": r.org["name"], **r.figures.cells(separator)}
            for r in rows
        ],
        table_totals=totals.cells(separator),
    )


def cell_meetings(*, cell: Organization, year: int):
    """Drill-down to one cell: its meetings of the year with their minutes and the latest
    version of their report to the committee (one query)."""
    latest = Report.objects.filter(minutes__meeting=OuterRef("pk")).order_by("-version")
    return (
        Meeting.objects.filter(cell=cell, year=year)
        .select_related("topic", "minutes", "conclusion")
        .annotate(report_id=Subquery(latest.values("pk")[:1]), report_status=Subquery(latest.values("status")[:1]))
        .order_by("quarter", "scheduled_date", "pk")
    )


def cell_summaries(*, cell: Organization, year: int) -> dict[int, ComplianceSummary]:
    return {s.quarter: s for s in ComplianceSummary.objects.filter(cell=cell, year=year)}


def home_committee(*, access) -> Organization:
    """The committee whose dashboard opens first: the user's own, the root for a superuser."""
    if access.committee_id:
        return get_object_or_404(Organization, pk=access.committee_id)
    root = Organization.objects.filter(parent__isnull=True, kind=OrgKind.COMMITTEE).order_by("pk").first()
    if root is None:
        raise Http404
    return root


def breadcrumbs(*, access, org: Organization) -> list[dict]:
    """The organisation's ancestors that the user may open (those inside their committee).
    Their paths are the prefixes of the organisation's own, so the query runs only when one
    of them is visible (never on the user's own committee's page)."""
    segments = org.path.split("/")[:-1]
    prefixes = ["/".join(segments[:n]) + "/" for n in range(1, len(segments))]
    if not access.superuser:
        prefixes = [p for p in prefixes if p.startswith(access.committee_path)]
    if not prefixes:
        return []
    ids = [path_ids(p)[-1] for p in prefixes]
    return list(Organization.objects.filter(pk__in=ids).order_by("depth").values("id", "name", "path"))


def cell_leaders(*, cell: Organization):
    """The cell's secretary and deputies still in the cell (the contacts of a drill-down)."""
    return cell.members.filter(position__in=MANAGING_POSITIONS).exclude(status=MemberStatus.MOVED_OUT)
