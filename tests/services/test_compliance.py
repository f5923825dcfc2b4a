"""The per-organisation rollups kept incrementally by `compliance_refresh` must always equal
a full `compliance_rebuild` from the summaries, whatever the order of the changes."""

import datetime
import itertools

import pytest
from django.core.management import call_command

from meetings.models import ComplianceSummary, Organization, OrgQuarterStats
from meetings.models.minutes import STAT_FIELDS
from meetings.services.compliance import compliance_rebuild, compliance_refresh
from meetings.services.organizations import organization_move
from meetings.workflow import Stage
from tests import factories as f
from tests.dashboard_tree import QUARTER, WARNING, YEAR, build_tree, finalized_meeting

pytestmark = pytest.mark.django_db


def snapshot():
    """Rollups (an all-zero row is the same as no row) and cell counts, as stored."""
    stats = {
        (row["org_id"], row["year"], row["quarter"]): tuple(row[k] for k in STAT_FIELDS)
        for row in OrgQuarterStats.objects.values("org_id", "year", "quarter", *STAT_FIELDS)
        if any(row[k] for k in STAT_FIELDS)
    }
    cells = dict(Organization.objects.values_list("id", "subtree_cells"))
    return stats, cells


def assert_matches_rebuild():
    incremental = snapshot()
    compliance_rebuild()
    rebuilt = snapshot()
    assert incremental == rebuilt
    return rebuilt


@pytest.fixture
def tree():
    return build_tree()


def test_incremental_rollups_of_hand_counted_tree_equal_rebuild(tree):
    stats, cells = assert_matches_rebuild()
    root = stats[(tree["root"].pk, YEAR, QUARTER)]
    row = dict(zip(STAT_FIELDS, root, strict=True))
    assert (row["cells_compliant"], row["cells_scheduled"], row["reports_count"]) == (2, 3, 1)
    assert (row["attendance_count"], row["attendance_ppm_sum"], row["grade_good"]) == (1, 500_000, 1)
    assert row["cells_warned"] == 1  # b1's minutes carry a warning, a1's none
    assert stats[(tree["root"].pk, YEAR, 1)][0] == 1  # a1's first quarter
    assert (cells[tree["root"].pk], cells[tree["a"].pk], cells[tree["b"].pk], cells[tree["c"].pk]) == (5, 3, 1, 1)


def _finalise(tree):
    finalized_meeting(tree["a3"], grade="fair", present=2, absent=1, number=7, warnings=[WARNING])


def _unschedule(tree):
    meeting = tree["a2"].meetings.get(year=YEAR, quarter=QUARTER)
    meeting.stage = Stage.CANCELLED
    meeting.save()
    compliance_refresh(cell=tree["a2"], year=YEAR, quarter=QUARTER)


def _move_quarter(tree):
    meeting = tree["b1"].meetings.get(year=YEAR, quarter=QUARTER, stage=Stage.SCHEDULED)
    meeting.quarter, meeting.scheduled_date = 3, datetime.date(YEAR, 8, 5)
    meeting.save()
    compliance_refresh(cell=tree["b1"], year=YEAR, quarter=3)
    compliance_refresh(cell=tree["b1"], year=YEAR, quarter=QUARTER)


def _schedule_c(tree):
    f.MeetingFactory(
        cell=tree["c"], year=YEAR, quarter=QUARTER, stage=Stage.SCHEDULED, scheduled_date=datetime.date(YEAR, 6, 2)
    )
    compliance_refresh(cell=tree["c"], year=YEAR, quarter=QUARTER)


STEPS = [_finalise, _unschedule, _move_quarter, _schedule_c]


@pytest.mark.parametrize("order", list(itertools.permutations(range(len(STEPS))))[::5])
def test_every_order_of_changes_keeps_rollups_equal_to_rebuild(tree, order):
    # b1 also has a second meeting on the calendar in Q2, which `_move_quarter` moves to Q3.
    f.MeetingFactory(
        cell=tree["b1"], year=YEAR, quarter=QUARTER, stage=Stage.SCHEDULED, scheduled_date=datetime.date(YEAR, 6, 9)
    )
    compliance_refresh(cell=tree["b1"], year=YEAR, quarter=QUARTER)
    for index in order:
        STEPS[index](tree)
        assert_matches_rebuild()
    stats, _ = snapshot()
    root = dict(zip(STAT_FIELDS, stats[(tree["root"].pk, YEAR, QUARTER)], strict=True))
    # a1, b1 and a3 finalised (b1 and a3 with warnings); a2 cancelled; c scheduled; b1's second
    # meeting moved to Q3.
    assert (root["cells_compliant"], root["cells_scheduled"], root["grade_fair"], root["cells_warned"]) == (3, 4, 1, 2)
    b_q3 = dict(zip(STAT_FIELDS, stats[(tree["b"].pk, YEAR, 3)], strict=True))
    assert (b_q3["cells_compliant"], b_q3["cells_scheduled"]) == (0, 1)


def test_refreshing_twice_changes_nothing(tree):
    before = snapshot()
    for cell in ("a1", "a2", "a3", "b1", "c"):
        compliance_refresh(cell=tree[cell], year=YEAR, quarter=QUARTER)
    assert snapshot() == before


def test_moving_a_committee_moves_its_cells_and_rollups(tree):
    organization_move(organization=tree["a"], new_parent=tree["b"])
    stats, cells = assert_matches_rebuild()
    assert (cells[tree["root"].pk], cells[tree["a"].pk], cells[tree["b"].pk]) == (5, 3, 4)
    assert stats[(tree["b"].pk, YEAR, QUARTER)][0] == 2  # b1 and a1 now both under B
    a1_path = Organization.objects.get(pk=tree["a1"].pk).path
    assert ComplianceSummary.objects.filter(cell=tree["a1"]).exclude(cell_path=a1_path).count() == 0


def test_moving_a_cell_then_finalising_keeps_rollups_exact(tree):
    organization_move(organization=tree["c"], new_parent=tree["a"])
    tree["c"].refresh_from_db()
    finalized_meeting(tree["c"], grade="poor", present=1, number=9)
    stats, cells = assert_matches_rebuild()
    assert cells[tree["a"].pk] == 4
    assert dict(zip(STAT_FIELDS, stats[(tree["a"].pk, YEAR, QUARTER)], strict=True))["grade_poor"] == 1


def test_new_cells_count_at_once_and_a_stale_copy_does_not_reset_the_count(tree):
    stale = Organization.objects.get(pk=tree["a"].pk)
    f.CellFactory(name="Chi bộ A4", parent=tree["a"])
    stale.name = "Đảng ủy A (đổi tên)"
    stale.save()
    _, cells = assert_matches_rebuild()
    assert (cells[tree["root"].pk], cells[tree["a"].pk]) == (6, 4)


def test_rebuild_command_repairs_lost_rollups(tree):
    expected = snapshot()
    OrgQuarterStats.objects.all().delete()
    Organization.objects.update(subtree_cells=0)
    call_command("compliance_rebuild", verbosity=0)
    assert snapshot() == expected


def test_a_cell_with_two_warned_minutes_counts_once(tree):
    finalized_meeting(tree["b1"], number=2, warnings=[WARNING, "Thiếu chữ ký thư ký."])
    summary = ComplianceSummary.objects.get(cell=tree["b1"], year=YEAR, quarter=QUARTER)
    assert summary.warned_count == 2
    stats, _ = assert_matches_rebuild()
    assert dict(zip(STAT_FIELDS, stats[(tree["b"].pk, YEAR, QUARTER)], strict=True))["cells_warned"] == 1


def test_minutes_without_warnings_are_not_counted(tree):
    finalized_meeting(tree["a3"], number=2, warnings=[])
    stats, _ = assert_matches_rebuild()
    assert dict(zip(STAT_FIELDS, stats[(tree["a"].pk, YEAR, QUARTER)], strict=True))["cells_warned"] == 0
