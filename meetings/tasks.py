"""Celery tasks: triggers only. Each loads by id and calls a service; the outbox rows in the
database are the source of truth, so a lost task only delays a message until the sweeper.

Every task has a soft and a hard time limit. The soft limit raises SoftTimeLimitExceeded in
the task, which must reach Celery (never caught as a generic error): the services leave data
consistent on it, an outbox batch handing its unsent rows back, a compliance check rolling its
transaction back, the reminder jobs having stored whole rows that a rerun skips (unique keys).
The hard limit kills the process; rows a batch had claimed are sent again by the sweeper after
NOTIFICATIONS["CLAIM_TIMEOUT_SECONDS"]."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from meetings.services import notifications
from meetings.services.compliance import compliance_refresh_late
from meetings.services.compliance_check import compliance_check_recent
from meetings.services.integrity_check import integrity_check_daily
from meetings.services.notifications.action_reminders import notifications_for_action_items_due

TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "ignore_result": True,
    "soft_time_limit": settings.CELERY_TASK_SOFT_TIME_LIMIT,
    "time_limit": settings.CELERY_TASK_TIME_LIMIT,
}
# The nightly and daily jobs walk every cell (300,000 at national scale).
LONG_TASK_OPTIONS = {**TASK_OPTIONS, "soft_time_limit": 30 * 60, "time_limit": 32 * 60}


@shared_task(**TASK_OPTIONS)
def send_notifications(ids: list[int]) -> dict:
    return notifications.notifications_send_batch(ids=ids)


@shared_task(**TASK_OPTIONS)
def send_due() -> int:
    return notifications.notifications_send_due(now=timezone.now())


@shared_task(**LONG_TASK_OPTIONS)
def create_reminders() -> int:
    now = timezone.now()
    created = notifications.notifications_for_upcoming(now=now)
    return created + notifications_for_action_items_due(now=now)


@shared_task(**LONG_TASK_OPTIONS)
def quarter_watch() -> int:
    return notifications.notifications_for_quarter_watch(today=timezone.localdate())


@shared_task(**LONG_TASK_OPTIONS)
def compliance_check() -> list[dict]:
    return compliance_check_recent(today=timezone.localdate())


@shared_task(**LONG_TASK_OPTIONS)
def action_items_late() -> int:
    return compliance_refresh_late(today=timezone.localdate())


# Reads every stored file: hours at national scale. Acknowledged on receipt, since a task still
# running past the broker's visibility timeout would be delivered again; a lost run is
# tomorrow's (it is read-only but for the alert).
INTEGRITY_TASK_OPTIONS = {
    **TASK_OPTIONS,
    "acks_late": False,
    "reject_on_worker_lost": False,
    "soft_time_limit": 4 * 3600,
    "time_limit": 4 * 3600 + 300,
}


@shared_task(**INTEGRITY_TASK_OPTIONS)
def integrity_check() -> dict:
    return integrity_check_daily()
