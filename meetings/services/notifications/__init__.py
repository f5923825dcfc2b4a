"""The e-mail outbox.

Each event writes Notification rows in the caller's transaction (`events`); once it commits,
the due rows are handed to a Celery task, which claims them, builds each message
(`rendering`) and sends it through Django's mail backend (`delivery`). The rows are the
source of truth: the periodic sweeper sends whatever a lost task or a dead worker left, and
a claim per row makes sure no row is sent twice.
"""

from meetings.services.notifications.delivery import (
    notification_resend,
    notifications_send_batch,
    notifications_send_due,
)
from meetings.services.notifications.events import (
    notifications_for_addendum,
    notifications_for_deadlines,
    notifications_for_finalized,
    notifications_for_notice,
    notifications_for_quarter_watch,
    notifications_for_report_answer,
    notifications_for_schedule_change,
    notifications_for_signed,
    notifications_for_upcoming,
)
from meetings.services.notifications.outbox import enqueue, notifications_cancel_unsent, notifications_dispatch_paused

__all__ = [
    "enqueue",
    "notification_resend",
    "notifications_cancel_unsent",
    "notifications_dispatch_paused",
    "notifications_for_addendum",
    "notifications_for_deadlines",
    "notifications_for_finalized",
    "notifications_for_notice",
    "notifications_for_quarter_watch",
    "notifications_for_report_answer",
    "notifications_for_schedule_change",
    "notifications_for_signed",
    "notifications_for_upcoming",
    "notifications_send_batch",
    "notifications_send_due",
]
