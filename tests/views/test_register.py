"""The register page and its Excel export (issue 17, item 5): rows of several meetings, search
without diacritics, filters, the xlsx read back, scoping (another cell and staff elsewhere 404),
and a query count that does not grow with the meetings."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import ActionStatus
from tests import factories as f
from tests.conftest import login
from tests.selectors.test_register import sealed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(cell):
    sealed_meeting(
        cell,
        day=datetime.date(2025, 11, 20),
        number=7,
        topic="Nghị quyết Trung ương 4",
        resolution="Nghị quyết về chỉnh đốn Đảng",
        items=[("Rà soát quy chế làm việc", "Chi ủy", ActionStatus.DONE)],
    )
    sealed_meeting(
        cell,
        day=datetime.date(2026, 3, 5),
        number=2,
        items=[("Viết bài thu hoạch", "Đồng chí Trần Thị Đảng Viên", ActionStatus.OPEN)],
    )
    return cell


def page_url(cell, **params):
    url = reverse("minutes:register", args=[cell.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_member_reads_rows_of_several_meetings(client, register, member):
    html = login(client, member.user).get(page_url(register)).content.decode()
    assert "Sổ nghị quyết, kết luận" in html
    assert html.count("data-register-row=") == 6
    assert "Nghị quyết về chỉnh đốn Đảng" in html and "Viết bài thu hoạch" in html
    assert "05/03/2026" in html and "20/11/2025" in html and "02-BB/CB" in html
    assert html.index("05/03/2026") < html.index("20/11/2025")  # newest first
    assert "Tán thành 9/10" in html and "Đã hoàn thành" in html
    assert reverse("minutes:register_export", args=[register.pk]) in html


def test_search_without_diacritics(client, secretary, register):
    html = login(client, secretary.user).get(page_url(register, q="nghi quyet ve chinh don")).content.decode()
    assert html.count("data-register-row=") == 1
    assert "Nghị quyết về chỉnh đốn Đảng" in html


def test_filters(client, secretary, register):
    client = login(client, secretary.user)
    assert client.get(page_url(register, nam=2025)).content.decode().count("data-register-row=") == 3
    html = client.get(page_url(register, loai="nghi-quyet")).content.decode()
    assert html.count('data-register-row="nghi-quyet"') == 2 and html.count("data-register-row=") == 2
    html = client.get(page_url(register, **{"tinh-trang": "open"})).content.decode()
    assert html.count('data-register-row="viec"') == 1 and "Viết bài thu hoạch" in html
    # Nonsense filters are ignored, not an error.
    assert client.get(page_url(register, nam="abcd", loai="x", trang="z")).status_code == 200


def test_export_xlsx_rows(client, member, register):
    response = login(client, member.user).get(reverse("minutes:register_export", args=[register.pk]) + "?nam=2026")
    assert response.status_code == 200
    assert "filename*=UTF-8''S%E1%BB%95%20ngh%E1%BB%8B%20quy%E1%BA%BFt" in response["Content-Disposition"]
    assert 'filename="so-nghi-quyet-ket-luan-chi-bo-van-phong-nam-2026.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("STT", "Ngày họp", "Chuyên đề, nội dung", "Biên bản số", "Loại", "Nội dung")
    assert [r[4] for r in rows[1:]] == ["Kết luận", "Nghị quyết", "Việc thực hiện"]
    assert rows[3][5] == "Viết bài thu hoạch" and rows[3][9] == "Chưa thực hiện"
    assert rows[1][1].date() == datetime.date(2026, 3, 5)


def test_staff_above_reads_and_exports(client, staff, register):
    client = login(client, staff)
    html = client.get(page_url(register)).content.decode()
    assert html.count("data-register-row=") == 6
    assert reverse("dashboard:cell", args=[register.pk]) in html  # breadcrumb back to the cell
    assert client.get(reverse("minutes:register_export", args=[register.pk])).status_code == 200


def test_other_cell_and_staff_elsewhere_get_404(client, client_factory, register, other_secretary):
    for name in ("minutes:register", "minutes:register_export"):
        url = reverse(name, args=[register.pk])
        assert login(client_factory(), other_secretary.user).get(url).status_code == 404
        elsewhere = f.StaffUserFactory(committee=f.CommitteeFactory(name="Đảng ủy Khối Doanh nghiệp"))
        assert login(client_factory(), elsewhere).get(url).status_code == 404


def test_dashboard_cell_page_links_to_the_register(client, staff, register):
    html = login(client, staff).get(reverse("dashboard:cell", args=[register.pk])).content.decode()
    assert reverse("minutes:register", args=[register.pk]) in html


def test_library_links_the_member_to_the_register(client, member, register):
    html = login(client, member.user).get(reverse("library:index")).content.decode()
    assert reverse("minutes:register", args=[register.pk]) in html


@pytest.mark.parametrize("meetings", [2, 8])
def test_query_count_is_constant(client, member, cell, meetings, django_assert_num_queries):
    for n in range(meetings):
        sealed_meeting(
            cell,
            day=datetime.date(2026, 1, 1) + datetime.timedelta(days=n * 10),
            number=n + 1,
            items=[("Việc A", "Chi ủy", ActionStatus.OPEN)],
        )
    client = login(client, member.user)
    client.get(page_url(cell))  # warm the session
    with django_assert_num_queries(6):
        response = client.get(page_url(cell))
    assert response.content.decode().count("data-register-row=") == 3 * meetings
