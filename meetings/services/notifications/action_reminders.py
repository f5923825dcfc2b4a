"""Reminders before an action item's due date (issue 17, item 1), following the deadline
reminders of events.py: one row per item, recipient and due date (the key), due in the morning
CHIBO["ACTION_REMINDER_DAYS"] days before, written when the minutes are finalised and again by
the daily job (idempotent: the key makes a second row impossible)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from meetings.models import (
    ACTION_PENDING_STATUSES,
    MANAGING_POSITIONS,
    ActionItem,
    ActionOwnerKind,
    Member,
    MemberStatus,
    Notification,
)
from meetings.services.notifications.events import _member_row, _morning_before, _store
from meetings.services.notifications.outbox import K
from meetings.workflow import Stage


def action_reminder_days() -> int:
    return int(settings.CHIBO.get("ACTION_REMINDER_DAYS", 3))


def _managers_by_cell(cell_ids) -> dict[int, list[Member]]:
    """Who answers for the committee's and the whole cell's items: the secretary and deputy."""
    out: dict[int, list[Member]] = {}
    managers = (
        Member.objects.filter(cell_id__in=cell_ids, position__in=MANAGING_POSITIONS)
        .exclude(status=MemberStatus.MOVED_OUT)
        .exclude(email="")
        .order_by("sort_key", "pk")
    )
    for m in managers:
        out.setdefault(m.cell_id, []).append(m)
    return out


def _rows(items: list[ActionItem], now: datetime.datetime) -> list[Notification]:
    days = action_reminder_days()
    today = timezone.localdate(now)
    managers = _managers_by_cell({i.cell_id for i in items if i.owner_kind != ActionOwnerKind.MEMBER})
    rows = []
    for item in items:
        if item.due_on < today:
            continue
        due_at = _morning_before(item.due_on, days)
        if due_at is None:
            continue
        # Items finalised with less than N days left are reminded at once.
        due_at = max(due_at, now)
        if item.owner_kind == ActionOwnerKind.MEMBER:
            recipients = [item.owner_member] if item.owner_member and item.owner_member.email else []
        else:
            recipients = managers.get(item.cell_id, [])
        for member in recipients:
            rows.append(
                _member_row(
                    member,
                    key=f"action:{item.pk}:{member.pk}:{item.due_on:%Y%m%d}:{days}d",
                    kind=K.ACTION_REMINDER,
                    cell_id=item.cell_id,
                    meeting_id=item.meeting_id,
                    due_at=due_at,
                    context={
                        "item_id": item.pk,
                        "member_id": member.pk,
                        "number": item.number,
                        "text": item.text,
                        "owner": item.owner_label,
                        "due_on": item.due_on.isoformat(),
                        "days": max((item.due_on - today).days, 0),
                    },
                )
            )
    return rows


def _pending():
    return ActionItem.objects.filter(status__in=ACTION_PENDING_STATUSES).select_related("owner_member")


def notifications_for_action_items(*, meeting) -> int:
    """The reminders of a meeting's items, written with its minutes."""
    return _store(_rows(list(_pending().filter(meeting_id=meeting.pk)), timezone.now()))


def notifications_for_action_items_due(*, now: datetime.datetime | None = None) -> int:
    """Daily: the reminders of pending items of finalised meetings due within the coming days."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    window = (today, today + datetime.timedelta(days=action_reminder_days()))
    items = _pending().filter(meeting__stage=Stage.FINALIZED, due_on__range=window).order_by("pk")
    created = 0
    batch: list[ActionItem] = []
    for item in items.iterator(chunk_size=500):
        batch.append(item)
        if len(batch) == 500:
            created += _store(_rows(batch, now))
            batch = []
    return created + _store(_rows(batch, now))
