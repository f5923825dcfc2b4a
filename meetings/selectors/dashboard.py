"""The superior committee's compliance dashboard.

Every figure comes from the database: `OrgQuarterStats` holds, per organisation and quarter,
the sums over its subtree's `ComplianceSummary` rows (kept up to date by
`compliance_refresh`), and `Organization.subtree_cells` the number of cells. The page reads
one rollup row per direct child and the committee's own rows for the year; the two lists
of cells stop after 50 rows. The number of queries does not depend on the size of the
subtree and nothing here loops over cells.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, F, FilteredRelation, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Collate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.formats import number_format

from meetings.models import (
    MANAGING_POSITIONS,
    ComplianceSummary,
    Meeting,
    Member,
    MemberStatus,
    Organization,
    OrgKind,
    OrgQuarterStats,
    Position,
    QualityGrade,
)
from meetings.models.minutes import PPM, STAT_FIELDS
from meetings.periods import quarter_is_open

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
    grades: dict = field(default_factory=lambda: dict.fromkeys(GRADES, 0))

    @property
    def non_compliant(self) -> int:
        return self.total_cells - self.compliant

    @property
    def compliance_pct(self) -> float | None:
        return round(100 * self.compliant / self.total_cells, 1) if self.total_cells else None

    @property
    def attendance_pct(self) -> float | None:
        return round(100 * self.attendance_rate, 1) if self.attendance_rate is not None else None

    # Formatted once here so that the page's big table can render with `{% localize off %}`
    # (localising ~1,700 plain integers per page was a third of the template's time).
    @property
    def compliance_label(self) -> str:
        return _pct_label(self.compliance_pct)

    @property
    def attendance_label(self) -> str:
        return _pct_label(self.attendance_pct)


def _pct_label(value: float | None) -> str:
    return f"{number_format(value, 1)}%" if value is not None else "–"


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
    totals: Figures
    rows: list
    per_quarter: list  # [(quarter, compliant, total_cells)]
    non_compliant: list
    at_risk: list
    at_risk_count: int


def _figures(total_cells: int, row: dict) -> Figures:
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
        grades={g: row.get(f"grade_{g}") or 0 for g in GRADES},
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
        for g in GRADES:
            total.grades[g] += fig.grades[g]
        if fig.attendance_rate is not None:
            # Mean over cells: weight each child's mean by its number of cells with a rate.
            weighted += fig.attendance_rate * fig.rated
            weight += fig.rated
    total.rated = weight
    total.attendance_rate = weighted / weight if weight else None
    return total


def child_rows(*, committee: Organization, year: int, quarter: int) -> list[ChildRow]:
    """One row per direct child of the committee with the child's rollup for the period:
    one query reading one row per child, whatever the size of the subtree."""
    period = FilteredRelation("quarter_stats", condition=Q(quarter_stats__year=year, quarter_stats__quarter=quarter))
    stat_columns = {name: F(f"period__{name}") for name in STAT_FIELDS}
    children = (
        Organization.objects.filter(parent=committee)
        .exclude(kind=OrgKind.PARTY_GROUP)
        .annotate(period=period)
        .order_by("kind", "name")
        .values("id", "name", "kind", "path", "subtree_cells", **stat_columns)
    )
    return [
        ChildRow(
            org={k: child[k] for k in ("id", "name", "kind", "path")},
            figures=_figures(child["subtree_cells"], child),
        )
        for child in children
    ]


def per_quarter(*, committee: Organization, year: int, total_cells: int) -> list[tuple[int, int, int]]:
    """Compliant cells of the subtree in each quarter of the year: the committee's own
    4 rollup rows (one query)."""
    counts = dict(OrgQuarterStats.objects.filter(org=committee, year=year).values_list("quarter", "cells_compliant"))
    return [(q, counts.get(q, 0), total_cells) for q in (1, 2, 3, 4)]


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


def _with_secretary(qs):
    secretary = (
        Member.objects.filter(cell=OuterRef("pk"), position=Position.SECRETARY)
        .exclude(status=MemberStatus.MOVED_OUT)
        .order_by("pk")
    )
    return qs.annotate(
        secretary_name=Subquery(secretary.values("full_name")[:1]),
        secretary_phone=Subquery(secretary.values("phone")[:1]),
        secretary_email=Subquery(secretary.values("email")[:1]),
        parent_name=Subquery(Organization.objects.filter(pk=OuterRef("parent_id")).values("name")[:1]),
    )


def non_compliant_cells(*, committee: Organization, year: int, quarter: int, limit: int = LIST_LIMIT) -> list[dict]:
    """Cells with no finalised thematic meeting in the quarter (no summary row counts too)."""
    compliant = ComplianceSummary.objects.filter(cell=OuterRef("pk"), year=year, quarter=quarter, finalized_count__gt=0)
    qs = _cells_in_path_order(committee).exclude(Exists(compliant))
    return list(
        _with_secretary(qs)
        .annotate(
            scheduled=Subquery(
                ComplianceSummary.objects.filter(cell=OuterRef("pk"), year=year, quarter=quarter).values(
                    "scheduled_count"
                )[:1],
                output_field=IntegerField(),
            )
        )
        .order_by("ordered_path")
        .values(
            "id",
            "name",
            "email",
            "phone",
            "parent_name",
            "secretary_name",
            "secretary_phone",
            "secretary_email",
            "scheduled",
        )[:limit]
    )


def at_risk_cells(*, committee: Organization, year: int, quarter: int, limit: int = LIST_LIMIT) -> list[dict]:
    """Cells whose quarter is not over and that have nothing on the calendar for it."""
    scheduled = ComplianceSummary.objects.filter(cell=OuterRef("pk"), year=year, quarter=quarter, scheduled_count__gt=0)
    qs = _cells_in_path_order(committee).exclude(Exists(scheduled))
    return list(
        _with_secretary(qs)
        .order_by("ordered_path")
        .values("id", "name", "email", "phone", "parent_name", "secretary_name", "secretary_phone", "secretary_email")[
            :limit
        ]
    )


def dashboard(*, committee: Organization, year: int, quarter: int, today: datetime.date | None = None) -> Dashboard:
    """The whole page: 3 queries (4 while the quarter is still open)."""
    rows = child_rows(committee=committee, year=year, quarter=quarter)
    totals = _combine([r.figures for r in rows])
    is_open = quarter_is_open(year, quarter, today=today)
    at_risk = at_risk_cells(committee=committee, year=year, quarter=quarter) if is_open else []
    return Dashboard(
        committee=committee,
        year=year,
        quarter=quarter,
        quarter_open=is_open,
        totals=totals,
        rows=rows,
        per_quarter=per_quarter(committee=committee, year=year, total_cells=totals.total_cells),
        non_compliant=non_compliant_cells(committee=committee, year=year, quarter=quarter),
        at_risk=at_risk,
        at_risk_count=(totals.total_cells - totals.scheduled) if is_open else 0,
    )


def cell_meetings(*, cell: Organization, year: int):
    """Drill-down to one cell: its meetings of the year with their minutes (one query)."""
    return (
        Meeting.objects.filter(cell=cell, year=year)
        .select_related("topic", "minutes", "conclusion")
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
    """The organisation's ancestors that the user may open (those inside their committee)."""
    crumbs = list(Organization.objects.ancestors_of(org).values("id", "name", "path"))
    if not access.superuser:
        crumbs = [c for c in crumbs if c["path"].startswith(access.committee_path)]
    return crumbs


def cell_leaders(*, cell: Organization):
    """The cell's secretary and deputies still in the cell (the contacts of a drill-down)."""
    return cell.members.filter(position__in=MANAGING_POSITIONS).exclude(status=MemberStatus.MOVED_OUT)
