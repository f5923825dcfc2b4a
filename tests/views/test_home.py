import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_login_page_is_vietnamese(client):
    response = client.get(reverse("accounts:login"))
    assert "Đăng nhập" in response.content.decode()


def test_secretary_home_shows_cell_and_work(client, secretary):
    f.MeetingFactory(cell=secretary.cell)
    client.force_login(secretary.user)
    body = client.get(reverse("home")).content.decode()
    assert secretary.cell.name in body
    assert "Việc đang làm" in body
    assert "Tự soi, tự sửa" in body


def test_member_home_shows_tasks(client, member):
    f.ContributionFactory(topic=f.TopicFactory(cell=member.cell), member=member, subject="Liên hệ bản thân")
    client.force_login(member.user)
    body = client.get(reverse("home")).content.decode()
    assert "Nhiệm vụ của tôi" in body
    assert "Liên hệ bản thân" in body
    assert "Việc đang làm" not in body


def test_committee_home_counts_cells(client, staff, cell, other_cell):
    client.force_login(staff)
    body = client.get(reverse("home")).content.decode()
    assert staff.committee.name in body
    assert "Chi bộ trực thuộc" in body


def test_home_does_not_leak_other_cells(client, secretary, other_cell):
    f.MeetingFactory(cell=other_cell, topic=f.TopicFactory(cell=other_cell, title="Bí mật chi bộ khác"))
    client.force_login(secretary.user)
    assert "Bí mật chi bộ khác" not in client.get(reverse("home")).content.decode()


def test_login_and_logout_round_trip(client, secretary):
    response = client.post(reverse("accounts:login"), {"username": secretary.user.username, "password": f.PASSWORD})
    assert response.status_code == 302
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302
