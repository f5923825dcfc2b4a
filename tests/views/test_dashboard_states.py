"""The dashboard's states on the page: a quarter without data, the quarter under way in the
chart, lists that never repeat a cell, readable export file names, the drill-down's report link."""

import datetime
import io
import json
import re

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import Report
from tests import factories as f
from tests.dashboard_tree import QUARTER, YEAR, build_tree

pytestmark = pytest.mark.django_db
PERIOD = {"nam": YEAR, "quy": QUARTER}
OPEN = datetime.datetime(YEAR, 5, 1, 3, tzinfo=datetime.UTC)  # 10:00 in Hà Nội, inside quarter 2


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture
def staff_client(client, tree):
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    return client


def _chart(html: str) -> dict:
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def _list(html: str, name: str) -> str:
    return html.split(f'data-list="{name}"', 1)[1].split('<div class="col-lg-6">', 1)[0]


def test_a_quarter_without_data_says_so_instead_of_empty_table_and_charts(staff_client, tree):
    html = staff_client.get(reverse("dashboard:home"), {"nam": YEAR, "quy": 3}).content.decode()
    assert f"Chưa có số liệu quý 3/{YEAR}." in html
    assert "Không chi bộ nào lên lịch hay hoàn tất buổi sinh hoạt chuyên đề trong quý." in html
    assert "Theo tổ chức trực thuộc" not in html  # no table of zeros
    assert 'id="chart-children"' not in html and 'id="chart-grades"' not in html
    assert 'id="chart-quarters"' in html  # the year has data: its chart stays
    # The children stay reachable from the message.
    assert reverse("dashboard:org", args=[tree["a"].pk]) + f"?nam={YEAR}&amp;quy=3" in html


def test_the_quarter_under_way_without_data_says_so_and_keeps_its_table(staff_client):
    with time_machine.travel(datetime.datetime(YEAR, 8, 1, 3, tzinfo=datetime.UTC), tick=False):
        html = staff_client.get(reverse("dashboard:home"), {"nam": YEAR, "quy": 3}).content.decode()
    assert f"Chưa có số liệu quý 3/{YEAR}." in html and "Chưa chi bộ nào lên lịch" in html
    assert "Theo tổ chức trực thuộc" in html  # the cells to reach, child by child
    assert 'id="chart-children"' not in html and 'id="chart-grades"' not in html
    assert "Chi bộ có nguy cơ (quý chưa kết thúc, chưa lên lịch) (5)" in html


def test_a_year_without_data_draws_no_chart(staff_client):
    html = staff_client.get(reverse("dashboard:home"), {"nam": YEAR - 1, "quy": 2}).content.decode()
    assert f"Chưa có số liệu quý 2/{YEAR - 1}." in html
    assert "<canvas" not in html


def test_the_quarter_under_way_is_not_drawn_as_a_fall_and_later_quarters_not_at_all(staff_client):
    with time_machine.travel(OPEN, tick=False):
        html = staff_client.get(reverse("dashboard:home"), PERIOD).content.decode()
    quarters = _chart(html)["quarters"]
    assert quarters["labels"] == ["Quý 1", "Quý 2 (đang diễn ra)"]
    assert quarters["compliance"] == [20.0, None]
    assert "quý hiện tại, chưa kết thúc" in html
    assert "Quý 2 là quý hiện tại, chưa kết thúc: chưa vẽ; đến nay 2/5 chi bộ đã sinh hoạt (40,0%)." in html


def test_a_child_without_cells_has_no_bar_rather_than_zero(staff_client, tree):
    f.CommitteeFactory(name="Đảng ủy chưa có chi bộ", parent=tree["root"])
    html = staff_client.get(reverse("dashboard:home"), PERIOD).content.decode()
    children = _chart(html)["children"]
    assert children["compliance"][children["labels"].index("Đảng ủy chưa có chi bộ")] is None


def test_the_two_lists_never_show_the_same_cell_and_say_which_wins(staff_client, tree):
    with time_machine.travel(OPEN, tick=False):
        html = staff_client.get(reverse("dashboard:home"), PERIOD).content.decode()
    waiting, at_risk = _list(html, "non-compliant"), _list(html, "at-risk")
    assert "Chi bộ đã lên lịch, chưa hoàn tất (1)" in waiting and "Chi bộ A2" in waiting
    assert "Chi bộ A3" not in waiting and "Chi bộ C<" not in waiting
    assert "Chi bộ A3" in at_risk and "Chi bộ C<" in at_risk and "Chi bộ A2" not in at_risk
    assert "Mỗi chi bộ chỉ ở một danh sách" in html


def test_a_quarter_to_come_says_it_has_not_started(staff_client, django_assert_max_num_queries):
    with time_machine.travel(OPEN, tick=False):
        staff_client.get(reverse("dashboard:home"), PERIOD)  # the session is recorded
        with django_assert_max_num_queries(5):  # fewer than a started quarter's 7
            html = staff_client.get(reverse("dashboard:home"), {"nam": YEAR, "quy": 4}).content.decode()
    assert f"Chưa có số liệu quý 4/{YEAR}." in html and "Quý chưa bắt đầu." in html
    assert 'data-list="non-compliant"' not in html
    assert _chart(html)["quarters"]["labels"] == ["Quý 1", "Quý 2 (đang diễn ra)"]


def test_open_quarter_page_queries_are_unchanged(staff_client, django_assert_num_queries):
    with time_machine.travel(OPEN, tick=False):
        staff_client.get(reverse("dashboard:home"), PERIOD)
        # Session, user, committee, children with rollups, the two lists, warnings, secretaries.
        with django_assert_num_queries(8):
            assert staff_client.get(reverse("dashboard:home"), PERIOD).status_code == 200


def test_export_file_name_names_the_committee_and_the_quarter(staff_client, tree):
    response = staff_client.get(reverse("dashboard:export", args=[tree["root"].pk]), PERIOD)
    assert response["Content-Disposition"] == (
        'attachment; filename="tong-hop-dang-uy-tinh-quy-2-2025.xlsx"; '
        "filename*=UTF-8''T%E1%BB%95ng%20h%E1%BB%A3p%20%C4%90%E1%BA%A3ng%20%E1%BB%A7y%20T%E1%BB%89nh"
        "%20qu%C3%BD%202-2025.xlsx"
    )


def test_export_of_an_open_quarter_keeps_each_cell_in_one_sheet(staff_client, tree):
    with time_machine.travel(OPEN, tick=False):
        response = staff_client.get(reverse("dashboard:export", args=[tree["root"].pk]), PERIOD)
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[1:] == ["Đã lên lịch, chưa hoàn tất", "Chưa lên lịch (nguy cơ)"]
    waiting = [r[0].value for r in book.worksheets[1].iter_rows(min_row=2)]
    at_risk = [r[0].value for r in book.worksheets[2].iter_rows(min_row=2)]
    assert waiting == ["Chi bộ A2"] and sorted(at_risk) == ["Chi bộ A3", "Chi bộ C"]


def test_the_cell_drill_down_links_to_its_report(staff_client, tree):
    report = Report.objects.get(minutes__cell=tree["a1"])
    html = staff_client.get(reverse("dashboard:cell", args=[tree["a1"].pk]), PERIOD).content.decode()
    url = reverse("reports:detail", args=[report.pk])
    assert f'<a href="{url}" class="tap" data-report-link>Báo cáo: chờ xem xét</a>' in html
