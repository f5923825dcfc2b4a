"""The recorded grade: the self-assessed grade capped by measured facts (DOMAIN.md §8)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from meetings.models import ComplianceSummary, Conclusion, MeetingStep, OrgQuarterStats
from meetings.rules.attendance import attendance_counts
from meetings.rules.grades import recorded_grade
from meetings.services import meetings as svc
from meetings.services.compliance import compliance_rebuild
from meetings.services.compliance_check import compliance_check
from meetings.services.topics import topic_approve_lead_paper, topic_assign_lead_author, topic_submit_lead_paper
from meetings.workflow import Stage, Step
from tests.documents import pdfutil
from tests.services.test_meetings import (  # noqa: F401 - the autouse fixture keeps "yesterday" in this quarter
    _yesterday_in_this_quarter,
    before_meeting,
    make_meeting,
    other_member,
    prepare,
    run_all,
)

pytestmark = pytest.mark.django_db

FOUR_REASONS = [
    "Tỷ lệ dự họp 75% (không quá 85%): tối đa Khá",
    "Có 1 đảng viên vắng không lý do: tối đa Khá",
    "Thời lượng 105 phút, dưới mức tối thiểu 120 phút khi kết hợp với sinh hoạt thường kỳ: tối đa Khá",
    "Thông báo, tài liệu gửi trước buổi sinh hoạt 20 giờ (cần ít nhất 1 ngày): tối đa Khá",
]


@pytest.fixture
def date():
    return timezone.localdate() - datetime.timedelta(days=1)


def counter_example(cell, secretary, date):
    """4 expected, 1 absent without reason (75%), combined session of 105 minutes, notice
    sent 20 hours before, self-assessed 100/100: held, ready to finalise."""
    user = secretary.user
    meeting = make_meeting(cell, user, members=3, date=date)
    with before_meeting(date):
        topic_assign_lead_author(
            topic=meeting.topic, actor=user, author=secretary, due=date - datetime.timedelta(days=3)
        )
        topic_submit_lead_paper(topic=meeting.topic, actor=user, text="Nội dung đề dẫn")
        topic_approve_lead_paper(topic=meeting.topic, actor=user)
        meeting = svc.meeting_transition(meeting=meeting, actor=user, target=Stage.PREPARING)
        meeting = svc.meeting_schedule(
            meeting=meeting,
            actor=user,
            version=None,
            scheduled_date=date,
            start_time=datetime.time(8),
            place="Hội trường",
            chair=secretary,
            clerk=other_member(meeting, secretary),
            combined_with_regular=True,
            combined_order="regular_first",
        )
        meeting = svc.meeting_transition(meeting=meeting, actor=user, target=Stage.SCHEDULED)
    with time_machine.travel(meeting.starts_at - datetime.timedelta(hours=20), tick=False):
        meeting = svc.meeting_send_notice(meeting=meeting, actor=user)
    meeting = svc.meeting_transition(meeting=meeting, actor=user, target=Stage.IN_PROGRESS)
    return run_all(meeting, user, absent_unexcused=1, duration=105)


def test_counter_example_records_fair_with_four_reasons(cell, secretary, date):
    meeting = counter_example(cell, secretary, date)
    assert attendance_counts(meeting).rate == 0.75
    minutes = svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    conclusion = Conclusion.objects.get(meeting=meeting)
    assert (conclusion.quality_score, conclusion.quality_grade) == (100, "good")  # the self-assessment stays
    assert minutes.recorded_grade == "fair"
    assert minutes.grade_reasons == FOUR_REASONS
    assert minutes.snapshot["grade"] == {"recorded": "fair", "recorded_label": "Khá", "reasons": FOUR_REASONS}
    text = pdfutil.flat(pdfutil.text(minutes.pdf.open("rb").read()))
    assert "Chi bộ tự đánh giá: 100/100 điểm, loại Tốt" in text
    assert "Xếp loại ghi nhận: Khá" in text
    assert pdfutil.flat("Tỷ lệ dự họp 75% (không quá 85%): tối đa Khá") in text


def test_dashboard_grade_counts_use_the_recorded_grade(cell, secretary, date, committee):
    meeting = counter_example(cell, secretary, date)
    svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    summary = ComplianceSummary.objects.get(cell=cell, year=meeting.year, quarter=meeting.quarter)
    assert summary.best_grade == "fair"
    period = {"year": meeting.year, "quarter": meeting.quarter}
    stats = OrgQuarterStats.objects.get(org=committee, **period)
    assert (stats.grade_good, stats.grade_fair) == (0, 1)
    compliance_rebuild(year=meeting.year)  # the rebuild agrees with the incremental rollups
    stats = OrgQuarterStats.objects.get(org=committee, **period)
    assert (stats.grade_good, stats.grade_fair) == (0, 1)
    # The nightly check counts the same recorded grade: nothing to repair.
    result = compliance_check(**period)
    assert (result["summaries_repaired"], result["rollups_repaired"]) == (0, 0)


def test_no_cap_records_the_self_grade(running, secretary):
    minutes = svc.meeting_finalize(meeting=run_all(running, secretary.user), actor=secretary.user)
    assert (minutes.recorded_grade, minutes.grade_reasons) == ("good", [])
    summary = ComplianceSummary.objects.get(cell=running.cell, year=running.year, quarter=running.quarter)
    assert summary.best_grade == "good"


@pytest.fixture
def running(cell, secretary, date):
    return prepare(make_meeting(cell, secretary.user, date=date), secretary.user, secretary, date)


def test_missing_step_caps_at_average(running, secretary):
    meeting = run_all(running, secretary.user)
    MeetingStep.objects.filter(meeting=meeting, step=Step.PURPOSE).delete()
    verdict = recorded_grade(meeting)
    assert (verdict.self_grade, verdict.grade) == ("good", "average")
    assert verdict.reasons == ["Thiếu bước bắt buộc: bước 5 (Bí thư nêu mục đích, yêu cầu): tối đa Trung bình"]


def test_cap_not_below_the_self_grade_is_no_reason(cell, secretary, date):
    meeting = counter_example(cell, secretary, date)
    Conclusion.objects.filter(meeting=meeting).update(quality_score=75, quality_grade="fair")
    assert recorded_grade(meeting) == ("fair", "fair", [])


def test_caps_are_configurable(cell, secretary, date, settings):
    meeting = counter_example(cell, secretary, date)
    settings.CHIBO = {**settings.CHIBO, "GRADE_CAPS": [("attendance_low", "average")]}
    assert recorded_grade(meeting) == ("good", "average", ["Tỷ lệ dự họp 75% (không quá 85%): tối đa Trung bình"])
    settings.CHIBO = {**settings.CHIBO, "GRADE_CAPS": [], "QUALITY_MIN_ATTENDANCE_RATE": 0.7}
    assert recorded_grade(meeting) == ("good", "good", [])


def test_unknown_cap_is_refused(cell, secretary, date, settings):
    meeting = counter_example(cell, secretary, date)
    settings.CHIBO = {**settings.CHIBO, "GRADE_CAPS": [("weather", "fair")]}
    with pytest.raises(ImproperlyConfigured):
        recorded_grade(meeting)
