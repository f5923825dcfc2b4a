"""The cell's document data page: term start, first numbers, register (members:document_settings)."""

import datetime

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from meetings.models import DocumentSeries, IssuedNumber, Position
from meetings.services.numbering import document_number_issue
from tests import factories as f
from tests.conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_3_august")]


@pytest.fixture
def on_3_august():
    with time_machine.travel(datetime.datetime(2026, 8, 3, 9, tzinfo=datetime.UTC), tick=False):
        yield


def url(cell):
    return reverse("members:document_settings", args=[cell.pk])


def form_data(**overrides):
    data = {"term_started_on": "20/06/2025", "first_BB": "1", "first_TB": "1", "first_KH": "1", "first_BC": "1"}
    data.update(overrides)
    return data


def test_secretary_sees_the_page_with_the_next_numbers(client, cell, secretary):
    login(client, secretary.user)
    response = client.get(url(cell))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sổ đăng ký văn bản đi" in page
    assert "01-TB/CB" in page
    assert "Chưa cấp số văn bản nào" in page


def test_secretary_sets_term_and_first_numbers(client, cell, secretary):
    login(client, secretary.user)
    response = client.post(url(cell), form_data(first_TB="5", first_BB="12"))
    assert response.status_code == 302
    cell.refresh_from_db()
    assert cell.term_started_on == datetime.date(2025, 6, 20)
    series = DocumentSeries.objects.get(cell=cell, kind="TB", term_started_on=datetime.date(2025, 6, 20))
    assert series.first_number == 5
    assert "05-TB/CB" in client.get(url(cell)).content.decode()


def test_deputy_may_set_them_too(client, cell):
    deputy = f.MemberWithUserFactory(cell=cell, position=Position.DEPUTY)
    login(client, deputy.user)
    assert client.post(url(cell), form_data()).status_code == 302


def test_bad_date_is_refused_in_vietnamese_and_the_input_kept(client, cell, secretary):
    login(client, secretary.user)
    response = client.post(url(cell), form_data(term_started_on="31/02/2025", first_BB="7"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ngày không hợp lệ" in page
    assert 'value="7"' in page
    cell.refresh_from_db()
    assert cell.term_started_on is None


def test_future_term_is_refused_by_the_service_on_the_form(client, cell, secretary):
    login(client, secretary.user)
    response = client.post(url(cell), form_data(term_started_on="01/09/2026"))
    assert response.status_code == 400
    assert "không được sau ngày hôm nay" in response.content.decode()


def test_first_number_used_in_the_term_is_disabled_and_kept(client, cell, secretary):
    with transaction.atomic():
        document_number_issue(
            cell=cell, kind="TB", actor=secretary.user, title="Thông báo sinh hoạt", on=datetime.date(2026, 8, 1)
        )
    login(client, secretary.user)
    page = client.get(url(cell)).content.decode()
    assert "Đã cấp số trong nhiệm kỳ này" in page
    assert "01-TB/CB" in page and "Thông báo sinh hoạt" in page
    # A forged value for the disabled field is ignored: the first number stays.
    data = form_data(term_started_on="", first_TB="40")
    assert client.post(url(cell), data).status_code == 302
    assert DocumentSeries.objects.get(cell=cell, kind="TB").first_number == 1
    assert IssuedNumber.objects.count() == 1


def test_plain_member_is_forbidden(client, cell, member):
    login(client, member.user)
    assert client.get(url(cell)).status_code == 403
    assert client.post(url(cell), form_data()).status_code == 403


def test_secretary_of_other_cell_gets_404(client, cell, other_secretary):
    login(client, other_secretary.user)
    assert client.get(url(cell)).status_code == 404
    assert client.post(url(cell), form_data()).status_code == 404
    cell.refresh_from_db()
    assert cell.term_started_on is None


def test_committee_staff_cannot_change_a_cell(client, cell, staff):
    login(client, staff)
    assert client.post(url(cell), form_data()).status_code == 403


def test_register_page_queries_do_not_grow_with_the_register(client, cell, secretary, django_assert_max_num_queries):
    login(client, secretary.user)
    for kind in ("BB", "TB", "KH", "TB", "BB", "BC"):
        with transaction.atomic():
            document_number_issue(cell=cell, kind=kind, actor=secretary.user, title="x", on=datetime.date(2026, 8, 1))
    client.get(url(cell))  # warm the session and the user
    with django_assert_max_num_queries(12):
        page = client.get(url(cell)).content.decode()
    assert page.count("/CB</td>") >= 6
