"""The resolution's vote by the Party Charter's rule (DOMAIN.md §8 "Votes")."""

import datetime

import pytest

from meetings import models as m
from meetings.rules.votes import eligible_voters, probationary_ids, resolution_is_valid, votes_problems
from tests import factories as f

DAY = datetime.date(2026, 3, 17)
S = m.MemberStatus


def cell_with(cell, *, full=0, probationary=0, status=S.ACTIVE, present=True, meeting=None):
    """Add members to the cell; with a meeting, record them present (or not)."""
    made = [f.MemberFactory(cell=cell, status=status) for _ in range(full)]
    made += [f.MemberFactory(cell=cell, status=status, full_member_on=None) for _ in range(probationary)]
    if meeting is not None and present:
        for member in made:
            m.Attendance.objects.create(meeting=meeting, member=member, status=m.AttendanceStatus.PRESENT)
    return made


@pytest.fixture
def meeting(cell):
    return f.MeetingFactory(cell=cell, scheduled_date=DAY, stage="in_progress", year=2026, quarter=1)


def test_domain_example_20_expected_18_full_10_for_is_valid(cell, meeting):
    cell_with(cell, full=18, probationary=2, meeting=meeting)
    voters = eligible_voters(meeting)
    assert m.Member.objects.filter(cell=cell).expected().count() == 20
    assert voters.count == 18
    assert resolution_is_valid(10, voters.count)


def test_18_full_convened_and_10_for_is_valid(cell, meeting):
    cell_with(cell, full=18, meeting=meeting)
    voters = eligible_voters(meeting)
    assert (voters.count, voters.present) == (18, 18)
    assert resolution_is_valid(10, voters.count)
    assert voters.needed == 10


def test_9_of_18_is_not_valid():
    assert not resolution_is_valid(9, 18)


def test_half_exactly_is_not_valid_and_no_voters_is_never_valid():
    assert not resolution_is_valid(8, 16)
    assert resolution_is_valid(9, 16)
    assert not resolution_is_valid(0, 0)


def test_probationary_members_are_not_counted_and_do_not_vote(cell, meeting):
    cell_with(cell, full=5, probationary=3, meeting=meeting)
    voters = eligible_voters(meeting)
    assert (voters.count, voters.present) == (5, 5)


def test_member_made_full_after_the_meeting_date_is_still_probationary(cell, meeting):
    late = f.MemberFactory(cell=cell, joined_on=datetime.date(2025, 4, 1), full_member_on=DAY + datetime.timedelta(1))
    cell_with(cell, full=3)
    assert eligible_voters(meeting).count == 3
    assert probationary_ids(meeting, list(m.Member.objects.filter(cell=cell))) == {late.pk}


def test_exempt_member_absent_is_not_counted(cell, meeting):
    cell_with(cell, full=10, meeting=meeting)
    cell_with(cell, full=1, status=S.EXEMPT)
    voters = eligible_voters(meeting)
    assert (voters.full, voters.exempt_absent, voters.count) == (11, 1, 10)


def test_exempt_member_who_attends_is_counted_and_votes(cell, meeting):
    cell_with(cell, full=10, meeting=meeting)
    cell_with(cell, full=1, status=S.EXEMPT, meeting=meeting)
    voters = eligible_voters(meeting)
    assert (voters.exempt_absent, voters.count, voters.present) == (0, 11, 11)


def test_members_attending_elsewhere_are_not_counted(cell, meeting):
    cell_with(cell, full=10, meeting=meeting)
    cell_with(cell, full=2, status=S.ELSEWHERE)
    voters = eligible_voters(meeting)
    assert (voters.full, voters.elsewhere, voters.count) == (12, 2, 10)


def test_moved_out_and_other_cells_members_are_not_counted(cell, other_cell, meeting):
    cell_with(cell, full=4, meeting=meeting)
    cell_with(cell, full=1, status=S.MOVED_OUT)
    cell_with(other_cell, full=3)
    assert eligible_voters(meeting).count == 4


def test_visiting_members_are_not_counted_by_default(cell, meeting):
    cell_with(cell, full=6, meeting=meeting)
    cell_with(cell, full=1, status=S.VISITING, meeting=meeting)
    voters = eligible_voters(meeting)
    assert (voters.count, voters.present) == (6, 6)
    assert voters.explanation == "6 đảng viên chính thức → 6 (không tính 1 sinh hoạt tạm thời tại chi bộ)"


def test_visiting_members_are_counted_when_the_setting_says_so(cell, meeting, settings):
    settings.CHIBO = {**settings.CHIBO, "VOTES_COUNT_VISITING": True}
    cell_with(cell, full=6, meeting=meeting)
    cell_with(cell, full=1, status=S.VISITING, meeting=meeting)
    voters = eligible_voters(meeting)
    assert (voters.count, voters.present) == (7, 7)
    assert voters.explanation == "6 đảng viên chính thức; cộng 1 sinh hoạt tạm thời tại chi bộ → 7"


def test_explanation_names_each_subtraction(cell, meeting):
    cell_with(cell, full=16, meeting=meeting)
    cell_with(cell, full=1, status=S.ELSEWHERE)
    cell_with(cell, full=1, status=S.EXEMPT)
    cell_with(cell, probationary=2, meeting=meeting)
    voters = eligible_voters(meeting)
    assert voters.count == 16
    assert (
        voters.explanation
        == "18 đảng viên chính thức; trừ 1 sinh hoạt tạm thời nơi khác, 1 miễn sinh hoạt vắng mặt → 16"
    )


def test_eligible_voters_is_one_query(cell, meeting, django_assert_num_queries):
    cell_with(cell, full=5, probationary=1, meeting=meeting)
    with django_assert_num_queries(1):
        eligible_voters(meeting)


@pytest.mark.parametrize(
    ("votes", "field_message"),
    [
        ((-1, 0, 0), "không được âm"),
        ((5, 1, 0), "vượt quá số đảng viên chính thức có mặt (5)"),
        ((0, 0, 6), "vượt quá số đảng viên chính thức có mặt (5)"),
    ],
)
def test_votes_problems(cell, meeting, votes, field_message):
    cell_with(cell, full=5, probationary=2, meeting=meeting)
    problems = votes_problems(
        votes_for=votes[0], votes_against=votes[1], votes_abstain=votes[2], voters=eligible_voters(meeting)
    )
    assert field_message in problems["votes_for"]


def test_votes_within_the_full_members_present_are_accepted(cell, meeting):
    cell_with(cell, full=5, probationary=2, meeting=meeting)
    voters = eligible_voters(meeting)
    assert votes_problems(votes_for=3, votes_against=1, votes_abstain=1, voters=voters) == {}


def test_no_full_member_present_refuses_any_vote(cell, meeting):
    cell_with(cell, full=3, present=False, meeting=meeting)
    problems = votes_problems(votes_for=0, votes_against=0, votes_abstain=0, voters=eligible_voters(meeting))
    assert "cần điểm danh" in problems["votes_for"]
