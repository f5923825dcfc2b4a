"""The committee's figures of action items (issue 17, item 3): per cell and quarter of the due
date, items due, done on time, late, and the flag of a last meeting that reviewed nothing; kept
by the services that move them, summed up the tree, equal to a full rebuild."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from meetings import tasks
from meetings.models import ActionItem, ActionOwnerKind, ActionStatus, ComplianceSummary, Minutes, OrgQuarterStats
from meetings.models.minutes import ACTION_STAT_FIELDS, ROLLUP_FIELDS
from meetings.periods import quarter_of
from meetings.services import meetings as meeting_svc
from meetings.services.action_reviews import action_item_review
from meetings.services.actions import action_item_add, action_item_progress
from meetings.services.compliance import (
    compliance_rebuild,
    compliance_refresh,
    compliance_refresh_due,
    compliance_refresh_late,
)
from meetings.services.organizations import organization_move
from meetings.workflow import Stage
from tests import factories as f
from tests.services.test_meetings import _yesterday_in_this_quarter, make_meeting, prepare, run_all  # noqa: F401

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def date():
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def running(cell, secretary, date):
    return prepare(make_meeting(cell, secretary.user, date=date), secretary.user, secretary, date)


def earlier(cell, *, number=5, ago=60):
    """An earlier finalised meeting of the cell with its minutes."""
    meeting = f.MeetingFactory(cell=cell, stage=Stage.FINALIZED, scheduled_date=days(-ago))
    Minutes.objects.create(meeting=meeting, cell=cell, year=meeting.year, number=number, finalized_at=timezone.now())
    return meeting


def item(meeting, number=1, *, due=-10, status=ActionStatus.OPEN, counted=True, **extra):
    """An item of a finalised meeting; `counted`: refreshed as its meeting's finalisation does."""
    it = ActionItem.objects.create(
        meeting=meeting,
        cell=meeting.cell,
        number=number,
        text=f"Việc số {number}",
        owner_kind=ActionOwnerKind.COMMITTEE,
        due_on=days(due),
        status=status,
        **extra,
    )
    if counted:
        compliance_refresh_due(cell=meeting.cell, due_dates=[it.due_on])
    return it


def figures(org, day: datetime.date) -> dict:
    """The organisation's action figures in the quarter of `day`."""
    row = OrgQuarterStats.objects.filter(org=org, year=day.year, quarter=quarter_of(day)).values(*ACTION_STAT_FIELDS)
    return row.first() or dict.fromkeys(ACTION_STAT_FIELDS, 0)


def snapshot():
    return {
        (r["org_id"], r["year"], r["quarter"]): tuple(r[k] for k in ROLLUP_FIELDS)
        for r in OrgQuarterStats.objects.values("org_id", "year", "quarter", *ROLLUP_FIELDS)
        if any(r[k] for k in ROLLUP_FIELDS)
    }


def assert_matches_rebuild():
    incremental = snapshot()
    compliance_rebuild()
    assert snapshot() == incremental


def test_owner_reporting_done_before_the_due_date_counts_on_time_up_the_tree(cell, committee, secretary):
    it = item(earlier(cell), due=5)
    assert figures(cell, it.due_on) == {
        "actions_due": 1,
        "actions_on_time": 0,
        "actions_late": 0,
        "cells_review_skipped": 0,
    }
    action_item_progress(item=it, actor=secretary.user, status=ActionStatus.DONE, note="Xong")
    it.refresh_from_db()
    assert it.done_on == timezone.localdate()
    assert figures(cell, it.due_on)["actions_on_time"] == 1
    assert figures(committee, it.due_on)["actions_on_time"] == 1  # the committee above
    # A second "done" report keeps the first day; reopening clears it.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        action_item_progress(item=it, actor=secretary.user, status=ActionStatus.DONE, note="Xong hẳn")
    it.refresh_from_db()
    assert it.done_on == timezone.localdate()
    action_item_progress(item=it, actor=secretary.user, status=ActionStatus.IN_PROGRESS)
    it.refresh_from_db()
    assert it.done_on is None
    assert figures(committee, it.due_on)["actions_on_time"] == 0
    assert_matches_rebuild()


def test_item_past_its_due_date_is_late_and_stays_late_when_done_afterwards(cell, secretary):
    it = item(earlier(cell), due=-3)
    assert figures(cell, it.due_on)["actions_late"] == 1
    action_item_progress(item=it, actor=secretary.user, status=ActionStatus.DONE)
    assert figures(cell, it.due_on) == {
        "actions_due": 1,
        "actions_on_time": 0,
        "actions_late": 1,
        "cells_review_skipped": 0,
    }


def test_items_of_a_meeting_not_finalised_are_not_counted(cell):
    meeting = f.MeetingFactory(cell=cell, stage=Stage.HELD, scheduled_date=days(-1))
    it = item(meeting, due=-1)
    assert figures(cell, it.due_on)["actions_due"] == 0


def test_review_sets_the_figures_and_a_dropped_item_leaves_them(running, secretary, cell):
    done = item(earlier(cell), due=-10)
    dropped = item(earlier(cell, number=6), due=-10)
    assert figures(cell, done.due_on)["actions_due"] == 2
    assert figures(cell, done.due_on)["actions_late"] == 2
    action_item_review(item=done, meeting=running, actor=secretary.user, status=ActionStatus.DONE)
    action_item_review(item=dropped, meeting=running, actor=secretary.user, status=ActionStatus.DROPPED)
    done.refresh_from_db()
    assert done.done_on == timezone.localdate()  # done by the review's day: after its due date
    assert figures(cell, done.due_on) == {
        "actions_due": 1,
        "actions_on_time": 0,
        "actions_late": 1,
        "cells_review_skipped": 0,
    }
    # Corrected at the same meeting: no longer done, no day kept.
    action_item_review(item=done, meeting=running, actor=secretary.user, status=ActionStatus.IN_PROGRESS)
    done.refresh_from_db()
    assert done.done_on is None
    assert_matches_rebuild()


def test_finalising_counts_its_items_in_the_quarters_they_fall_due(running, secretary, cell, committee):
    soon = action_item_add(
        meeting=running, actor=secretary.user, text="Việc gần", owner_kind=ActionOwnerKind.CELL, due_on=days(2)
    )
    later = action_item_add(
        meeting=running, actor=secretary.user, text="Việc xa", owner_kind=ActionOwnerKind.CELL, due_on=days(200)
    )
    assert figures(committee, soon.due_on)["actions_due"] == 0  # not counted before finalisation
    meeting = run_all(running, secretary.user)
    meeting_svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    if quarter_of(soon.due_on) == quarter_of(later.due_on) and soon.due_on.year == later.due_on.year:
        pytest.fail("the two due dates must fall in different quarters")
    assert figures(committee, soon.due_on)["actions_due"] == 1
    assert figures(committee, later.due_on)["actions_due"] == 1
    assert_matches_rebuild()


def test_last_meeting_that_reviewed_nothing_while_items_were_open_is_flagged(running, secretary, cell, committee):
    item(earlier(cell), due=-10)
    meeting = run_all(running, secretary.user)
    meeting_svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    summary = ComplianceSummary.objects.get(cell=cell, year=meeting.year, quarter=meeting.quarter)
    assert summary.review_skipped is True
    assert figures(committee, meeting.scheduled_date)["cells_review_skipped"] == 1
    assert_matches_rebuild()


def test_meeting_that_reviewed_an_item_is_not_flagged(running, secretary, cell):
    it = item(earlier(cell), due=-10)
    item(earlier(cell, number=6), due=-10)  # left unreviewed: one review is enough
    action_item_review(item=it, meeting=running, actor=secretary.user, status=ActionStatus.IN_PROGRESS)
    meeting = run_all(running, secretary.user)
    meeting_svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    assert figures(cell, meeting.scheduled_date)["cells_review_skipped"] == 0


def test_meeting_with_nothing_open_to_review_is_not_flagged(running, secretary, cell):
    # Done before the meeting's day, or closed at an earlier meeting: nothing left to review.
    item(earlier(cell), status=ActionStatus.DONE, done_on=days(-20))
    closed = item(earlier(cell, number=6), status=ActionStatus.NOT_DONE)
    # Reviewed at an earlier meeting (written while held: finalised meetings' rows are guarded).
    reviewer = f.MeetingFactory(cell=cell, stage=Stage.HELD, scheduled_date=days(-30))
    closed.reviews.create(meeting=reviewer, status=ActionStatus.NOT_DONE, reviewed_at=timezone.now())
    reviewer.stage = Stage.FINALIZED
    reviewer.save(update_fields=["stage"])
    meeting = run_all(running, secretary.user)
    meeting_svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    assert figures(cell, meeting.scheduled_date)["cells_review_skipped"] == 0


def test_daily_refresh_makes_items_late_once_their_due_date_has_passed(cell, committee, other_cell):
    due_today = item(earlier(cell), due=0)
    item(earlier(cell, number=6), number=1, due=0)  # the same cell and quarter: one refresh
    done = item(earlier(other_cell), due=0, status=ActionStatus.DONE, done_on=days(-1))
    assert figures(committee, due_today.due_on)["actions_late"] == 0
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with time_machine.travel(tomorrow):
        assert compliance_refresh_late(today=timezone.localdate()) == 1
        assert figures(committee, due_today.due_on)["actions_late"] == 2
        assert figures(committee, done.due_on)["actions_on_time"] == 1
        # The beat's task calls the same service; nothing moved since, nothing changes.
        tasks.action_items_late.delay()
        assert figures(committee, due_today.due_on)["actions_late"] == 2
    assert_matches_rebuild()


def test_daily_refresh_catches_up_counts_left_behind_by_missed_nights(cell, committee):
    it = item(earlier(cell), due=-20)
    # Stored while the item was not yet late (the refresh ran before its due date).
    ComplianceSummary.objects.filter(cell=cell).update(actions_late=0)
    compliance_rebuild()
    assert figures(committee, it.due_on)["actions_late"] == 0
    assert compliance_refresh_late(today=timezone.localdate()) == 1
    assert figures(committee, it.due_on)["actions_late"] == 1
    assert compliance_refresh_late(today=timezone.localdate()) == 0  # nothing behind any more


def test_moving_a_cell_carries_its_action_figures_to_the_new_committee(cell, committee, secretary):
    other = f.CommitteeFactory(name="Đảng ủy khác", parent=committee)
    it = item(earlier(cell), due=-2)
    compliance_refresh(cell=cell, year=it.due_on.year, quarter=quarter_of(it.due_on))
    organization_move(organization=cell, new_parent=other)
    assert figures(other, it.due_on)["actions_late"] == 1
    assert figures(committee, it.due_on)["actions_late"] == 1  # still below the root
    assert_matches_rebuild()


def test_refresh_command_fills_the_figures_of_data_that_predates_them(running, secretary, cell, committee):
    done = item(earlier(cell), due=-5, status=ActionStatus.DONE, done_on=days(-6), counted=False)
    item(earlier(cell, number=6), due=-5, counted=False)
    meeting = run_all(running, secretary.user)
    meeting_svc.meeting_finalize(meeting=meeting, actor=secretary.user)  # reviewed nothing: flagged
    # As after the migration: the summaries carry no action figures yet.
    ComplianceSummary.objects.update(actions_due=0, actions_on_time=0, actions_late=0, review_skipped=False)
    compliance_rebuild()
    assert figures(committee, done.due_on)["actions_due"] == 0
    out = io.StringIO()
    call_command("action_figures_refresh", stdout=out)
    assert "Đã tính lại" in out.getvalue()
    assert figures(committee, done.due_on) == {
        "actions_due": 2,
        "actions_on_time": 1,
        "actions_late": 1,
        "cells_review_skipped": int(quarter_of(done.due_on) == meeting.quarter),
    }
    assert figures(committee, meeting.scheduled_date)["cells_review_skipped"] == 1
    assert_matches_rebuild()
