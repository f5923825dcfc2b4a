"""Reads of action items (issue 17, item 1): a meeting's list for step 9 and the minutes, the
owner's list on the home page, the cell's overdue items, and the scoped fetch of the progress
page. Each is a fixed number of queries whatever the number of items."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from meetings.models import ACTION_PENDING_STATUSES, MANAGING_POSITIONS, ActionItem, ActionOwnerKind
from meetings.workflow import Stage

HOME_LIMIT = 20


def meeting_action_items(meeting_id: int) -> list[ActionItem]:
    return list(ActionItem.objects.filter(meeting_id=meeting_id).select_related("owner_member").order_by("number"))


def action_item_rows(items) -> list[dict]:
    """What the minutes freeze and print: number, what, who, due date (ISO)."""
    return [
        {
            "number": i.number,
            "text": i.text,
            "owner": i.owner_label,
            "due_on": i.due_on.isoformat(),
            "due_label": i.due_on.strftime("%d/%m/%Y"),
        }
        for i in items
    ]


def _owned_q(access) -> Q:
    """Items this user reports on: their own, and for the secretary or deputy the committee's
    and the whole cell's items of their cell."""
    if not access.member_id:
        return Q(pk__in=[])
    # Items become the owner's work once the minutes are finalised.
    finalized = Q(meeting__stage=Stage.FINALIZED)
    q = Q(owner_kind=ActionOwnerKind.MEMBER, owner_member_id=access.member_id)
    if access.position in MANAGING_POSITIONS:
        q |= Q(cell_id=access.cell_id, owner_kind__in=[ActionOwnerKind.COMMITTEE, ActionOwnerKind.CELL])
    return q & finalized


def action_item_for_owner(access, pk: int) -> ActionItem:
    """The progress page's fetch: anyone else gets the same 404 as for a missing item."""
    item = (
        ActionItem.objects.filter(_owned_q(access), pk=pk)
        .select_related("owner_member", "meeting", "meeting__topic", "cell")
        .defer("meeting__topic__search_text", "meeting__topic__lead_paper_text", "meeting__topic__completed_text")
        .first()
    )
    if item is None:
        raise Http404
    return item


@dataclass
class ActionLine:
    item: ActionItem
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def _lines(qs, today) -> list[ActionLine]:
    items = qs.select_related("owner_member").order_by("due_on", "pk")[:HOME_LIMIT]
    return [ActionLine(item, (item.due_on - today).days) for item in items]


def owner_action_items(*, access, today: datetime.date | None = None) -> list[ActionLine]:
    """The pending items the user reports on, earliest due first (one query)."""
    today = today or timezone.localdate()
    return _lines(ActionItem.objects.filter(_owned_q(access), status__in=ACTION_PENDING_STATUSES), today)


def cell_overdue_action_items(*, cell_id: int, today: datetime.date | None = None) -> list[ActionLine]:
    """The cell's pending items past their due date, for the secretary (one query)."""
    today = today or timezone.localdate()
    return _lines(
        ActionItem.objects.filter(
            cell_id=cell_id, meeting__stage=Stage.FINALIZED, status__in=ACTION_PENDING_STATUSES, due_on__lt=today
        ),
        today,
    )


@dataclass(frozen=True)
class MemberScope:
    """The part of permissions.Access the owner queries read, built from a member row."""

    member_id: int
    cell_id: int
    position: str


def access_for_member(member) -> MemberScope:
    return MemberScope(member_id=member.pk, cell_id=member.cell_id, position=member.position)
