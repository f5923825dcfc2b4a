"""What the rest of the package shares: the kinds of messages, the time stamp written into
keys and contexts, and handing row ids to the worker (or, within a paused block, not)."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import logging

from django.conf import settings

from meetings.models import Notification, NotificationKind, NotificationStatus

log = logging.getLogger(__name__)

K = NotificationKind
S = NotificationStatus

MEETING_KINDS = {K.NOTICE, K.MEETING_REMINDER, K.REPLY_REMINDER}
REMINDER_KINDS = {K.MEETING_REMINDER, K.REPLY_REMINDER}
ICS_KINDS = {K.NOTICE, K.MEETING_REMINDER, K.REPLY_REMINDER}


def utc_stamp(value: datetime.datetime | None) -> str:
    """A compact UTC timestamp that identifies "the time this message was made for"."""
    if value is None:
        return ""
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%MZ")


def chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


_dispatch_paused: contextvars.ContextVar[bool] = contextvars.ContextVar("notifications_dispatch_paused", default=False)


@contextlib.contextmanager
def notifications_dispatch_paused():
    """Within the block rows are still written, but none is handed to the worker (e.g. demo
    history created with past dates). The rows stay pending, so the sweeper would still send
    them: the caller cancels them (`notifications_cancel_unsent`) or lets them go."""
    token = _dispatch_paused.set(True)
    try:
        yield
    finally:
        _dispatch_paused.reset(token)


def dispatch_is_paused() -> bool:
    return _dispatch_paused.get()


def notifications_cancel_unsent(*, meeting_ids, reason: str, after_id: int = 0) -> int:
    """Cancel the pending rows of the given meetings (only rows with pk > after_id)."""
    return Notification.objects.filter(meeting_id__in=meeting_ids, status=S.PENDING, pk__gt=after_id).update(
        status=S.CANCELLED, claimed_at=None, next_attempt_at=None, last_error=reason[:2000]
    )


def enqueue(ids: list[int]) -> bool:
    """Hand rows to the worker. A trigger only: if the broker is down the rows stay pending
    and the sweeper sends them. Returns False when publishing failed."""
    from kombu.exceptions import OperationalError

    from meetings import tasks  # tasks import this package

    if dispatch_is_paused():
        return True  # deliberately not dispatched; the rows stay in the outbox
    for chunk in chunks(list(ids), settings.NOTIFICATIONS["BATCH_SIZE"]):
        try:
            tasks.send_notifications.delay(chunk)
        except (OperationalError, OSError) as exc:
            log.warning("Broker unavailable, %d notifications left for the sweeper: %s", len(ids), exc)
            return False
    return True
