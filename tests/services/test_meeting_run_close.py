"""Step 9 in one save, ending the meeting with its times, and the roll call in one click
(services/meeting_run.py, services/meeting_attendance.py)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import Activity, Attendance, AttendanceReply, AttendanceStatus, Conclusion, Meeting, Resolution
from meetings.rules.attendance import expected_members
from meetings.rules.meetings import quality_criteria
from meetings.services import meeting_run as run_svc
from meetings.services import meetings as svc
from meetings.workflow import Stage
from tests.services.test_meetings import _yesterday_in_this_quarter, make_meeting, prepare  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def date():
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def running(cell, secretary, date):
    return prepare(make_meeting(cell, secretary.user, date=date), secretary.user, secretary, date)


def conclusion(**changes):
    return {
        "preparation_evaluation": "Chuẩn bị chu đáo",
        "quality_evaluation": "Sôi nổi",
        "adopted": "Thống nhất",
        "orientation": "",
        "criteria_scores": {k: m for k, _, m in quality_criteria()},
        **changes,
    }


def all_present(meeting, user):
    entries = {m.pk: (AttendanceStatus.PRESENT, "") for m in expected_members(meeting)}
    run_svc.meeting_attendance_set(meeting=meeting, actor=user, version=None, entries=entries)


# --- step 9 in one save ---------------------------------------------------------------------


def test_step9_saves_conclusion_resolution_and_times_together(running, secretary):
    all_present(running, secretary.user)
    running.refresh_from_db()
    meeting = run_svc.meeting_conclusion_step_save(
        meeting=running,
        actor=secretary.user,
        version=running.version,
        conclusion=conclusion(),
        resolution={"text": "Nghị quyết", "votes_for": 3, "votes_against": 0, "votes_abstain": 0},
        times=(datetime.time(8), datetime.time(10)),
    )
    assert Conclusion.objects.get(meeting=running).quality_score == 100
    assert Resolution.objects.get(meeting=running).votes_for == 3
    assert timezone.localtime(meeting.actual_end).time() == datetime.time(10)


def test_step9_reports_every_part_problem_at_once_and_saves_nothing(running, secretary):
    all_present(running, secretary.user)
    running.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        run_svc.meeting_conclusion_step_save(
            meeting=running,
            actor=secretary.user,
            version=running.version,
            conclusion=conclusion(adopted="  "),
            resolution={"text": "Nghị quyết", "votes_for": 99, "votes_against": 0, "votes_abstain": 0},
            times=(datetime.time(10), datetime.time(9)),
        )
    errors = caught.value.error_dict
    assert {"adopted", "votes_for", "actual_end"} <= set(errors)
    assert not Conclusion.objects.filter(meeting=running).exists()
    assert not Resolution.objects.filter(meeting=running).exists()
    assert Meeting.objects.get(pk=running.pk).version == running.version


def test_step9_stale_version_refused(running, secretary):
    with pytest.raises(ValidationError) as caught:
        run_svc.meeting_conclusion_step_save(
            meeting=running, actor=secretary.user, version=running.version - 1, conclusion=conclusion()
        )
    assert caught.value.code == "stale"


def test_step9_unchanged_resolution_is_not_saved_again(running, secretary):
    all_present(running, secretary.user)
    resolution = {"text": "Nghị quyết", "votes_for": 3, "votes_against": 0, "votes_abstain": 0}
    for _ in range(2):
        run_svc.meeting_conclusion_step_save(
            meeting=running, actor=secretary.user, version=None, conclusion=conclusion(), resolution=resolution
        )
    assert Activity.objects.filter(meeting=running, action__startswith="Ghi nghị quyết").count() == 1


# --- ending the meeting ---------------------------------------------------------------------


def test_end_saves_times_and_moves_to_held_in_one_go(running, secretary):
    meeting = run_svc.meeting_end(
        meeting=running, actor=secretary.user, version=running.version, start=datetime.time(8), end=datetime.time(10)
    )
    assert meeting.stage == Stage.HELD
    assert timezone.localtime(meeting.actual_start).time() == datetime.time(8)
    assert timezone.localtime(meeting.actual_end).time() == datetime.time(10)
    assert meeting.duration_minutes == 120


@pytest.mark.parametrize(
    "start,end,field",
    [
        (datetime.time(10), datetime.time(9), "actual_end"),
        (datetime.time(10), datetime.time(10), "actual_end"),
        (None, datetime.time(10), "actual_start"),
        (datetime.time(8), None, "actual_end"),
    ],
)
def test_end_refusals_change_nothing(running, secretary, start, end, field):
    with pytest.raises(ValidationError) as caught:
        run_svc.meeting_end(meeting=running, actor=secretary.user, version=running.version, start=start, end=end)
    assert field in caught.value.error_dict
    meeting = Meeting.objects.get(pk=running.pk)
    assert meeting.stage == Stage.IN_PROGRESS and meeting.actual_end is None and meeting.version == running.version


def test_end_in_the_future_refused_on_the_meeting_day(cell, secretary):
    today = timezone.localdate()
    meeting = prepare(make_meeting(cell, secretary.user, date=today), secretary.user, secretary, today)
    half_past_nine = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9, 30)))
    with time_machine.travel(half_past_nine, tick=False), pytest.raises(ValidationError) as caught:
        run_svc.meeting_end(
            meeting=meeting, actor=secretary.user, version=None, start=datetime.time(8), end=datetime.time(11)
        )
    assert "chưa đến" in caught.value.error_dict["actual_end"][0].messages[0]


def test_ending_by_transition_no_longer_invents_an_end_time(cell, secretary):
    today = timezone.localdate()
    meeting = make_meeting(cell, secretary.user, date=today)
    with time_machine.travel(timezone.make_aware(datetime.datetime.combine(today, datetime.time(8, 2))), tick=False):
        meeting = prepare(meeting, secretary.user, secretary, today)
    # The start click on the meeting day stays as the honest start (offered when ending).
    assert timezone.localtime(meeting.actual_start).time() == datetime.time(8, 2)
    with time_machine.travel(timezone.make_aware(datetime.datetime.combine(today, datetime.time(10, 7))), tick=False):
        meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.HELD)
    assert meeting.actual_end is None
    assert Meeting.objects.get(pk=meeting.pk).actual_end is None


# --- the roll call ----------------------------------------------------------------------------


def test_all_present_marks_the_unmarked_only_and_spares_announced_absences(running, secretary):
    members = list(expected_members(running))
    run_svc.meeting_attendance_set(
        meeting=running, actor=secretary.user, version=None, entries={members[0].pk: (AttendanceStatus.UNEXCUSED, "")}
    )
    AttendanceReply.objects.create(meeting=running, member=members[1], will_attend=False, reason="Công tác")
    marked = run_svc.meeting_attendance_all_present(meeting=running, actor=secretary.user)
    assert marked == len(members) - 2
    statuses = dict(Attendance.objects.filter(meeting=running).values_list("member_id", "status"))
    assert statuses[members[0].pk] == AttendanceStatus.UNEXCUSED
    assert members[1].pk not in statuses
    assert all(statuses[m.pk] == AttendanceStatus.PRESENT for m in members[2:])


def test_one_activity_entry_per_roll_call(running, secretary, member):
    members = list(expected_members(running))
    before = Activity.objects.filter(meeting=running).count()
    run_svc.meeting_attendance_all_present(meeting=running, actor=secretary.user)
    for m, status in ((members[0], AttendanceStatus.UNEXCUSED), (members[1], AttendanceStatus.EXCUSED)):
        reason = "Ốm" if status == AttendanceStatus.EXCUSED else ""
        run_svc.meeting_attendance_set(
            meeting=running, actor=secretary.user, version=None, entries={m.pk: (status, reason)}
        )
    entries = list(Activity.objects.filter(meeting=running).order_by("-at", "-id"))
    assert len(entries) == before + 1
    assert entries[0].action == f"Điểm danh: {len(members) - 2} có mặt, 1 vắng có lý do, 1 vắng không lý do"
    # Someone else, or the same person much later, starts a new entry.
    run_svc.meeting_attendance_set(
        meeting=running, actor=member.user, version=None, entries={members[0].pk: (AttendanceStatus.PRESENT, "")}
    )
    later = timezone.now() + datetime.timedelta(minutes=30)
    with time_machine.travel(later, tick=False):
        run_svc.meeting_attendance_set(
            meeting=running, actor=member.user, version=None, entries={members[1].pk: (AttendanceStatus.PRESENT, "")}
        )
    assert Activity.objects.filter(meeting=running).count() == before + 3
