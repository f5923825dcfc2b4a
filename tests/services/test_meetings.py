import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import workflow
from meetings.models import (
    AttendanceStatus,
    ComplianceSummary,
    Conclusion,
    LeadPaperStatus,
    Meeting,
    MeetingStep,
    MemberStatus,
    Minutes,
    Notification,
    Report,
    Speech,
)
from meetings.periods import quarter_of
from meetings.rules.attendance import attendance_counts, attendance_prefill, expected_members
from meetings.rules.meetings import grade_for, meeting_warnings, quality_criteria
from meetings.services import meeting_run as run_svc
from meetings.services import meetings as svc
from meetings.services.plans import plan_add_meeting, plan_create
from meetings.services.topics import (
    contribution_assign,
    topic_approve_lead_paper,
    topic_assign_lead_author,
    topic_submit_lead_paper,
)
from meetings.workflow import Stage, Step
from tests import factories as f

pytestmark = pytest.mark.django_db


def make_meeting(cell, user, *, members=4, date=None):
    """A planned thematic meeting of the cell with an approved lead paper, scheduled on `date`."""
    plan = plan_create(cell=cell, year=(date or timezone.localdate()).year, actor=user)
    for _ in range(members):
        f.MemberFactory(cell=cell)
    from meetings.models import TopicGroup

    meeting = plan_add_meeting(
        plan=plan,
        actor=user,
        quarter=quarter_of(date or timezone.localdate()),
        title="Học tập và làm theo Bác",
        group=TopicGroup.objects.get(number=1),
    )
    return meeting


def before_meeting(date, days=5):
    """Preparation happens days before the meeting; the meeting itself is held on its date."""
    moment = timezone.make_aware(datetime.datetime.combine(date - datetime.timedelta(days=days), datetime.time(9)))
    return time_machine.travel(moment, tick=False)


def prepare(meeting, user, author, date, *, start=datetime.time(8, 0)):
    with before_meeting(date):
        meeting = _prepare_until_notice(meeting, user, author, date, start=start)
    return svc.meeting_transition(meeting=meeting, actor=user, target=Stage.IN_PROGRESS)


def _prepare_until_notice(meeting, user, author, date, *, start):
    topic_assign_lead_author(topic=meeting.topic, actor=user, author=author, due=date - datetime.timedelta(days=3))
    topic_submit_lead_paper(topic=meeting.topic, actor=user, text="Nội dung đề dẫn")
    topic_approve_lead_paper(topic=meeting.topic, actor=user)
    meeting = svc.meeting_transition(meeting=meeting, actor=user, target=Stage.PREPARING)
    meeting = svc.meeting_schedule(
        meeting=meeting,
        actor=user,
        version=meeting.version,
        scheduled_date=date,
        start_time=start,
        place="Hội trường",
        chair=author,
        clerk=other_member(meeting, author),
    )
    meeting = svc.meeting_transition(meeting=meeting, actor=user, target=Stage.SCHEDULED)
    return svc.meeting_send_notice(meeting=meeting, actor=user)


def other_member(meeting, member):
    """Someone of the cell other than `member` (the chair and the clerk are two people)."""
    return expected_members(meeting).exclude(pk=member.pk).first()


def run_all(meeting, user, *, absent_unexcused=0, duration=120):
    members = list(expected_members(meeting))
    entries = {}
    for i, m in enumerate(members):
        entries[m.pk] = (AttendanceStatus.UNEXCUSED, "") if i < absent_unexcused else (AttendanceStatus.PRESENT, "")
    run_svc.meeting_attendance_set(meeting=meeting, actor=user, version=None, entries=entries)
    speaker = members[-1]
    run_svc.speech_add(meeting=meeting, actor=user, version=None, speaker=speaker, content="Ý kiến")
    # The steps in their order; the conclusion records step 9.
    for step in workflow.STEPS[:-1]:
        run_svc.meeting_step_record(meeting=meeting, actor=user, step=step, text="Nội dung")
    scores = {k: m for k, _, m in quality_criteria()}
    run_svc.meeting_conclusion_save(
        meeting=meeting,
        actor=user,
        version=None,
        preparation_evaluation="Tốt",
        quality_evaluation="Tốt",
        adopted="Thống nhất",
        criteria_scores=scores,
    )
    start = datetime.time(8, 0)
    end = (datetime.datetime.combine(datetime.date(2000, 1, 1), start) + datetime.timedelta(minutes=duration)).time()
    run_svc.meeting_times_save(meeting=meeting, actor=user, version=None, start=start, end=end)
    run_svc.meeting_minutes_adoption_save(
        meeting=meeting, actor=user, version=None, read_back=True, read_back_time=end, adoption="unanimous"
    )
    return svc.meeting_transition(meeting=meeting, actor=user, target=Stage.HELD)


@pytest.fixture(autouse=True)
def _yesterday_in_this_quarter():
    """Meetings here are held yesterday, some steps a few days earlier. In a quarter's first
    days that is a closed quarter (in its grace days, so with a warning) or even the previous
    year: then the tests run on the quarter's fourth day."""
    today = timezone.localdate()
    if today.day <= 3 and today.month % 3 == 1:
        with time_machine.travel(timezone.now() + datetime.timedelta(days=4 - today.day)):
            yield
    else:
        yield


@pytest.fixture
def date():
    # The meeting was held yesterday, so its actual end time is already past.
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def running(cell, secretary, date):
    meeting = make_meeting(cell, secretary.user, date=date)
    return prepare(meeting, secretary.user, secretary, date)


def test_full_workflow_finalizes_numbers_reports_and_counts_for_compliance(running, secretary, cell):
    meeting = run_all(running, secretary.user)
    # The outbox delivered the notice: every member received the materials (no warning).
    Notification.objects.filter(meeting=meeting, kind="notice").update(status="sent", sent_at=meeting.notice_sent_at)
    minutes = svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    meeting.refresh_from_db()
    assert meeting.stage == Stage.FINALIZED
    assert minutes.number == 1 and minutes.number_label == "01-BB/CB"
    assert minutes.warnings == []
    assert Report.objects.filter(minutes=minutes, committee=cell.parent).exists()
    summary = ComplianceSummary.objects.get(cell=cell, year=meeting.year, quarter=meeting.quarter)
    assert summary.compliant


def test_skipping_ahead_is_refused(cell, secretary):
    meeting = make_meeting(cell, secretary.user)
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.SCHEDULED)
    with pytest.raises(ValidationError):
        svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.IN_PROGRESS)


def test_moving_backward_is_allowed_until_finalisation(running, secretary):
    meeting = svc.meeting_transition(meeting=running, actor=secretary.user, target=Stage.NOTICED)
    meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.PREPARING)
    assert meeting.stage == Stage.PREPARING


def test_scheduling_needs_date_time_and_place(cell, secretary):
    meeting = make_meeting(cell, secretary.user)
    meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.PREPARING)
    with pytest.raises(ValidationError, match="ngày, giờ và địa điểm"):
        svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.SCHEDULED)


def test_notice_requires_approved_lead_paper(cell, secretary, date):
    meeting = make_meeting(cell, secretary.user, date=date)
    meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.PREPARING)
    meeting = svc.meeting_schedule(
        meeting=meeting,
        actor=secretary.user,
        version=meeting.version,
        scheduled_date=date,
        start_time=datetime.time(8),
        place="Phòng họp",
    )
    meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.SCHEDULED)
    with pytest.raises(ValidationError, match="Đề dẫn chưa được duyệt"):
        svc.meeting_send_notice(meeting=meeting, actor=secretary.user)


@time_machine.travel(datetime.datetime(2026, 1, 15, 9, tzinfo=datetime.UTC), tick=False)
def test_schedule_sets_aware_start_and_follows_quarter(cell, secretary):
    # In January, so that both quarters are still open.
    meeting = make_meeting(cell, secretary.user, date=datetime.date(2026, 2, 10))
    meeting = svc.meeting_schedule(
        meeting=meeting,
        actor=secretary.user,
        version=meeting.version,
        scheduled_date=datetime.date(meeting.year, 5, 20),
        start_time=datetime.time(14, 30),
        place="Phòng họp",
    )
    assert meeting.quarter == 2
    assert timezone.localtime(meeting.starts_at).hour == 14
    assert meeting.starts_at.utcoffset() is None or meeting.starts_at == timezone.make_aware(
        datetime.datetime(meeting.year, 5, 20, 14, 30)
    )


def test_schedule_refuses_member_of_other_cell(cell, other_secretary, secretary):
    meeting = make_meeting(cell, secretary.user)
    with pytest.raises(ValidationError, match="không thuộc chi bộ"):
        svc.meeting_schedule(
            meeting=meeting,
            actor=secretary.user,
            version=meeting.version,
            scheduled_date=timezone.localdate(),
            start_time=datetime.time(8),
            place="P",
            chair=other_secretary,
        )


def test_schedule_before_deadlines_is_refused(cell, secretary, date):
    meeting = make_meeting(cell, secretary.user, date=date)
    topic_assign_lead_author(topic=meeting.topic, actor=secretary.user, author=secretary, due=date)
    with pytest.raises(ValidationError, match="hạn nộp"):
        svc.meeting_schedule(
            meeting=meeting,
            actor=secretary.user,
            version=meeting.version,
            scheduled_date=date - datetime.timedelta(days=2),
            start_time=datetime.time(8),
            place="P",
        )


def test_stale_version_is_refused(cell, secretary):
    meeting = make_meeting(cell, secretary.user)
    stale = meeting.version
    svc.meeting_schedule(
        meeting=meeting,
        actor=secretary.user,
        version=stale,
        scheduled_date=timezone.localdate(),
        start_time=datetime.time(8),
        place="A",
    )
    with pytest.raises(ValidationError, match="người khác cập nhật") as exc:
        svc.meeting_schedule(
            meeting=meeting,
            actor=secretary.user,
            version=stale,
            scheduled_date=timezone.localdate(),
            start_time=datetime.time(9),
            place="B",
        )
    assert exc.value.code == "stale"
    assert Meeting.objects.get(pk=meeting.pk).place == "A"


def test_notice_less_than_minimum_days_stores_warning(cell, secretary, settings):
    settings.CHIBO = {**settings.CHIBO, "MATERIALS_MIN_DAYS_BEFORE": 3}
    date = timezone.localdate() + datetime.timedelta(days=1)
    meeting = make_meeting(cell, secretary.user, date=date)
    topic_assign_lead_author(topic=meeting.topic, actor=secretary.user, author=secretary)
    topic_submit_lead_paper(topic=meeting.topic, actor=secretary.user, text="x")
    topic_approve_lead_paper(topic=meeting.topic, actor=secretary.user)
    meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.PREPARING)
    meeting = svc.meeting_schedule(
        meeting=meeting,
        actor=secretary.user,
        version=None,
        scheduled_date=date,
        start_time=datetime.time(8),
        place="P",
    )
    meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.SCHEDULED)
    meeting = svc.meeting_send_notice(meeting=meeting, actor=secretary.user)
    assert meeting.stage == Stage.NOTICED
    assert meeting.notice_sent_by == secretary.user and meeting.notice_sent_at
    assert "chưa đủ 3 ngày" in meeting.notice_warning


def test_attendance_identity_and_exempt_excluded(running, secretary, cell):
    exempt = f.MemberFactory(cell=cell, status=MemberStatus.EXEMPT)
    members = list(expected_members(running))
    assert exempt not in members
    entries = {m.pk: (AttendanceStatus.PRESENT, "") for m in members}
    entries[members[0].pk] = (AttendanceStatus.EXCUSED, "Ốm")
    entries[members[1].pk] = (AttendanceStatus.UNEXCUSED, "")
    run_svc.meeting_attendance_set(meeting=running, actor=secretary.user, version=None, entries=entries)
    counts = attendance_counts(running)
    assert counts.expected == len(members) == 5
    assert (counts.present, counts.excused, counts.unexcused) == (3, 1, 1)
    assert counts.identity_ok
    assert counts.exempt == 1
    assert counts.rate == pytest.approx(3 / 5)


def test_excused_absence_needs_reason(running, secretary):
    member = expected_members(running).first()
    with pytest.raises(ValidationError, match="ghi lý do"):
        run_svc.meeting_attendance_set(
            meeting=running, actor=secretary.user, version=None, entries={member.pk: (AttendanceStatus.EXCUSED, "")}
        )


def test_attendance_refuses_member_of_other_cell(running, secretary, other_secretary):
    with pytest.raises(ValidationError, match="không thuộc danh sách"):
        run_svc.meeting_attendance_set(
            meeting=running,
            actor=secretary.user,
            version=None,
            entries={other_secretary.pk: (AttendanceStatus.PRESENT, "")},
        )


def test_attendance_step_needs_every_expected_member(running, secretary):
    with pytest.raises(ValidationError, match="Chưa điểm danh"):
        run_svc.meeting_step_record(meeting=running, actor=secretary.user, step=Step.ATTENDANCE)


def test_prefill_from_replies(running, secretary):
    from meetings.models import AttendanceReply

    a, b = list(expected_members(running))[:2]
    AttendanceReply.objects.create(meeting=running, member=a, will_attend=False, reason="Đi công tác")
    AttendanceReply.objects.create(meeting=running, member=b, will_attend=True)
    rows = attendance_prefill(
        running, [a, b], {}, {r.member_id: r for r in AttendanceReply.objects.filter(meeting=running)}
    )
    assert rows[0]["status"] == AttendanceStatus.EXCUSED and rows[0]["reason"] == "Đi công tác"
    assert rows[1]["status"] == AttendanceStatus.PRESENT


def test_vote_rule_more_than_half_of_expected(running, secretary):
    members = list(expected_members(running))  # 5 expected
    run_svc.meeting_attendance_set(
        meeting=running,
        actor=secretary.user,
        version=None,
        entries={m.pk: (AttendanceStatus.PRESENT, "") for m in members},
    )
    res = run_svc.meeting_resolution_save(meeting=running, actor=secretary.user, version=None, text="NQ", votes_for=3)
    assert res.eligible_voters == 5 and res.is_valid
    res = run_svc.meeting_resolution_save(meeting=running, actor=secretary.user, version=None, text="NQ", votes_for=2)
    assert not res.is_valid


def test_votes_above_present_are_refused(running, secretary):
    members = list(expected_members(running))
    run_svc.meeting_attendance_set(
        meeting=running,
        actor=secretary.user,
        version=None,
        entries={
            m.pk: (AttendanceStatus.PRESENT if i < 2 else AttendanceStatus.UNEXCUSED, "") for i, m in enumerate(members)
        },
    )
    with pytest.raises(ValidationError, match="vượt quá số đảng viên chính thức có mặt"):
        run_svc.meeting_resolution_save(
            meeting=running, actor=secretary.user, version=None, text="NQ", votes_for=2, votes_against=1
        )


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, "good"),
        (90, "good"),
        (89, "fair"),
        (70, "fair"),
        (69, "average"),
        (50, "average"),
        (49, "poor"),
        (0, "poor"),
    ],
)
def test_grade_thresholds(score, grade):
    assert grade_for(score) == grade


def test_quality_criteria_sum_to_100():
    assert sum(m for _, _, m in quality_criteria()) == 100


def test_conclusion_score_above_criterion_max_is_refused(running, secretary):
    scores = {k: m for k, _, m in quality_criteria()}
    key = next(iter(scores))
    scores[key] += 1
    with pytest.raises(ValidationError):
        run_svc.meeting_conclusion_save(
            meeting=running,
            actor=secretary.user,
            version=None,
            preparation_evaluation="a",
            quality_evaluation="b",
            adopted="c",
            criteria_scores=scores,
        )


def _save_conclusion(meeting, user, **overrides):
    fields = {
        "meeting": meeting,
        "actor": user,
        "version": None,
        "preparation_evaluation": "Chuẩn bị chu đáo",
        "quality_evaluation": "Sôi nổi",
        "adopted": "Thống nhất",
        "criteria_scores": {k: m for k, _, m in quality_criteria()},
    }
    return run_svc.meeting_conclusion_save(**{**fields, **overrides})


def test_conclusion_records_step_nine_with_it(running, secretary):
    version = running.version
    conclusion = _save_conclusion(running, secretary.user, version=version)
    step = MeetingStep.objects.get(meeting=running, step=Step.CONCLUSION)
    assert step.done_by == secretary.user
    assert conclusion.quality_score == 100
    assert Meeting.objects.get(pk=running.pk).version == version + 1


def test_conclusion_resave_keeps_the_steps_note(running, secretary):
    _save_conclusion(running, secretary.user)
    MeetingStep.objects.filter(meeting=running, step=Step.CONCLUSION).update(note="Ghi chú của thư ký")
    _save_conclusion(running, secretary.user, adopted="Thống nhất, bổ sung")
    assert MeetingStep.objects.get(meeting=running, step=Step.CONCLUSION).note == "Ghi chú của thư ký"


@pytest.mark.parametrize(
    "overrides",
    [{"adopted": "  "}, {"criteria_scores": {}}, {"version": -1}],
    ids=["empty_text", "missing_scores", "stale_version"],
)
def test_refused_conclusion_saves_neither_it_nor_its_step(running, secretary, overrides):
    with pytest.raises(ValidationError):
        _save_conclusion(running, secretary.user, **overrides)
    assert not Conclusion.objects.filter(meeting=running).exists()
    assert not MeetingStep.objects.filter(meeting=running, step=Step.CONCLUSION).exists()


def test_conclusion_and_its_step_roll_back_together(running, secretary, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("activity log unavailable")

    monkeypatch.setattr(run_svc, "record_activity", fail)
    with pytest.raises(RuntimeError):
        _save_conclusion(running, secretary.user)
    assert not Conclusion.objects.filter(meeting=running).exists()
    assert not MeetingStep.objects.filter(meeting=running, step=Step.CONCLUSION).exists()


def test_speeches_reorder_and_contribution_counts_as_speech(running, secretary, cell):
    members = list(expected_members(running))
    c = contribution_assign(topic=running.topic, actor=secretary.user, member=members[1], subject="Liên hệ")
    s1 = run_svc.speech_add(meeting=running, actor=secretary.user, version=None, speaker=members[0], content="Một")
    s2 = run_svc.speech_add_contribution(meeting=running, actor=secretary.user, version=None, contribution=c)
    assert s2.contribution == c and s2.speaker == members[1]
    run_svc.speech_move(meeting=running, actor=secretary.user, version=None, speech_id=s2.pk, offset=-1)
    assert list(Speech.objects.filter(meeting=running).values_list("pk", flat=True)) == [s2.pk, s1.pk]
    run_svc.speech_update(
        meeting=running, actor=secretary.user, version=None, speech_id=s1.pk, speaker=members[0], content="Sửa"
    )
    run_svc.speech_delete(meeting=running, actor=secretary.user, version=None, speech_id=s1.pk)
    assert list(Speech.objects.filter(meeting=running)) == [s2]
    with pytest.raises(ValidationError, match="đã được ghi"):
        run_svc.speech_add_contribution(meeting=running, actor=secretary.user, version=None, contribution=c)


def test_absent_member_cannot_speak(running, secretary):
    m = expected_members(running).first()
    run_svc.meeting_attendance_set(
        meeting=running, actor=secretary.user, version=None, entries={m.pk: (AttendanceStatus.UNEXCUSED, "")}
    )
    with pytest.raises(ValidationError, match="vắng mặt"):
        run_svc.speech_add(meeting=running, actor=secretary.user, version=None, speaker=m, content="x")


def test_times_out_of_order_refused(running, secretary):
    with pytest.raises(ValidationError, match="sau giờ bắt đầu"):
        run_svc.meeting_times_save(
            meeting=running, actor=secretary.user, version=None, start=datetime.time(10), end=datetime.time(9)
        )


def test_finalize_refused_until_every_step_recorded(running, secretary):
    meeting = svc.meeting_transition(meeting=running, actor=secretary.user, target=Stage.HELD)
    with pytest.raises(ValidationError) as exc:
        svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    text = " ".join(exc.value.messages)
    assert "Chưa ghi nhận bước 1" in text and "Chưa điểm danh" in text and "kết luận" in text
    assert not Minutes.objects.exists()


def test_finalize_refused_from_in_progress(running, secretary):
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        svc.meeting_finalize(meeting=running, actor=secretary.user)


def test_warnings_stored_on_minutes(running, secretary):
    meeting = run_all(running, secretary.user, absent_unexcused=1, duration=60)
    minutes = svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    text = " ".join(minutes.warnings)
    assert "60 phút" in text and "dưới mức tối thiểu 90" in text
    assert "Tỷ lệ đảng viên dự họp 80%" in text
    assert "vắng không lý do" in text


def test_combined_meeting_needs_120_minutes(running, secretary, date):
    running = svc.meeting_transition(meeting=running, actor=secretary.user, target=Stage.NOTICED)
    running = svc.meeting_schedule(
        meeting=running,
        actor=secretary.user,
        version=None,
        scheduled_date=date,
        start_time=datetime.time(8),
        place="P",
        chair=secretary,
        clerk=other_member(running, secretary),
        combined_with_regular=True,
        combined_order="regular_first",
    )
    running = svc.meeting_transition(meeting=running, actor=secretary.user, target=Stage.IN_PROGRESS)
    meeting = run_all(running, secretary.user, duration=100)
    assert any("120 phút" in w for w in meeting_warnings(meeting))


def test_nothing_changes_after_finalisation(running, secretary):
    meeting = run_all(running, secretary.user)
    minutes = svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    member = expected_members(meeting).first()
    speech = Speech.objects.filter(meeting=meeting).first()
    attempts = [
        lambda: run_svc.meeting_attendance_set(
            meeting=meeting, actor=secretary.user, version=None, entries={member.pk: (AttendanceStatus.UNEXCUSED, "")}
        ),
        lambda: run_svc.speech_add(meeting=meeting, actor=secretary.user, version=None, speaker=member, content="x"),
        lambda: run_svc.speech_delete(meeting=meeting, actor=secretary.user, version=None, speech_id=speech.pk),
        lambda: run_svc.meeting_step_undo(meeting=meeting, actor=secretary.user, step=Step.OPENING),
        lambda: svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.HELD),
        lambda: svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.CANCELLED, reason="x"),
        lambda: svc.meeting_schedule(
            meeting=meeting,
            actor=secretary.user,
            version=None,
            scheduled_date=timezone.localdate(),
            start_time=datetime.time(7),
            place="X",
        ),
        lambda: svc.meeting_guest_add(meeting=meeting, actor=secretary.user, version=None, name="Khách"),
        lambda: run_svc.meeting_times_save(
            meeting=meeting, actor=secretary.user, version=None, start=datetime.time(7), end=datetime.time(9)
        ),
        lambda: topic_submit_lead_paper(topic=meeting.topic, actor=secretary.user, text="mới"),
        lambda: contribution_assign(topic=meeting.topic, actor=secretary.user, member=member, subject="Mới"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    assert MeetingStep.objects.filter(meeting=meeting).count() == 9
    addendum = svc.minutes_addendum_create(minutes=minutes, actor=secretary.user, text="Sửa lỗi chính tả")
    assert addendum.version == 1
    assert Report.objects.filter(minutes=minutes, addendum=addendum, version=2).exists()


def test_cancel_needs_reason_and_refreshes_compliance(cell, secretary):
    meeting = make_meeting(cell, secretary.user)
    with pytest.raises(ValidationError, match="lý do hủy"):
        svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.CANCELLED)
    meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.CANCELLED, reason="Trùng lịch")
    assert meeting.stage == Stage.CANCELLED and meeting.cancelled_reason == "Trùng lịch"
    meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.PLANNED)
    assert meeting.cancelled_reason == ""


def test_lead_paper_status_flow(cell, secretary):
    meeting = make_meeting(cell, secretary.user)
    topic = topic_assign_lead_author(topic=meeting.topic, actor=secretary.user, author=secretary)
    assert topic.lead_paper_status == LeadPaperStatus.ASSIGNED
    with pytest.raises(ValidationError):
        topic_approve_lead_paper(topic=topic, actor=secretary.user)
    topic = topic_submit_lead_paper(topic=topic, actor=secretary.user, text="Đề dẫn")
    assert topic.lead_paper_status == LeadPaperStatus.SUBMITTED
    topic = topic_approve_lead_paper(topic=topic, actor=secretary.user)
    assert topic.lead_paper_status == LeadPaperStatus.APPROVED and topic.lead_approved_by == secretary.user


def test_meeting_cannot_start_before_its_date(cell, secretary):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    meeting = make_meeting(cell, secretary.user, date=tomorrow)
    with before_meeting(tomorrow):
        meeting = _prepare_until_notice(meeting, secretary.user, secretary, tomorrow, start=datetime.time(8, 0))
    with pytest.raises(ValidationError, match="Chưa đến ngày họp"):
        svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.IN_PROGRESS)


def test_minutes_cannot_be_finalised_before_the_meeting_ends(cell, secretary):
    today = timezone.localdate()
    meeting = make_meeting(cell, secretary.user, date=today)
    meeting = prepare(meeting, secretary.user, secretary, today)
    meeting = run_all(meeting, secretary.user)
    late_end = timezone.now() + datetime.timedelta(hours=2)
    Meeting.objects.filter(pk=meeting.pk).update(
        actual_end=late_end, actual_start=late_end - datetime.timedelta(hours=2)
    )
    meeting.refresh_from_db()
    with pytest.raises(ValidationError, match="chưa tới"):
        svc.meeting_finalize(meeting=meeting, actor=secretary.user)
