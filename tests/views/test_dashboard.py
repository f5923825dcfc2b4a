import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories as f
from tests.dashboard_tree import QUARTER, WARNING, YEAR, build_tree

pytestmark = pytest.mark.django_db
PERIOD = {"nam": YEAR, "quy": QUARTER}


@pytest.fixture
def tree():
    return build_tree()


def test_committee_staff_sees_numbers_and_chart_data(client, tree):
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    response = client.get(reverse("dashboard:home"), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-stat="total">5<' in html
    assert 'data-stat="compliant">2<' in html
    assert 'data-stat="pct">40,0%<' in html
    assert 'id="dashboard-data"' in html
    assert "<script>" not in html  # no inline script: charts read json_script from dashboard.js
    assert "js/dashboard.js" in html


def test_drill_down_to_child_committee_and_cell(client, tree):
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    assert client.get(reverse("dashboard:org", args=[tree["a"].pk]), PERIOD).status_code == 200
    assert client.get(reverse("dashboard:org", args=[tree["a1"].pk])).status_code == 302
    response = client.get(reverse("dashboard:cell", args=[tree["a1"].pk]), PERIOD)
    assert response.status_code == 200
    assert "Đã sinh hoạt" in response.content.decode()


def test_staff_of_sibling_committee_gets_404(client, tree):
    client.force_login(f.StaffUserFactory(committee=tree["b"]))
    assert client.get(reverse("dashboard:org", args=[tree["a"].pk])).status_code == 404
    assert client.get(reverse("dashboard:cell", args=[tree["a1"].pk])).status_code == 404
    assert client.get(reverse("dashboard:export", args=[tree["root"].pk])).status_code == 404


def test_members_and_secretaries_never_see_dashboards(client, tree):
    secretary = f.SecretaryFactory(cell=tree["a1"])
    client.force_login(secretary.user)
    assert client.get(reverse("dashboard:home")).status_code == 403
    assert client.get(reverse("dashboard:org", args=[tree["root"].pk])).status_code == 403
    member = f.MemberWithUserFactory(cell=tree["a1"])
    client.force_login(member.user)
    assert client.get(reverse("dashboard:cell", args=[tree["a1"].pk])).status_code == 403


def test_page_query_count_is_constant(client, tree, django_assert_max_num_queries):
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("dashboard:home"), PERIOD).status_code == 200
    for i in range(5):  # more cells and committees: same number of queries
        f.CellFactory(name=f"Chi bộ thêm {i}", parent=f.CommitteeFactory(parent=tree["a"]))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("dashboard:home"), PERIOD).status_code == 200


def test_page_queries_on_own_committee_and_below_it(client, tree, django_assert_num_queries):
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    client.get(reverse("dashboard:home"), PERIOD)  # the first request after a login also records the session
    # Session, user, the committee, its children with the year's rollups, the list without minutes,
    # the list with warnings (one query of its own, read from the summaries), their secretaries.
    with django_assert_num_queries(7):
        assert client.get(reverse("dashboard:home"), PERIOD).status_code == 200
    # Below the user's own committee, the breadcrumbs add one.
    with django_assert_num_queries(8):
        assert client.get(reverse("dashboard:org", args=[tree["a"].pk]), PERIOD).status_code == 200


def test_rows_and_lists_link_to_their_drill_down_for_the_period(client, tree):
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    html = client.get(reverse("dashboard:home"), PERIOD).content.decode()
    period = f"?nam={YEAR}&amp;quy={QUARTER}"
    assert f'<a href="{reverse("dashboard:org", args=[tree["a"].pk])}{period}">Đảng ủy A</a>' in html
    assert f'<a href="{reverse("dashboard:cell", args=[tree["c"].pk])}{period}">Chi bộ C</a>' in html
    assert f'<a href="{reverse("dashboard:cell", args=[tree["a3"].pk])}{period}" class="fw-semibold tap">' in html


def test_table_shows_percentages_with_the_decimal_comma(client, tree):
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    html = client.get(reverse("dashboard:home"), PERIOD).content.decode()
    assert '<td class="text-end">33,3%</td>' in html  # Đảng ủy A: 1 of 3 cells
    assert '<td class="text-end">40,0%</td><td class="text-end">50,0%</td>' in html  # totals: done, attendance
    assert '<td class="text-end">–</td>' in html  # Chi bộ C: no attendance rate


def test_breadcrumbs_link_only_to_committees_inside_the_users_own(client, tree):
    root_link = reverse("dashboard:org", args=[tree["root"].pk])
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    assert root_link in client.get(reverse("dashboard:org", args=[tree["a"].pk]), PERIOD).content.decode()
    client.force_login(f.StaffUserFactory(committee=tree["a"]))
    assert root_link not in client.get(reverse("dashboard:org", args=[tree["a"].pk]), PERIOD).content.decode()


def test_excel_export_does_not_turn_names_into_formulas(client, tree):
    tree["a"].name = '=HYPERLINK("http://x","bấm")'
    tree["a"].save()
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    response = client.get(reverse("dashboard:export", args=[tree["root"].pk]), PERIOD)
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    assert '\'=HYPERLINK("http://x","bấm")' in names
    totals = [ws.cell(row=ws.max_row, column=c).value for c in range(1, 5)]
    assert totals == ["Tổng cộng", 5, 2, 3]


def test_minutes_with_warnings_are_counted_and_listed_with_a_link_to_the_cell(client, tree):
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    html = client.get(reverse("dashboard:home"), PERIOD).content.decode()
    assert "Biên bản có cảnh báo" in html
    assert 'data-stat="warned">1<' in html
    warned_list = html.split('data-list="warned"', 1)[1]
    url = reverse("dashboard:cell", args=[tree["b1"].pk]) + f"?nam={YEAR}&amp;quy={QUARTER}"
    assert "Chi bộ B1" in warned_list and url in warned_list
    assert "Chi bộ A1" not in warned_list  # finalised without warnings


def test_drill_down_shows_the_warnings_of_each_meeting(client, tree):
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    html = client.get(reverse("dashboard:cell", args=[tree["b1"].pk]), PERIOD).content.decode()
    assert "Cảnh báo lưu cùng biên bản" in html
    assert WARNING in html
    html = client.get(reverse("dashboard:cell", args=[tree["a1"].pk]), PERIOD).content.decode()
    assert "Cảnh báo lưu cùng biên bản" not in html
