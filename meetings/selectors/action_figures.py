"""The committee's drill-down to the action items behind the dashboard's "Thực hiện kết luận"
figures (issue 17, item 3): for one organisation (a committee's whole subtree, or one cell)
and a quarter, its figures from the rollup row, the items due in the quarter page by page, and
the cells whose last meeting reviewed nothing. A fixed number of queries whatever the number
of cells and items: the figures are one rollup row, the list is a count and one page, the
flagged cells a partial index's first rows."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Collate
from django.utils import timezone

from meetings.models import ActionItem, ActionOwnerKind, ActionStatus, ComplianceSummary, Organization, OrgKind
from meetings.models.actions import late_q
from meetings.models.minutes import ROLLUP_FIELDS
from meetings.periods import quarter_bounds
from meetings.selectors.action_reviews import minutes_label
from meetings.selectors.dashboard import LIST_LIMIT, Figures, figures_from_row
from meetings.workflow import Stage

PAGE_SIZE = 50
# The export stops here (a national committee's quarter may hold hundreds of thousands of items;
# the page says so and the committee opens a child to go further).
EXPORT_LIMIT = 20_000

_STATUS_LABELS = dict(ActionStatus.choices)
_OWNER_LABELS = dict(ActionOwnerKind.choices)


def org_figures(*, org: Organization, year: int, quarter: int) -> Figures:
    """The organisation's own rollup row for the quarter (one query; no row means zeros)."""
    row = org.quarter_stats.filter(year=year, quarter=quarter).values(*ROLLUP_FIELDS).first() or {}
    return figures_from_row(org.subtree_cells, row)


def items_due(*, org: Organization, year: int, quarter: int, late_only: bool = False, today=None) -> QuerySet:
    """The items of finalised meetings of the organisation's cells due in the quarter, as the
    figures count them (dropped items left out), earliest due first."""
    today = today or timezone.localdate()
    qs = ActionItem.objects.filter(meeting__stage=Stage.FINALIZED, due_on__range=quarter_bounds(year, quarter)).exclude(
        status=ActionStatus.DROPPED
    )
    # A cell's items by its id; a committee's through its cells' paths.
    scope = {"cell_id": org.pk} if org.kind == OrgKind.CELL else {"cell__path__startswith": org.path}
    qs = qs.filter(**scope)
    if late_only:
        qs = qs.filter(late_q(today))
    # Due date then cell id: the order of the index action_item_due_cell_idx, so a page of a
    # large subtree is read in index order and stops after its rows.
    return qs.order_by("due_on", "cell_id", "meeting_id", "number").values(
        "id",
        "number",
        "text",
        "owner_kind",
        "due_on",
        "status",
        "done_on",
        "progress_note",
        "cell_id",
        "meeting_id",
        owner_name=F("owner_member__full_name"),
        cell_name=F("cell__name"),
        meeting_date=F("meeting__scheduled_date"),
        minutes_number=F("meeting__minutes__number"),
    )


@dataclass
class ItemRow:
    id: int
    cell_id: int
    cell_name: str
    minutes: str
    meeting_date: datetime.date | None
    number: int
    text: str
    owner: str
    due_on: datetime.date
    status: str
    status_label: str
    done_on: datetime.date | None
    on_time: bool
    late: bool
    progress_note: str


def item_row(values: dict, today: datetime.date) -> ItemRow:
    """Display values of one item; "late" by the rule the figures count with (ActionItem.late)."""
    item = ActionItem(status=values["status"], due_on=values["due_on"], done_on=values["done_on"])
    owner = _OWNER_LABELS[values["owner_kind"]]
    if values["owner_kind"] == ActionOwnerKind.MEMBER and values["owner_name"]:
        owner = f"Đồng chí {values['owner_name']}"
    return ItemRow(
        id=values["id"],
        cell_id=values["cell_id"],
        cell_name=values["cell_name"],
        minutes=minutes_label(values["minutes_number"]),
        meeting_date=values["meeting_date"],
        number=values["number"],
        text=values["text"],
        owner=owner,
        due_on=values["due_on"],
        status=values["status"],
        status_label=_STATUS_LABELS[values["status"]],
        done_on=values["done_on"],
        on_time=item.done_on_time,
        late=item.late(today),
        progress_note=values["progress_note"],
    )


def items_page(
    *, org: Organization, year: int, quarter: int, page, late_only: bool = False, today=None
) -> tuple[Page, list[ItemRow]]:
    """One page of the list (two queries: the count and the page's rows)."""
    today = today or timezone.localdate()
    qs = items_due(org=org, year=year, quarter=quarter, late_only=late_only, today=today)
    current = Paginator(qs, PAGE_SIZE).get_page(page)
    return current, [item_row(values, today) for values in current.object_list]


def export_rows(*, org: Organization, year: int, quarter: int, late_only: bool = False, today=None) -> list[ItemRow]:
    today = today or timezone.localdate()
    qs = items_due(org=org, year=year, quarter=quarter, late_only=late_only, today=today)
    return [item_row(values, today) for values in qs[:EXPORT_LIMIT]]


def review_skipped_cells(*, org: Organization, year: int, quarter: int, limit: int = LIST_LIMIT) -> list[dict]:
    """The first cells in path order whose last meeting of the quarter reviewed nothing, read
    through the partial index `summary_review_skipped_idx` (only the flagged rows)."""
    ordered = Collate("cell_path", "C") if connection.vendor == "postgresql" else F("cell_path")
    return list(
        ComplianceSummary.objects.filter(
            year=year, quarter=quarter, cell_path__startswith=org.path, review_skipped=True
        )
        .order_by(ordered)
        .values("cell_id", name=F("cell__name"), parent_name=F("cell__parent__name"))[:limit]
    )
