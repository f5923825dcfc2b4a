"""The dashboard's "Thực hiện kết luận" section, its drill-down to the items and the Excel
export (issue 17, item 3): figures per child, scope (staff elsewhere 404, members 403), query
counts that do not grow with cells or items, the workbook's content."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import ActionItem, ActionOwnerKind, ActionStatus
from meetings.selectors.action_figures import PAGE_SIZE
from meetings.services.compliance import compliance_refresh
from tests import factories as f
from tests.dashboard_tree import QUARTER, YEAR, build_tree, finalized_meeting

pytestmark = pytest.mark.django_db
PERIOD = {"nam": YEAR, "quy": QUARTER}
DUE = datetime.date(YEAR, 6, 20)  # in the tree's quarter, long past


def add_items(meeting, *specs):
    """Items of a finalised meeting (status, done_on) due on DUE, then the cell's refresh."""
    for number, (status, done_on) in enumerate(specs, start=1):
        ActionItem.objects.create(
            meeting=meeting,
            cell=meeting.cell,
            number=number,
            text=f"Việc {number} của {meeting.cell.name}",
            owner_kind=ActionOwnerKind.COMMITTEE,
            due_on=DUE,
            status=status,
            done_on=done_on,
        )
    compliance_refresh(cell=meeting.cell, year=YEAR, quarter=QUARTER)


@pytest.fixture
def tree():
    tree = build_tree()
    a1 = tree["a1"].meetings.get(stage="finalized", quarter=QUARTER)
    b1 = tree["b1"].meetings.get(stage="finalized", quarter=QUARTER)
    # a1: one on time, one done late, one still open; b1: one on time, one dropped (not counted).
    add_items(
        a1,
        (ActionStatus.DONE, DUE - datetime.timedelta(days=1)),
        (ActionStatus.DONE, DUE + datetime.timedelta(days=5)),
        (ActionStatus.IN_PROGRESS, None),
    )
    add_items(b1, (ActionStatus.DONE, DUE), (ActionStatus.DROPPED, None))
    return tree


@pytest.fixture
def staff_client(client, tree):
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    return client


def test_dashboard_shows_the_share_done_on_time_per_child_and_in_total(staff_client, tree):
    html = staff_client.get(reverse("dashboard:home"), PERIOD).content.decode()
    assert 'data-section="actions"' in html
    assert 'data-stat="actions-on-time">2/4<' in html
    assert 'data-stat="actions-pct">50,0%<' in html
    assert 'data-stat="actions-late">2<' in html
    row_a = html.split(f'data-actions-row="{tree["a"].pk}"')[1].split("</tr>")[0]
    link = reverse("dashboard:actions", args=[tree["a"].pk]) + f"?nam={YEAR}&amp;quy={QUARTER}"
    assert f'<a href="{link}">Đảng ủy A</a>' in row_a
    assert ">1/3<" in row_a and ">33,3%<" in row_a
    row_b = html.split(f'data-actions-row="{tree["b"].pk}"')[1].split("</tr>")[0]
    assert ">1/1<" in row_b and ">100,0%<" in row_b


def test_dashboard_says_when_no_item_falls_due_in_the_quarter(staff_client):
    html = staff_client.get(reverse("dashboard:home"), {"nam": YEAR, "quy": 1}).content.decode()
    assert 'data-state="no-actions"' in html
    assert "data-actions-totals" not in html


def test_drill_down_lists_the_childs_items_with_late_ones_marked(staff_client, tree):
    response = staff_client.get(reverse("dashboard:actions", args=[tree["a"].pk]), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-stat="actions-on-time">1/3<' in html
    assert html.count("data-item=") == 3
    assert html.count("data-late") == 2  # done late, still under way
    assert "Việc 1 của Chi bộ B1" not in html  # another child's items
    assert "Chi bộ A1" in html and "Biên bản 01-BB/CB" in html


def test_drill_down_of_the_whole_committee_and_of_one_cell(staff_client, tree):
    html = staff_client.get(reverse("dashboard:actions", args=[tree["root"].pk]), PERIOD).content.decode()
    assert html.count("data-item=") == 4  # the dropped item is not listed, as it is not counted
    html = staff_client.get(reverse("dashboard:actions", args=[tree["b1"].pk]), PERIOD).content.decode()
    assert html.count("data-item=") == 1


def test_drill_down_can_show_only_late_items(staff_client, tree):
    html = staff_client.get(
        reverse("dashboard:actions", args=[tree["root"].pk]), {**PERIOD, "tre_han": "1"}
    ).content.decode()
    assert html.count("data-item=") == 2
    assert html.count("data-late") == 2


def test_drill_down_with_nothing_due_says_so(staff_client, tree):
    html = staff_client.get(reverse("dashboard:actions", args=[tree["c"].pk]), PERIOD).content.decode()
    assert 'data-state="no-items"' in html


def test_cells_whose_last_meeting_reviewed_nothing_are_counted_and_listed(staff_client, tree):
    # a1's first-quarter meeting left an item open; its second-quarter meeting reviewed nothing.
    first = tree["a1"].meetings.get(quarter=1)
    ActionItem.objects.create(
        meeting=first,
        cell=tree["a1"],
        number=1,
        text="Việc quý 1",
        owner_kind=ActionOwnerKind.CELL,
        due_on=datetime.date(YEAR, 3, 30),
    )
    compliance_refresh(cell=tree["a1"], year=YEAR, quarter=QUARTER)
    html = staff_client.get(reverse("dashboard:home"), PERIOD).content.decode()
    assert 'data-stat="review-skipped">1<' in html
    html = staff_client.get(reverse("dashboard:actions", args=[tree["a"].pk]), PERIOD).content.decode()
    listed = html.split('data-list="review-skipped"')[1]
    assert reverse("dashboard:cell", args=[tree["a1"].pk]) in listed


def test_staff_of_another_committee_get_404_and_members_403(client, tree):
    client.force_login(f.StaffUserFactory(committee=tree["b"]))
    for name in ("dashboard:actions", "dashboard:actions_export"):
        assert client.get(reverse(name, args=[tree["a"].pk]), PERIOD).status_code == 404
        assert client.get(reverse(name, args=[tree["a1"].pk]), PERIOD).status_code == 404
        assert client.get(reverse(name, args=[tree["b1"].pk]), PERIOD).status_code == 200
    client.force_login(f.SecretaryFactory(cell=tree["a1"]).user)
    assert client.get(reverse("dashboard:actions", args=[tree["a1"].pk])).status_code == 403


def test_bad_period_and_page_fall_back_instead_of_failing(staff_client, tree):
    url = reverse("dashboard:actions", args=[tree["root"].pk])
    assert staff_client.get(url, {"nam": "x", "quy": "9", "trang": "abc"}).status_code == 200
    assert staff_client.get(url, {**PERIOD, "trang": "999"}).status_code == 200


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_cells_and_items(staff_client, tree, django_assert_num_queries):
    pages = [
        (reverse("dashboard:actions", args=[tree["root"].pk]), PERIOD),
        (reverse("dashboard:actions", args=[tree["a"].pk]), PERIOD),
        (reverse("dashboard:actions_export", args=[tree["root"].pk]), PERIOD),
        (reverse("dashboard:home"), PERIOD),
    ]
    staff_client.get(pages[0][0], PERIOD)  # the first request after a login records the session
    before = [_queries(staff_client, url, params) for url, params in pages]
    # Session, user, the organisation, its rollup row, the count, the page, the flagged cells;
    # below the user's own committee the breadcrumbs add one.
    assert before[:2] == [7, 8]
    for i in range(8):  # more cells, each with more items than a page holds in all
        cell = f.CellFactory(name=f"Chi bộ thêm {i}", parent=tree["a"])
        add_items(
            finalized_meeting(cell, number=10 + i),
            *[(ActionStatus.OPEN, None)] * 8,
        )
    assert ActionItem.objects.count() > PAGE_SIZE
    after = [_queries(staff_client, url, params) for url, params in pages]
    assert after == before
    # The second page too.
    with django_assert_num_queries(before[0]):
        response = staff_client.get(pages[0][0], {**PERIOD, "trang": 2})
    assert response.content.decode().count("data-item=") == ActionItem.objects.exclude(status="dropped").count() - 50


def test_excel_export_holds_the_figures_the_items_and_a_readable_name(staff_client, tree):
    response = staff_client.get(reverse("dashboard:actions_export", args=[tree["root"].pk]), PERIOD)
    assert response.status_code == 200
    assert (
        "filename*=UTF-8''Th%E1%BB%B1c%20hi%E1%BB%87n%20k%E1%BA%BFt%20lu%E1%BA%ADn%20"
        in response["Content-Disposition"]
    )
    assert 'filename="thuc-hien-ket-luan-dang-bo-tinh-quy-2-2025.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Việc thực hiện kết luận", "Tổng hợp", "Chi bộ không kiểm điểm"]
    items = list(book["Việc thực hiện kết luận"].iter_rows(min_row=2, values_only=True))
    assert len(items) == 4
    late = {row[5]: row[11] for row in items}
    assert late["Việc 3 của Chi bộ A1"] == "Có"
    assert late["Việc 1 của Chi bộ A1"] in ("", None)
    figures = list(book["Tổng hợp"].iter_rows(min_row=2, values_only=True))
    assert figures[0] == ("Đảng bộ Tỉnh", 5, 4, 2, 50.0, 2, 0)
    assert ("Đảng ủy A", 3, 3, 1, 33.3, 2, 0) in figures


def test_export_of_text_starting_like_a_formula_stays_text(staff_client, tree):
    ActionItem.objects.filter(text="Việc 1 của Chi bộ B1").update(text="=HYPERLINK(1)")
    response = staff_client.get(reverse("dashboard:actions_export", args=[tree["b1"].pk]), PERIOD)
    row = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert row[5] == "'=HYPERLINK(1)"
