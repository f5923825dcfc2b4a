import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Notification, Report, ReportStatus
from tests import factories as f
from tests.dashboard_tree import WARNING, build_tree, finalized_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_tree()


def test_staff_returns_report_with_comment_and_cell_sees_it(client, tree):
    report = Report.objects.get()  # a1's report, filed with committee A
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    assert report.minutes.meeting.title in client.get(reverse("reports:inbox")).content.decode()
    response = client.post(reverse("reports:review", args=[report.pk]), {"action": "return", "comment": ""})
    assert response.status_code == 400
    client.post(reverse("reports:review", args=[report.pk]), {"action": "return", "comment": "Bổ sung danh sách vắng"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    secretary = f.SecretaryFactory(cell=tree["a1"])
    client.force_login(secretary.user)
    assert "Bổ sung danh sách vắng" in client.get(reverse("reports:cell_list")).content.decode()


def test_staff_accepts(client, tree):
    report = Report.objects.get()
    client.force_login(f.StaffUserFactory(committee=tree["a"]))
    client.post(reverse("reports:review", args=[report.pk]), {"action": "accept"})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert Notification.objects.count() >= 0  # hook called; delivery belongs to notifications


def test_other_committee_gets_404_and_member_403(client, tree):
    report = Report.objects.get()
    client.force_login(f.StaffUserFactory(committee=tree["b"]))
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    member = f.MemberWithUserFactory(cell=tree["a1"])
    client.force_login(member.user)
    assert client.get(reverse("reports:inbox")).status_code == 403
    assert client.get(reverse("reports:cell_list")).status_code == 403


def _delivery(report, email, status, sent_at=None):
    return Notification.objects.create(
        key=f"report:r{report.pk}:{email}",
        kind="report",
        recipient_email=email,
        cell=report.minutes.cell,
        meeting=report.minutes.meeting,
        due_at=datetime.datetime(2025, 5, 10, 7, tzinfo=datetime.UTC),
        status=status,
        sent_at=sent_at,
        context={"report_id": report.pk, "minutes_id": report.minutes_id},
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_report_delivery_is_shown_to_committee_and_cell_in_constant_queries(client, tree):
    report = Report.objects.get()  # a1's report, filed with committee A
    # 07:30 UTC is 14:30 in Hà Nội time.
    _delivery(report, "vanphong@example.vn", "sent", datetime.datetime(2025, 5, 10, 7, 30, tzinfo=datetime.UTC))
    staff = f.StaffUserFactory(committee=tree["a"])
    secretary = f.SecretaryFactory(cell=tree["a1"])
    pages = [
        (staff, reverse("reports:inbox")),
        (staff, reverse("reports:detail", args=[report.pk])),
        (secretary.user, reverse("reports:cell_list")),
    ]
    before = {}
    for user, url in pages:
        client.force_login(user)
        before[url], html = _queries(client, url)
        assert "Đã gửi thư báo cáo lúc 10/05/2025 14:30" in html
        assert "Gửi lỗi" not in html

    # A second report, one of whose e-mails failed: same number of queries on every page.
    meeting = finalized_meeting(tree["a1"], number=2, report=True)
    second = Report.objects.get(minutes__meeting=meeting)
    _delivery(second, "vanphong@example.vn", "failed")
    _delivery(report, "capuy@example.vn", "failed")
    for user, url in pages:
        client.force_login(user)
        count, html = _queries(client, url)
        assert count == before[url], url
        assert "Gửi lỗi" in html and "Đã gửi thư báo cáo lúc 10/05/2025 14:30 (1/2 địa chỉ)" in html


def test_report_page_shows_the_warnings_stored_with_the_minutes(client, tree):
    finalized_meeting(tree["a3"], number=2, report=True, warnings=[WARNING, "Thiếu ý kiến thảo luận."])
    report = Report.objects.get(minutes__cell=tree["a3"])
    client.force_login(f.StaffUserFactory(committee=tree["a"]))
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Cảnh báo lưu cùng biên bản" in html
    assert WARNING in html and "Thiếu ý kiến thảo luận." in html


def test_report_page_without_warnings_has_no_warning_block(client, tree):
    report = Report.objects.get(minutes__cell=tree["a1"])
    client.force_login(f.StaffUserFactory(committee=tree["a"]))
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Cảnh báo lưu cùng biên bản" not in html


@pytest.mark.parametrize(("length", "accepted"), [(5_000, True), (5_001, False), (500_000, False)])
def test_return_comment_is_bounded_and_an_over_long_one_comes_back_as_typed(client, tree, length, accepted):
    report = Report.objects.get()
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'maxlength="5000"' in page and "Tối đa 5.000 ký tự." in page
    comment = "Bổ sung danh sách vắng. " + "x" * (length - 24)
    response = client.post(reverse("reports:review", args=[report.pk]), {"action": "return", "comment": comment})
    report.refresh_from_db()
    if accepted:
        assert response.status_code == 302 and report.status == ReportStatus.RETURNED
    else:
        assert response.status_code == 400 and report.status == ReportStatus.RECEIVED
        body = response.content.decode()
        assert "tối đa 5.000 ký tự" in body and comment in body


def test_the_database_refuses_an_over_long_report_comment(tree):
    from django.db import IntegrityError, transaction

    report = Report.objects.get()
    Report.objects.filter(pk=report.pk).update(comment="x" * 5_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(comment="x" * 5_001)
