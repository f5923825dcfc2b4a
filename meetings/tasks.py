"""Celery tasks: triggers only. Each loads by id and calls a service; the outbox rows in the
database are the source of truth, so a lost task only delays a message until the sweeper."""

from celery import shared_task
from django.utils import timezone

from meetings.services import notifications
from meetings.services.compliance_check import compliance_check_recent

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


@shared_task(**TASK_OPTIONS)
def send_notifications(ids: list[int]) -> dict:
    return notifications.notifications_send_batch(ids=ids)


@shared_task(**TASK_OPTIONS)
def send_due() -> int:
    return notifications.notifications_send_due(now=timezone.now())


@shared_task(**TASK_OPTIONS)
def create_reminders() -> int:
    return notifications.notifications_for_upcoming(now=timezone.now())


@shared_task(**TASK_OPTIONS)
def quarter_watch() -> int:
    return notifications.notifications_for_quarter_watch(today=timezone.localdate())


@shared_task(**TASK_OPTIONS)
def compliance_check() -> list[dict]:
    return compliance_check_recent(today=timezone.localdate())
