"""Recording the resolution's vote and the attendance of exempt members (DOMAIN.md §8)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from meetings import models as m
from meetings.rules.attendance import NOT_ATTENDING, attendance_counts
from meetings.services import meeting_run as run_svc
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 17)
PRESENT = m.AttendanceStatus.PRESENT


@pytest.fixture
def meeting(cell):
    return f.MeetingFactory(cell=cell, scheduled_date=DAY, stage="in_progress", year=2026, quarter=1)


def convene(meeting, *, full: int, probationary: int = 0, status=m.MemberStatus.ACTIVE, present=True):
    members = [f.MemberFactory(cell=meeting.cell, status=status) for _ in range(full)]
    members += [f.MemberFactory(cell=meeting.cell, status=status, full_member_on=None) for _ in range(probationary)]
    if present:
        for member in members:
            m.Attendance.objects.create(meeting=meeting, member=member, status=PRESENT)
    return members


def save(meeting, actor, **votes):
    return run_svc.meeting_resolution_save(meeting=meeting, actor=actor, version=None, text="Nghị quyết", **votes)


def test_18_full_members_convened_10_for_is_stored_valid(meeting, secretary):
    m.Attendance.objects.create(meeting=meeting, member=secretary, status=PRESENT)
    convene(meeting, full=17, probationary=2)
    res = save(meeting, secretary.user, votes_for=10, votes_against=5, votes_abstain=3)
    assert res.eligible_voters == 18 and res.is_valid
    assert res.eligible_explanation == "18 đảng viên chính thức → 18"


def test_9_of_18_is_stored_not_valid(meeting, secretary):
    m.Attendance.objects.create(meeting=meeting, member=secretary, status=PRESENT)
    convene(meeting, full=17)
    res = save(meeting, secretary.user, votes_for=9, votes_against=9)
    assert res.eligible_voters == 18 and not res.is_valid


def test_denominator_leaves_out_elsewhere_and_absent_exempt_members(meeting, secretary):
    m.Attendance.objects.create(meeting=meeting, member=secretary, status=PRESENT)
    convene(meeting, full=15)
    convene(meeting, full=1, status=m.MemberStatus.ELSEWHERE, present=False)
    convene(meeting, full=1, status=m.MemberStatus.EXEMPT, present=False)
    res = save(meeting, secretary.user, votes_for=9)
    assert res.eligible_voters == 16 and res.is_valid
    assert "trừ 1 sinh hoạt tạm thời nơi khác, 1 miễn sinh hoạt vắng mặt → 16" in res.eligible_explanation


def test_probationary_votes_are_refused(meeting, secretary):
    m.Attendance.objects.create(meeting=meeting, member=secretary, status=PRESENT)
    convene(meeting, full=3, probationary=2)  # 4 full present, 6 present
    with pytest.raises(ValidationError, match=r"vượt quá số đảng viên chính thức có mặt \(4\)"):
        save(meeting, secretary.user, votes_for=6)


def test_refused_save_keeps_the_previous_resolution(meeting, secretary):
    m.Attendance.objects.create(meeting=meeting, member=secretary, status=PRESENT)
    convene(meeting, full=4)
    first = save(meeting, secretary.user, votes_for=4, votes_against=1)
    with pytest.raises(ValidationError):
        run_svc.meeting_resolution_save(
            meeting=meeting, actor=secretary.user, version=None, text="Bản sửa", votes_for=6
        )
    kept = m.Resolution.objects.get(meeting=meeting)
    assert (kept.text, kept.votes_for, kept.votes_against, kept.eligible_voters) == ("Nghị quyết", 4, 1, 5)
    assert kept.updated_at == first.updated_at


def test_negative_votes_are_refused(meeting, secretary):
    m.Attendance.objects.create(meeting=meeting, member=secretary, status=PRESENT)
    with pytest.raises(ValidationError, match="không được âm"):
        save(meeting, secretary.user, votes_for=1, votes_abstain=-1)


def test_exempt_member_may_be_marked_present_and_counts_stay_right(meeting, secretary):
    active = convene(meeting, full=3, present=False)
    exempt = f.MemberFactory(cell=meeting.cell, status=m.MemberStatus.EXEMPT)
    entries = {mb.pk: (PRESENT, "") for mb in [secretary, *active]}
    entries[exempt.pk] = (PRESENT, "")
    run_svc.meeting_attendance_set(meeting=meeting, actor=secretary.user, version=None, entries=entries)
    counts = attendance_counts(meeting)
    assert (counts.expected, counts.present, counts.exempt_present) == (4, 4, 1)
    assert counts.identity_ok
    assert save(meeting, secretary.user, votes_for=5).eligible_voters == 5


def test_exempt_member_cannot_be_recorded_absent(meeting, secretary):
    exempt = f.MemberFactory(cell=meeting.cell, status=m.MemberStatus.EXEMPT)
    with pytest.raises(ValidationError, match="miễn sinh hoạt: chỉ ghi có mặt"):
        run_svc.meeting_attendance_set(
            meeting=meeting,
            actor=secretary.user,
            version=None,
            entries={exempt.pk: (m.AttendanceStatus.UNEXCUSED, "")},
        )
    assert not m.Attendance.objects.filter(meeting=meeting).exists()


def test_exempt_member_marked_not_attending_loses_the_presence(meeting, secretary):
    exempt = f.MemberFactory(cell=meeting.cell, status=m.MemberStatus.EXEMPT)
    m.Attendance.objects.create(meeting=meeting, member=exempt, status=PRESENT)
    run_svc.meeting_attendance_set(
        meeting=meeting, actor=secretary.user, version=None, entries={exempt.pk: (NOT_ATTENDING, "")}
    )
    assert not m.Attendance.objects.filter(meeting=meeting, member=exempt).exists()


def test_member_attending_elsewhere_still_cannot_be_recorded(meeting, secretary):
    away = f.MemberFactory(cell=meeting.cell, status=m.MemberStatus.ELSEWHERE)
    with pytest.raises(ValidationError, match="không thuộc danh sách"):
        run_svc.meeting_attendance_set(
            meeting=meeting, actor=secretary.user, version=None, entries={away.pk: (PRESENT, "")}
        )
