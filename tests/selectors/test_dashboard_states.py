"""Dashboard states: an unfinished quarter in the chart, lists that never repeat a cell, a
quarter still to come."""

import datetime

import pytest

from meetings.selectors import dashboard as selectors
from tests.dashboard_tree import QUARTER, YEAR, build_tree

pytestmark = pytest.mark.django_db
OPEN = datetime.date(YEAR, 5, 1)  # inside the tree's quarter 2


@pytest.fixture
def tree():
    return build_tree()


def test_finished_quarters_are_points_the_current_one_has_none_and_later_ones_are_absent():
    per_quarter = [(1, 1, 5), (2, 2, 5), (3, 0, 5), (4, 0, 5)]
    series = selectors.quarter_series(year=YEAR, per_quarter=per_quarter, today=OPEN)
    assert series == {
        "labels": ["Quý 1", "Quý 2 (đang diễn ra)"],
        "compliance": [20.0, None],  # not a fall: no point for the quarter under way
        "current": {"quarter": 2, "compliant": 2, "total": 5, "pct": 40.0},  # said beside the chart
    }


def test_a_finished_year_has_four_points_and_no_current_quarter():
    per_quarter = [(1, 1, 5), (2, 2, 5), (3, 0, 5), (4, 0, 5)]
    series = selectors.quarter_series(year=YEAR, per_quarter=per_quarter, today=datetime.date(YEAR + 1, 1, 5))
    assert series["compliance"] == [20.0, 40.0, 0.0, 0.0]
    assert series["current"] is None


def test_first_quarter_under_way_has_no_point_and_a_future_year_nothing():
    per_quarter = [(1, 0, 5), (2, 0, 5), (3, 0, 5), (4, 0, 5)]
    series = selectors.quarter_series(year=YEAR, per_quarter=per_quarter, today=datetime.date(YEAR, 2, 1))
    assert (series["labels"], series["compliance"]) == (["Quý 1 (đang diễn ra)"], [None])
    future = selectors.quarter_series(year=YEAR + 1, per_quarter=per_quarter, today=datetime.date(YEAR, 2, 1))
    assert future == {"labels": [], "compliance": [], "current": None}


def test_while_the_quarter_is_open_a_cell_is_in_one_list_only(tree):
    board = selectors.dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER, today=OPEN)
    at_risk = {c["name"] for c in board.at_risk}
    waiting = {c["name"] for c in board.non_compliant}
    assert at_risk == {"Chi bộ A3", "Chi bộ C"}  # nothing on the calendar: at risk wins
    assert waiting == {"Chi bộ A2"}  # scheduled, not finalised yet
    assert not at_risk & waiting
    assert (board.at_risk_count, board.non_compliant_count) == (2, 1)
    assert board.at_risk_count + board.non_compliant_count == board.totals.non_compliant


def test_once_the_quarter_is_over_every_cell_without_minutes_is_in_the_one_list(tree):
    board = selectors.dashboard(committee=tree["root"], year=YEAR, quarter=QUARTER)
    assert sorted(c["name"] for c in board.non_compliant) == ["Chi bộ A2", "Chi bộ A3", "Chi bộ C"]
    assert board.non_compliant_count == 3 and board.at_risk == []


def test_quarter_without_data_and_quarter_to_come(tree, django_assert_num_queries):
    empty = selectors.dashboard(committee=tree["root"], year=YEAR, quarter=3)
    assert (empty.has_data, empty.year_has_data, empty.quarter_started) == (False, True, True)
    assert selectors.dashboard(committee=tree["root"], year=YEAR - 1, quarter=2).year_has_data is False
    # A quarter still to come lists nothing: only the children's rollups are read.
    with django_assert_num_queries(1):
        later = selectors.dashboard(committee=tree["root"], year=YEAR, quarter=4, today=OPEN)
    assert later.quarter_started is False
    assert (later.non_compliant, later.at_risk, later.warned, later.at_risk_count) == ([], [], [], 0)
