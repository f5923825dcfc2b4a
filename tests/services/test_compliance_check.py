"""The nightly check recomputes a quarter's figures from the meetings, repairs what drifted
(each row logged) and leaves figures that are right untouched."""

import datetime
import logging

import pytest
from django.core.management import call_command

from meetings.models import ComplianceSummary, Meeting, Minutes, OrgQuarterStats
from meetings.selectors.dashboard import dashboard
from meetings.services.compliance_check import compliance_check, compliance_check_recent
from meetings.workflow import Stage
from tests.dashboard_tree import QUARTER, YEAR, build_tree

from .test_compliance import snapshot

pytestmark = pytest.mark.django_db
LOGGER = "meetings.services.compliance_check"


@pytest.fixture
def tree():
    return build_tree()


def summaries():
    return {
        (row["cell_id"], row["year"], row["quarter"]): row
        for row in ComplianceSummary.objects.values(
            "cell_id",
            "year",
            "quarter",
            "finalized_count",
            "scheduled_count",
            "best_grade",
            "reports_count",
            "warned_count",
        )
    }


def test_figures_kept_by_the_service_need_no_repair(tree):
    for quarter in (1, QUARTER, 3):
        result = compliance_check(year=YEAR, quarter=quarter)
        assert (result["summaries_repaired"], result["rollups_repaired"]) == (0, 0)
    assert compliance_check(year=YEAR, quarter=QUARTER)["cells"] == 3  # a1, a2, b1


def test_corrupted_rollup_is_repaired_logged_and_second_run_repairs_nothing(tree, caplog):
    expected = snapshot()
    OrgQuarterStats.objects.filter(org=tree["a"], year=YEAR, quarter=QUARTER).update(cells_compliant=7, grade_good=0)
    # The root's page reads A's row.
    assert dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER).totals.compliant == 8
    with caplog.at_level(logging.INFO, logger=LOGGER):
        result = compliance_check(year=YEAR, quarter=QUARTER)
    assert (result["summaries_repaired"], result["rollups_repaired"]) == (0, 1)
    assert snapshot() == expected
    assert dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER).totals.compliant == 2
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"compliance check Q{QUARTER}/{YEAR}: organisation org_id={tree['a'].pk} repaired: "
        "cells_compliant: 7 → 1, grade_good: 0 → 1"
    ]
    info = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert info == [f"compliance check Q{QUARTER}/{YEAR}: 3 cells, 0 summaries and 1 rollups repaired"]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        again = compliance_check(year=YEAR, quarter=QUARTER)
    assert (again["summaries_repaired"], again["rollups_repaired"]) == (0, 0)
    assert not caplog.records


def test_lost_rollup_rows_are_recreated(tree):
    expected = snapshot()
    OrgQuarterStats.objects.filter(year=YEAR, quarter=QUARTER).delete()
    result = compliance_check(year=YEAR, quarter=QUARTER)
    assert result["rollups_repaired"] == 6  # root, A, B, a1, a2, b1
    assert snapshot() == expected


def test_stray_rollup_row_is_zeroed(tree):
    OrgQuarterStats.objects.create(org=tree["c"], year=YEAR, quarter=QUARTER, cells_scheduled=1)
    assert compliance_check(year=YEAR, quarter=QUARTER)["rollups_repaired"] == 1
    assert OrgQuarterStats.objects.get(org=tree["c"], year=YEAR, quarter=QUARTER).cells_scheduled == 0


def test_meeting_changed_behind_the_service_is_repaired_in_summary_and_rollups(tree):
    # An update() that bypasses compliance_refresh: a2's meeting cancelled.
    Meeting.objects.filter(cell=tree["a2"], year=YEAR, quarter=QUARTER).update(stage=Stage.CANCELLED)
    assert dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER).totals.scheduled == 3
    result = compliance_check(year=YEAR, quarter=QUARTER)
    assert (result["summaries_repaired"], result["rollups_repaired"]) == (1, 3)  # a2; a2, A and root
    assert summaries()[(tree["a2"].pk, YEAR, QUARTER)]["scheduled_count"] == 0
    assert dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER).totals.scheduled == 2
    assert compliance_check(year=YEAR, quarter=QUARTER)["summaries_repaired"] == 0


def test_lost_summary_is_recreated_from_the_meetings(tree):
    ComplianceSummary.objects.filter(cell=tree["a1"], year=YEAR, quarter=QUARTER).delete()
    result = compliance_check(year=YEAR, quarter=QUARTER)
    assert result["summaries_repaired"] == 1
    row = summaries()[(tree["a1"].pk, YEAR, QUARTER)]
    assert (row["finalized_count"], row["best_grade"], row["reports_count"]) == (1, "good", 1)
    assert ComplianceSummary.objects.get(cell=tree["a1"], year=YEAR, quarter=QUARTER).attendance_rate == 0.5


def test_dry_run_reports_without_writing(tree, caplog):
    OrgQuarterStats.objects.filter(org=tree["root"], year=YEAR, quarter=QUARTER).update(reports_count=9)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        result = compliance_check(year=YEAR, quarter=QUARTER, repair=False)
    assert (result["rollups_repaired"], result["repaired"]) == (1, False)
    assert "reports_count: 9 → 1" in caplog.text
    assert OrgQuarterStats.objects.get(org=tree["root"], year=YEAR, quarter=QUARTER).reports_count == 9


def test_nightly_job_checks_the_current_and_previous_quarter(tree):
    OrgQuarterStats.objects.filter(org=tree["root"], year=YEAR, quarter=1).update(cells_compliant=0)
    results = compliance_check_recent(today=datetime.date(YEAR, 5, 1))
    assert [(r["year"], r["quarter"], r["rollups_repaired"]) for r in results] == [(YEAR, 1, 1), (YEAR, 2, 0)]
    first = compliance_check_recent(today=datetime.date(YEAR + 1, 1, 3))
    assert [(r["year"], r["quarter"]) for r in first] == [(YEAR, 4), (YEAR + 1, 1)]


def test_command_dry_run_and_repair(tree):
    OrgQuarterStats.objects.filter(org=tree["b"], year=YEAR, quarter=QUARTER).update(cells_compliant=0)
    call_command("compliance_check", year=YEAR, quarter=QUARTER, dry_run=True, verbosity=0)
    assert OrgQuarterStats.objects.get(org=tree["b"], year=YEAR, quarter=QUARTER).cells_compliant == 0
    call_command("compliance_check", year=YEAR, quarter=QUARTER, verbosity=0)
    assert OrgQuarterStats.objects.get(org=tree["b"], year=YEAR, quarter=QUARTER).cells_compliant == 1


def test_warnings_changed_behind_the_service_are_repaired_in_summary_and_rollups(tree):
    # a1's minutes (not sealed in this tree) get warnings by an update() that bypasses the refresh.
    Minutes.objects.filter(cell=tree["a1"], year=YEAR).update(warnings=["Thiếu chữ ký thư ký."])
    result = compliance_check(year=YEAR, quarter=QUARTER)
    assert (result["summaries_repaired"], result["rollups_repaired"]) == (1, 3)  # a1; a1, A and root
    assert summaries()[(tree["a1"].pk, YEAR, QUARTER)]["warned_count"] == 1
    assert dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER).totals.warned == 2
    assert compliance_check(year=YEAR, quarter=QUARTER)["rollups_repaired"] == 0


def test_lost_warned_figures_are_recomputed(tree):
    expected = snapshot()
    ComplianceSummary.objects.filter(cell=tree["b1"]).update(warned_count=0)
    OrgQuarterStats.objects.update(cells_warned=0)
    result = compliance_check(year=YEAR, quarter=QUARTER)
    assert (result["summaries_repaired"], result["rollups_repaired"]) == (1, 3)  # b1; b1, B and root
    assert snapshot() == expected
