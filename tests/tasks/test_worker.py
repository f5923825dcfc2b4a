"""Delivery through a real Celery worker, Redis and an SMTP sink: none lost, none twice."""

import datetime
import os
import shutil
import signal
import time

import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from meetings import models as m
from meetings import tasks
from meetings.periods import quarter_of
from meetings.services import notifications as svc
from meetings.workflow import Stage
from tests import factories as f
from tests.tasks.conftest import PrivateRedis, free_port, point_app_to, wait_for

pytestmark = [pytest.mark.services, pytest.mark.worker]

S = m.NotificationStatus


def noticed_meeting(cell, *, days_ahead=10):
    starts = (timezone.now() + datetime.timedelta(days=days_ahead)).replace(second=0, microsecond=0)
    local = timezone.localtime(starts)
    return f.MeetingFactory(
        cell=cell,
        stage=Stage.NOTICED,
        starts_at=starts,
        scheduled_date=local.date(),
        start_time=local.time(),
        place="Phòng họp số 1",
        year=local.year,
        quarter=quarter_of(local),
    )


def members(cell, n):
    rows = [
        m.Member(cell=cell, full_name=f"Đảng viên số {i}", email=f"dv{i:03d}@example.vn", sort_key=f"{i:05d}")
        for i in range(n)
    ]
    return m.Member.objects.bulk_create(rows)


def statuses(**filters):
    return dict(m.Notification.objects.filter(**filters).values_list("status").annotate(n=Count("pk")))


def test_worker_killed_mid_fan_out_every_recipient_gets_exactly_one(services, smtp_sink):
    cell = f.CellFactory()
    members(cell, 200)
    meeting = noticed_meeting(cell)
    worker = services.worker(concurrency=1)
    killed = []

    def kill_on_60th(seen):
        # SIGKILL the whole worker while it waits for the reply to its 60th DATA: the server
        # never said 250, so (as in RFC 5321) that message is not delivered.
        if seen == 60 and not killed:
            os.killpg(worker.pid, signal.SIGKILL)
            killed.append(seen)
            return "451 4.3.0 connection lost"
        if killed and worker.poll() is None:
            return "451 4.3.0 connection lost"
        return None

    smtp_sink.on_data = kill_on_60th
    with transaction.atomic():
        svc.notifications_for_notice(meeting=meeting)
    wait_for(lambda: killed and worker.poll() is not None, timeout=60, what="the worker to be killed")
    delivered_before_restart = smtp_sink.count()
    assert 0 < delivered_before_restart < 200
    # Every delivered message is already marked sent; only the rest of the killed batch is
    # left claimed (sending) for the sweeper to release after the claim timeout.
    assert m.Notification.objects.filter(kind="notice", status=S.SENT).count() == delivered_before_restart
    assert m.Notification.objects.filter(kind="notice", status=S.SENDING).count() >= 1

    smtp_sink.on_data = None
    services.worker(concurrency=2)

    def all_sent():
        tasks.send_due.delay()  # what beat does every minute
        return m.Notification.objects.filter(kind="notice", status=S.SENT).count() == 200

    wait_for(all_sent, timeout=90, interval=1.5, what="all 200 notices sent after the restart")
    time.sleep(6)  # let the killed task come back from Redis (visibility timeout 5 s)
    tasks.send_due.delay()
    time.sleep(2)
    counts = smtp_sink.per_recipient()
    assert len(counts) == 200
    assert set(counts.values()) == {1}, {k: v for k, v in counts.items() if v != 1}
    assert statuses(kind="notice") == {S.SENT: 200}


def _finalize(meeting, committee):
    """The finalisation's writes and its trigger, as the workflow service does them."""
    from meetings.services.reports import report_submit

    with transaction.atomic():
        minutes = m.Minutes.objects.create(
            meeting=meeting, cell=meeting.cell, year=meeting.year, number=1, finalized_at=timezone.now()
        )
        m.Meeting.objects.filter(pk=meeting.pk).update(stage=Stage.FINALIZED)
        report = report_submit(minutes=minutes)
        svc.notifications_for_finalized(meeting=meeting, minutes=minutes, report=report)
    return report


def test_redis_down_finalisation_is_fast_and_report_arrives_within_one_sweep(services, smtp_sink, tmp_path):
    committee = f.CommitteeFactory(email="dangu-khoi@example.vn")
    cell = f.CellFactory(parent=committee)
    members(cell, 3)
    meeting = noticed_meeting(cell, days_ahead=-1)
    sweep_every = 3.0
    if shutil.which("redis-server"):
        redis = PrivateRedis(tmp_path)
        redis.start()
        services.broker_url = redis.url
        point_app_to(redis.url)
        services.worker(concurrency=1)
        services.beat(every=sweep_every)
        redis.stop()  # Redis goes down under a running worker and beat
    else:  # no binary to restart Redis: the broker is a dead port until the processes start
        redis = None
        point_app_to(f"redis://127.0.0.1:{free_port()}/0")

    started = time.monotonic()
    report = _finalize(meeting, committee)
    elapsed = time.monotonic() - started
    assert elapsed < 3.0, f"finalisation took {elapsed:.2f}s with Redis down"
    rows = m.Notification.objects.filter(kind="report", context__report_id=report.pk)
    assert [r.status for r in rows] == [S.PENDING]
    time.sleep(1)
    assert smtp_sink.count() == 0

    if redis is not None:
        redis.start()
        back = time.monotonic()
    else:
        point_app_to(services.broker_url)
        services.worker(concurrency=1)
        services.beat(every=sweep_every)
        back = time.monotonic()
    wait_for(lambda: rows.filter(status=S.SENT).exists(), timeout=60, what="report delivered after Redis is back")
    took = time.monotonic() - back
    # Within one sweep once the worker has reconnected (Celery's reconnect backoff included).
    assert took < 30, took
    report_mail = [x for x in smtp_sink.messages if x["to"] == "dangu-khoi@example.vn"]
    assert len(report_mail) == 1
    assert rows.get().sent_at is not None
    assert m.Notification.objects.filter(kind="study", status=S.SENT).count() == 3
    if redis is not None:
        services.stop_all()
        redis.stop()


def test_smtp_refusing_mail_retries_then_fails_and_resend_works_after_recovery(services, smtp_sink):
    cell = f.CellFactory()
    members(cell, 3)
    meeting = noticed_meeting(cell)
    services.worker(concurrency=1, NOTIFICATIONS_MAX_ATTEMPTS="3")
    smtp_sink.refuse = True
    with transaction.atomic():
        svc.notifications_for_notice(meeting=meeting)
    notices = m.Notification.objects.filter(kind="notice")

    def all_failed():
        tasks.send_due.delay()
        return notices.filter(status=S.FAILED).count() == 3

    wait_for(all_failed, timeout=60, interval=1.0, what="three failed notices")
    for n in notices:
        assert n.attempts == 3
        assert "550" in n.last_error
    assert smtp_sink.count() == 0

    smtp_sink.refuse = False
    secretary = f.SecretaryFactory(cell=cell)
    for n in notices:
        with transaction.atomic():
            svc.notification_resend(notification=n, actor=secretary.user)
    wait_for(lambda: notices.filter(status=S.SENT).count() == 3, timeout=30, what="resent notices")
    counts = smtp_sink.per_recipient()
    assert sorted(counts) == ["dv000@example.vn", "dv001@example.vn", "dv002@example.vn"]
    assert set(counts.values()) == {1}
