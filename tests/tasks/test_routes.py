"""Queues: which queue each task is published to (settings CELERY_TASK_ROUTES,
chibo.celery.route_outbox_batch), and a worker of one queue that a flood in another never delays."""

import datetime
import itertools
from pathlib import Path

import pytest
import redis
from django.db import transaction
from django.utils import timezone

from chibo.celery import app
from meetings import models as m
from meetings import tasks
from meetings.services import notifications as svc
from meetings.services.notifications.outbox import enqueue
from tests import factories as f
from tests.tasks.conftest import wait_for
from tests.tasks.test_worker import members, noticed_meeting

K = m.NotificationKind


def queue_of(task, *args):
    return app.amqp.router.route({}, task.name, args, {})["queue"].name


_keys = itertools.count()


def outbox_rows(kind, n):
    due = timezone.now() + datetime.timedelta(days=1)
    rows = [
        m.Notification(key=f"test-{next(_keys)}", kind=kind, recipient_email=f"dv{i}@example.vn", due_at=due)
        for i in range(n)
    ]
    return [row.pk for row in m.Notification.objects.bulk_create(rows)]


def test_a_worker_without_a_queue_consumes_every_queue():
    # `make worker` and chibo-worker.service start celery without -Q.
    assert set(app.amqp.queues) == {"chibo", "email", "documents", "reports"}


def test_night_jobs_go_to_the_reports_queue():
    for task in (tasks.create_reminders, tasks.quarter_watch, tasks.compliance_check):
        assert queue_of(task) == "reports", task.name


def test_the_sweeper_goes_to_the_email_queue():
    assert queue_of(tasks.send_due) == "email"


@pytest.mark.django_db
def test_a_batch_with_documents_goes_to_the_documents_queue():
    for kind in (K.NOTICE, K.STUDY, K.REPORT):
        assert queue_of(tasks.send_notifications, outbox_rows(kind, 3)) == "documents", kind
    # A sweeper's mixed batch: one row with documents is enough.
    mixed = outbox_rows(K.MEETING_REMINDER, 4) + outbox_rows(K.STUDY, 1)
    assert queue_of(tasks.send_notifications, mixed) == "documents"


@pytest.mark.django_db
def test_a_batch_of_plain_mail_goes_to_the_email_queue():
    for kind in (K.MEETING_REMINDER, K.DEADLINE_REMINDER, K.QUARTER_WARNING, K.ACTION_REMINDER):
        assert queue_of(tasks.send_notifications, outbox_rows(kind, 3)) == "email", kind


@pytest.mark.django_db
def test_the_embedded_default_runs_tasks_in_process(mailoutbox, django_capture_on_commit_callbacks):
    # No REDIS_URL: eager, no broker, no routing; the mail goes out when the write commits.
    cell = f.CellFactory()
    f.SecretaryFactory(cell=cell, email="bithu@example.vn")
    meeting = noticed_meeting(cell)
    with django_capture_on_commit_callbacks(execute=True):
        svc.notifications_for_notice(meeting=meeting)
    assert m.Notification.objects.filter(kind=K.NOTICE, status=m.NotificationStatus.SENT).count() >= 1
    assert len(mailoutbox) >= 1


@pytest.mark.services
@pytest.mark.worker
def test_a_flood_of_email_never_delays_the_documents_queue(services, smtp_sink):
    """A worker of the documents queue delivers a notice fan-out at once while 2,000
    reminders wait in the e-mail queue (their worker is busy elsewhere, or down)."""
    broker = redis.Redis.from_url(services.broker_url)
    flood = outbox_rows(K.MEETING_REMINDER, 2000)
    assert enqueue(flood)
    assert broker.llen("email") == 20  # batches of NOTIFICATIONS["BATCH_SIZE"] (100)

    proc = services._start(
        [
            "worker",
            "-l",
            "info",
            "-Q",
            "documents",
            "-c",
            "1",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "documents@%h",
        ],
        "worker",
    )
    wait_for(lambda: b"ready." in Path(proc.log_path).read_bytes(), timeout=60, what="documents worker ready")
    cell = f.CellFactory()
    members(cell, 30)
    meeting = noticed_meeting(cell)
    with transaction.atomic():
        svc.notifications_for_notice(meeting=meeting)
    wait_for(lambda: smtp_sink.count() == 30, timeout=60, what="the 30 notices")
    assert m.Notification.objects.filter(kind=K.NOTICE, status=m.NotificationStatus.SENT).count() == 30
    assert broker.llen("email") == 20
    assert m.Notification.objects.filter(pk__in=flood, status=m.NotificationStatus.PENDING).count() == 2000
