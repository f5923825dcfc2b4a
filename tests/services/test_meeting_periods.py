"""No backdating (a closed quarter cannot be made compliant), notice before the start, chair and
clerk, and the order of the steps (DOMAIN.md §8)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.models import ComplianceSummary, MeetingKind, MeetingStep, MemberStatus, Minutes, Notification
from meetings.periods import quarter_bounds
from meetings.services import meeting_run as run_svc
from meetings.services import meetings as svc
from meetings.workflow import Stage, Step
from tests import factories as f
from tests.services.test_meetings import _prepare_until_notice, make_meeting, run_all

pytestmark = pytest.mark.django_db

Q2_LATE = datetime.date(2026, 6, 29)


def at(day: datetime.date, hour: int = 9):
    """Travel to a local moment of `day` (Asia/Ho_Chi_Minh)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return time_machine.travel(moment, tick=False)


def noticed(cell, secretary, date: datetime.date):
    """A thematic meeting prepared ten days before `date` and noticed for 08:00 on it."""
    with at(date - datetime.timedelta(days=10)):
        meeting = make_meeting(cell, secretary.user, date=date)
        return _prepare_until_notice(meeting, secretary.user, secretary, date, start=datetime.time(8))


def held(cell, secretary, date: datetime.date, *, started_on: datetime.date | None = None):
    """Noticed, then started (on `started_on`, else on its date), recorded and held."""
    meeting = noticed(cell, secretary, date)
    with at(started_on or date, 10 if started_on is None else 9):
        meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.IN_PROGRESS)
        return run_all(meeting, secretary.user)


def schedule(meeting, user, day, **kwargs):
    return svc.meeting_schedule(
        meeting=meeting,
        actor=user,
        version=None,
        scheduled_date=day,
        start_time=datetime.time(8),
        place="Hội trường",
        **kwargs,
    )


# --- scheduling --------------------------------------------------------------------------


def test_q2_meeting_scheduled_in_q4_is_refused(cell, secretary):
    with at(datetime.date(2026, 5, 1)):
        meeting = make_meeting(cell, secretary.user, date=datetime.date(2026, 5, 20))
    with at(datetime.date(2026, 11, 10)), pytest.raises(ValidationError) as exc:
        schedule(meeting, secretary.user, datetime.date(2026, 5, 20))
    assert "Quý II/2026 đã kết thúc ngày 30/06/2026" in exc.value.message_dict["scheduled_date"][0]
    meeting.refresh_from_db()
    assert meeting.scheduled_date is None and meeting.period_warning == ""


def test_scheduling_on_the_last_grace_day_is_allowed_with_a_stored_warning(client, cell, secretary):
    with at(datetime.date(2026, 6, 1)):
        meeting = make_meeting(cell, secretary.user, date=Q2_LATE)
    with at(datetime.date(2026, 7, 5)):
        meeting = schedule(meeting, secretary.user, Q2_LATE)
    meeting.refresh_from_db()
    assert (meeting.year, meeting.quarter) == (2026, 2)
    assert "Quý II/2026 được xếp lịch ngày 05/07/2026" in meeting.period_warning
    assert "thời hạn bổ sung 5 ngày" in meeting.period_warning
    client.force_login(secretary.user)
    assert meeting.period_warning in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()


def test_scheduling_one_day_after_the_grace_is_refused(cell, secretary):
    with at(datetime.date(2026, 6, 1)):
        meeting = make_meeting(cell, secretary.user, date=Q2_LATE)
    with at(datetime.date(2026, 7, 6)), pytest.raises(ValidationError, match="hết 5 ngày bổ sung vào ngày 05/07/2026"):
        schedule(meeting, secretary.user, Q2_LATE)


def test_moving_the_date_into_an_open_quarter_clears_the_warning(cell, secretary):
    with at(datetime.date(2026, 6, 1)):
        meeting = make_meeting(cell, secretary.user, date=Q2_LATE)
    with at(datetime.date(2026, 7, 2)):
        meeting = schedule(meeting, secretary.user, Q2_LATE)
        assert meeting.period_warning
        meeting = schedule(meeting, secretary.user, datetime.date(2026, 7, 20))
    meeting.refresh_from_db()
    assert (meeting.quarter, meeting.period_warning) == (3, "")


def test_grace_is_configurable(cell, secretary, settings):
    settings.CHIBO = {**settings.CHIBO, "PERIOD_GRACE_DAYS": 0}
    with at(datetime.date(2026, 6, 1)):
        meeting = make_meeting(cell, secretary.user, date=Q2_LATE)
    with at(datetime.date(2026, 7, 1)), pytest.raises(ValidationError, match="Quý II/2026"):
        schedule(meeting, secretary.user, Q2_LATE)


def test_a_regular_meeting_is_not_period_checked(cell, secretary):
    meeting = f.MeetingFactory(cell=cell, kind=MeetingKind.REGULAR, stage=Stage.PLANNED, year=2026, quarter=2)
    with at(datetime.date(2026, 11, 10)):
        meeting = schedule(meeting, secretary.user, datetime.date(2026, 5, 20))
    assert meeting.period_warning == ""


# --- starting and finalising -------------------------------------------------------------


def test_q2_meeting_started_in_q4_is_refused(cell, secretary):
    meeting = noticed(cell, secretary, datetime.date(2026, 5, 20))
    with at(datetime.date(2026, 11, 10)), pytest.raises(ValidationError, match="không thể bắt đầu"):
        svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.IN_PROGRESS)
    meeting.refresh_from_db()
    assert meeting.stage == Stage.NOTICED


def test_q2_meeting_held_in_q2_but_finalised_in_q4_is_refused_and_q2_stays_not_compliant(cell, secretary):
    meeting = held(cell, secretary, datetime.date(2026, 5, 20))
    with at(datetime.date(2026, 11, 10)), pytest.raises(ValidationError, match="không thể hoàn tất biên bản"):
        svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    meeting.refresh_from_db()
    assert meeting.stage == Stage.HELD and not Minutes.objects.filter(meeting=meeting).exists()
    summary = ComplianceSummary.objects.filter(cell=cell, year=2026, quarter=2).first()
    assert summary is None or not summary.compliant


def test_started_and_finalised_within_grace_counts_with_the_warning_in_the_minutes(cell, secretary):
    meeting = held(cell, secretary, Q2_LATE, started_on=datetime.date(2026, 7, 3))
    # Each action in the grace days replaces the warning: it names the latest.
    assert "Quý II/2026 được ghi nhận đã sinh hoạt ngày 03/07/2026" in meeting.period_warning
    with at(datetime.date(2026, 7, 4)):
        minutes = svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    period = [w for w in minutes.warnings if "Quý II/2026" in w]
    assert period == [
        "Buổi sinh hoạt chuyên đề Quý II/2026 được hoàn tất biên bản ngày 04/07/2026, "
        "sau khi quý kết thúc (30/06/2026), trong thời hạn bổ sung 5 ngày."
    ]
    assert ComplianceSummary.objects.get(cell=cell, year=2026, quarter=2).compliant


def test_finalising_on_the_last_grace_day_is_allowed_and_one_day_later_refused(cell, secretary):
    meeting = held(cell, secretary, Q2_LATE)
    assert meeting.period_warning == ""
    with at(datetime.date(2026, 7, 6)), pytest.raises(ValidationError, match="Quý II/2026 đã kết thúc ngày 30/06/2026"):
        svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    with at(datetime.date(2026, 7, 5)):
        minutes = svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    assert any("hoàn tất biên bản ngày 05/07/2026" in w for w in minutes.warnings)


def test_a_meeting_held_inside_its_quarter_carries_no_period_warning(cell, secretary):
    meeting = held(cell, secretary, Q2_LATE)
    # The outbox delivered the notice: every member received the materials (no warning).
    Notification.objects.filter(meeting=meeting, kind="notice").update(status="sent", sent_at=meeting.notice_sent_at)
    with at(datetime.date(2026, 6, 30), 20):
        minutes = svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    assert minutes.warnings == []


# --- notice ------------------------------------------------------------------------------


def test_notice_after_the_start_time_is_refused(cell, secretary):
    date = datetime.date(2026, 5, 20)
    with at(date - datetime.timedelta(days=10)):
        meeting = make_meeting(cell, secretary.user, date=date)
        meeting = _prepare_until_notice(meeting, secretary.user, secretary, date, start=datetime.time(8))
        meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.SCHEDULED)
    with at(date, 8), pytest.raises(ValidationError, match="Đã quá giờ họp"):
        svc.meeting_send_notice(meeting=meeting, actor=secretary.user)
    meeting.refresh_from_db()
    assert meeting.stage == Stage.SCHEDULED


def test_notice_once_in_progress_is_refused_but_going_back_sends_none(cell, secretary):
    date = datetime.date(2026, 5, 20)
    meeting = noticed(cell, secretary, date)
    sent_at = meeting.notice_sent_at
    with at(date, 10):
        meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.IN_PROGRESS)
        with pytest.raises(ValidationError, match="đã bắt đầu"):
            svc.meeting_send_notice(meeting=meeting, actor=secretary.user)
        meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.NOTICED)
    assert meeting.stage == Stage.NOTICED and meeting.notice_sent_at == sent_at


# --- chair and clerk ---------------------------------------------------------------------


def test_chair_and_clerk_the_same_person_is_refused(cell, secretary):
    meeting = make_meeting(cell, secretary.user)
    with pytest.raises(ValidationError) as exc:
        schedule(meeting, secretary.user, timezone.localdate(), chair=secretary, clerk=secretary)
    assert exc.value.message_dict["clerk"] == ["Người chủ trì và thư ký phải là hai đồng chí khác nhau."]


@pytest.mark.parametrize("status", [MemberStatus.EXEMPT, MemberStatus.ELSEWHERE])
def test_chair_who_cannot_take_part_is_refused(cell, secretary, status):
    meeting = make_meeting(cell, secretary.user)
    chair = f.MemberFactory(cell=cell, status=status)
    with pytest.raises(ValidationError) as exc:
        schedule(meeting, secretary.user, timezone.localdate(), chair=chair, clerk=secretary)
    assert "không thể chủ trì" in exc.value.message_dict["chair"][0]
    meeting.refresh_from_db()
    assert meeting.chair_id is None


def test_clerk_chosen_at_step_2_cannot_be_the_chair(cell, secretary):
    meeting = held(cell, secretary, Q2_LATE)
    meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.IN_PROGRESS)
    with pytest.raises(ValidationError) as exc:
        run_svc.meeting_step_record(meeting=meeting, actor=secretary.user, step=Step.CLERK, clerk=meeting.chair)
    assert "hai đồng chí khác nhau" in exc.value.message_dict["clerk"][0]


# --- order of the steps ------------------------------------------------------------------


def test_step_recorded_before_earlier_ones_is_stored_as_a_warning(cell, secretary):
    date = datetime.date(2026, 5, 20)
    meeting = noticed(cell, secretary, date)
    with at(date, 10):
        meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.IN_PROGRESS)
        run_svc.meeting_step_record(meeting=meeting, actor=secretary.user, step=Step.OPENING)
        step = run_svc.meeting_step_record(meeting=meeting, actor=secretary.user, step=Step.PURPOSE, text="Mục đích")
        warning = "Bước 5 (Bí thư nêu mục đích, yêu cầu) được ghi nhận khi bước 2, 3, 4 chưa được ghi nhận"
        assert step.order_warning.startswith(warning)
        meeting = run_all(meeting, secretary.user)  # records every step, purpose again
    assert MeetingStep.objects.get(meeting=meeting, step=Step.PURPOSE).order_warning.startswith(warning)
    assert MeetingStep.objects.exclude(order_warning="").count() == 1
    with at(date, 20):
        minutes = svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    assert any(w.startswith(warning) for w in minutes.warnings)


def test_the_last_quarter_of_year_9999_has_bounds():
    # A hostile date posted to the schedule form must be refused, never a 500.
    assert quarter_bounds(9999, 4) == (datetime.date(9999, 10, 1), datetime.date(9999, 12, 31))
