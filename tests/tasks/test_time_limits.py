"""Every task has a soft and a hard time limit, and a soft limit reached mid-task leaves the
data as it was or as a rerun expects it (no generic `except` swallows it)."""

import datetime
import zoneinfo

import pytest
import time_machine
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core import mail

from chibo.celery import app
from meetings import models as m
from meetings import tasks
from meetings.periods import quarter_of
from meetings.services import notifications as svc
from meetings.services.notifications import delivery
from meetings.services.notifications.rendering import MessageBuilder
from meetings.workflow import Stage
from tests import factories as f

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
S = m.NotificationStatus
NOW = datetime.datetime(2026, 3, 1, 9, tzinfo=VN)


def meetings_tasks() -> dict:
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if name.startswith("meetings.")}


def test_every_registered_task_has_a_soft_and_a_hard_limit():
    registered = meetings_tasks()
    assert set(registered) >= {
        "meetings.tasks.send_notifications",
        "meetings.tasks.send_due",
        "meetings.tasks.create_reminders",
        "meetings.tasks.quarter_watch",
        "meetings.tasks.compliance_check",
    }
    for name, task in registered.items():
        assert task.soft_time_limit and task.time_limit, name
        assert 0 < task.soft_time_limit < task.time_limit, name


def test_the_worker_defaults_come_from_the_settings():
    assert app.conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_every_scheduled_task_is_a_limited_one():
    registered = meetings_tasks()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert registered[entry["task"]].soft_time_limit, entry["task"]


def test_jobs_over_every_cell_get_longer_limits_than_a_mail_batch():
    batch = tasks.send_notifications
    for task in (tasks.create_reminders, tasks.quarter_watch, tasks.compliance_check):
        assert task.soft_time_limit > batch.soft_time_limit
        assert task.time_limit > task.soft_time_limit


# --- a soft limit inside the outbox delivery -----------------------------------------------------


@pytest.fixture
def notice_rows(cell, secretary, member):
    f.MemberFactory(cell=cell, email="ba@example.vn")
    local = datetime.datetime(2026, 3, 20, 8, tzinfo=VN)
    meeting = f.MeetingFactory(
        cell=cell,
        stage=Stage.NOTICED,
        scheduled_date=local.date(),
        start_time=local.time(),
        starts_at=local,
        place="Hội trường tầng 2",
        year=local.year,
        quarter=quarter_of(local),
    )
    with time_machine.travel(NOW, tick=False), svc.notifications_dispatch_paused():
        svc.notifications_for_notice(meeting=meeting)
    rows = list(m.Notification.objects.filter(kind=m.NotificationKind.NOTICE).order_by("pk"))
    assert len(rows) >= 3
    return rows


def statuses(rows) -> list[tuple[str, int]]:
    return list(
        m.Notification.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk").values_list("status", "attempts")
    )


@time_machine.travel(NOW, tick=False)
def test_a_soft_limit_while_sending_hands_the_unsent_rows_back(notice_rows, monkeypatch):
    sent = []
    real_send = delivery._Mailer.send

    def send(self, msg):
        if sent:
            raise SoftTimeLimitExceeded()
        real_send(self, msg)
        sent.append(msg)

    monkeypatch.setattr(delivery._Mailer, "send", send)
    with pytest.raises(SoftTimeLimitExceeded):
        tasks.send_notifications([r.pk for r in notice_rows])
    assert len(mail.outbox) == 1
    # The first row is marked sent; the one being sent and those after it are pending again,
    # their attempt not counted, so the sweeper sends them; none is left claimed or failed.
    assert statuses(notice_rows) == [(S.SENT, 1)] + [(S.PENDING, 0)] * (len(notice_rows) - 1)
    monkeypatch.undo()
    svc.notifications_send_batch(ids=[r.pk for r in notice_rows])
    assert {s for s, _ in statuses(notice_rows)} == {S.SENT}


@time_machine.travel(NOW, tick=False)
def test_a_soft_limit_while_building_a_message_is_not_taken_for_bad_data(notice_rows, monkeypatch):
    def build(self, n):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(MessageBuilder, "build", build)
    with pytest.raises(SoftTimeLimitExceeded):
        tasks.send_notifications([r.pk for r in notice_rows])
    assert {s for s, _ in statuses(notice_rows)} == {S.PENDING}


def test_a_soft_limit_while_building_an_attachment_is_not_taken_for_a_missing_document():
    # A broken document degrades to a link; running out of time must stop the batch instead.
    def build():
        raise SoftTimeLimitExceeded()

    with pytest.raises(SoftTimeLimitExceeded):
        MessageBuilder()._cached(("pdf", 1), build)
    assert MessageBuilder()._cached(("pdf", 1), lambda: 1 / 0) is None


# --- a soft limit inside the nightly compliance check --------------------------------------------


def test_a_soft_limit_in_the_compliance_check_rolls_its_quarter_back(db, monkeypatch):
    from meetings.services import compliance_check as cc
    from tests.dashboard_tree import QUARTER, YEAR, build_tree

    tree = build_tree()
    drifted = m.ComplianceSummary.objects.filter(cell=tree["a1"], year=YEAR, quarter=QUARTER)
    drifted.update(finalized_count=9)
    m.OrgQuarterStats.objects.filter(org=tree["a"], year=YEAR, quarter=QUARTER).update(cells_compliant=7)

    def stop(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(cc, "_repair_rollups", stop)  # after the summaries were repaired
    with pytest.raises(SoftTimeLimitExceeded):
        cc.compliance_check(year=YEAR, quarter=QUARTER)
    assert drifted.get().finalized_count == 9  # the quarter's repair rolled back as a whole
    monkeypatch.undo()
    assert cc.compliance_check(year=YEAR, quarter=QUARTER)["summaries_repaired"] == 1  # a rerun repairs it
