import datetime

import pytest

from meetings.models import MemberStatus
from meetings.permissions import access_for
from meetings.selectors import dashboard as selectors
from tests import factories as f
from tests.dashboard_tree import QUARTER, WARNING, YEAR, build_tree, finalized_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_tree()


def test_root_figures_match_hand_count(tree):
    board = selectors.dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER)
    t = board.totals
    assert (t.total_cells, t.compliant, t.non_compliant) == (5, 2, 3)
    assert t.compliance_pct == 40.0
    assert t.attendance_pct == 50.0
    assert t.grades == {"good": 1, "fair": 0, "average": 0, "poor": 0}
    assert t.reports == 1
    assert t.scheduled == 3


def test_one_row_per_direct_child_with_own_counts(tree):
    board = selectors.dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER)
    rows = {r.org["name"]: r.figures for r in board.rows}
    assert set(rows) == {"Đảng ủy A", "Đảng ủy B", "Chi bộ C"}
    assert (rows["Đảng ủy A"].total_cells, rows["Đảng ủy A"].compliant, rows["Đảng ủy A"].non_compliant) == (3, 1, 2)
    assert rows["Đảng ủy A"].compliance_pct == 33.3
    assert (rows["Đảng ủy B"].total_cells, rows["Đảng ủy B"].compliant) == (1, 1)
    assert (rows["Chi bộ C"].total_cells, rows["Chi bộ C"].compliant) == (1, 0)


def test_cells_without_summary_row_are_listed_as_non_compliant_with_secretary(tree):
    board = selectors.dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER)
    names = [c["name"] for c in board.non_compliant]
    assert sorted(names) == ["Chi bộ A2", "Chi bộ A3", "Chi bộ C"]
    a3 = next(c for c in board.non_compliant if c["name"] == "Chi bộ A3")
    assert a3["secretary_name"] == "Lê Văn Ba"
    assert a3["secretary_phone"] == "0912000003"
    assert a3["parent_name"] == "Đảng ủy A"


def test_listed_cell_shows_its_first_secretary_still_in_the_cell(tree):
    f.SecretaryFactory(cell=tree["a2"], full_name="Đã chuyển đi", status=MemberStatus.MOVED_OUT)
    f.SecretaryFactory(cell=tree["a2"], full_name="Bí thư trước", phone="0912000002", email="")
    f.SecretaryFactory(cell=tree["a2"], full_name="Bí thư sau")
    board = selectors.dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER)
    a2 = next(c for c in board.non_compliant if c["name"] == "Chi bộ A2")
    assert (a2["secretary_name"], a2["secretary_phone"]) == ("Bí thư trước", "0912000002")
    assert a2["mail"] == tree["a2"].email  # the secretary has no e-mail: the cell's
    c = next(c for c in board.non_compliant if c["name"] == "Chi bộ C")
    assert c["secretary_name"] is None


def test_table_rows_are_plain_display_values(tree):
    board = selectors.dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER)
    row = next(r for r in board.table if r["name"] == "Đảng ủy A")
    assert row == {
        "id": tree["a"].pk,
        "kind": "committee",
        "name": "Đảng ủy A",
        "total_cells": 3,
        "compliant": 1,
        "non_compliant": 2,
        "compliance": "33,3%",
        "attendance": "50,0%",
        "good": 1,
        "fair": 0,
        "average": 0,
        "poor": 0,
        "reports": 1,
        "actions_due": 0,
        "actions_on_time": 0,
        "actions_pct": "–",
        "actions_late": 0,
        "review_skipped": 0,
    }
    assert board.table_totals["compliance"] == "40,0%"


def test_breadcrumbs_are_the_ancestors_inside_the_users_committee(tree, django_assert_num_queries):
    def names(user, org):
        return [c["name"] for c in selectors.breadcrumbs(access=access_for(user), org=org)]

    assert names(f.StaffUserFactory(committee=tree["root"]), tree["a1"]) == ["Đảng bộ Tỉnh", "Đảng ủy A"]
    assert names(f.UserFactory(is_superuser=True), tree["a1"]) == ["Đảng bộ Tỉnh", "Đảng ủy A"]
    a_staff = f.StaffUserFactory(committee=tree["a"])
    assert names(a_staff, tree["a1"]) == ["Đảng ủy A"]
    with django_assert_num_queries(0):  # on the user's own committee: nothing to read
        assert names(a_staff, tree["a"]) == []


def test_per_quarter_counts_compliant_cells(tree):
    board = selectors.dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER)
    assert board.per_quarter == [(1, 1, 5), (2, 2, 5), (3, 0, 5), (4, 0, 5)]


def test_at_risk_only_while_quarter_is_open(tree):
    closed = selectors.dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER)
    assert closed.quarter_open is False
    assert closed.at_risk == []
    still_open = selectors.dashboard(
        committee=tree["root"], year=YEAR, quarter=QUARTER, today=datetime.date(YEAR, 5, 1)
    )
    assert sorted(c["name"] for c in still_open.at_risk) == ["Chi bộ A3", "Chi bộ C"]
    assert still_open.at_risk_count == 2


def test_subcommittee_sees_only_its_subtree(tree):
    board = selectors.dashboard(committee=tree["a"], year=YEAR, quarter=QUARTER)
    assert [r.org["name"] for r in board.rows] == ["Chi bộ A1", "Chi bộ A2", "Chi bộ A3"]
    assert (board.totals.total_cells, board.totals.compliant) == (3, 1)


def test_query_count_is_constant(tree, django_assert_num_queries):
    # Children with the year's rollups, the list without minutes, the list with warnings, their secretaries.
    with django_assert_num_queries(4):
        selectors.dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER)
    with django_assert_num_queries(5):  # and the at-risk list (the quarter is still open)
        selectors.dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER, today=datetime.date(YEAR, 5, 1))


def test_cells_whose_minutes_carry_warnings_are_counted_and_listed(tree):
    board = selectors.dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER)
    assert board.totals.warned == 1
    assert [(c["name"], c["warned_count"]) for c in board.warned] == [("Chi bộ B1", 1)]
    rows = {r.org["name"]: r.figures.warned for r in board.rows}
    assert rows == {"Đảng ủy A": 0, "Đảng ủy B": 1, "Chi bộ C": 0}


def test_minutes_without_warnings_are_not_counted(tree):
    board = selectors.dashboard(committee=tree["a"], year=YEAR, quarter=QUARTER)
    assert board.totals.compliant == 1  # a1 finalised, without warnings
    assert (board.totals.warned, board.warned) == (0, [])


def test_warned_list_stops_at_the_limit_in_path_order(tree):
    for i in range(3):
        finalized_meeting(f.CellFactory(name=f"Chi bộ W{i}", parent=tree["a"]), warnings=[WARNING])
    cells = selectors.warned_cells(committee=tree["root"], year=YEAR, quarter=QUARTER, limit=2)
    assert [c["name"] for c in cells] == ["Chi bộ W0", "Chi bộ W1"]  # A's subtree sorts before B's
