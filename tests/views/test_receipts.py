"""Materials receipts on the pages (issue 17, item 4): the member's page and the lead paper
record a first opening, only for the member themself; the run, finalise and report pages,
and the minutes, show "đọc tài liệu trước ≥ 1 ngày"."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import MaterialsReceipt, Minutes, Notification, NotificationStatus, ReceiptVia, Report
from meetings.services import meetings as svc
from meetings.services.minutes import minutes_pdf_bytes
from meetings.workflow import Stage
from tests import factories as f
from tests.services.test_meetings import (  # noqa: F401 - autouse: a held meeting in this quarter
    _prepare_until_notice,
    _yesterday_in_this_quarter,
    make_meeting,
    run_all,
)

pytestmark = pytest.mark.django_db


def _moment(meeting, before: datetime.timedelta):
    return time_machine.travel(meeting.starts_at - before, tick=False)


@pytest.fixture
def date():
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def noticed(cell, secretary, member, date):
    """Noticed 5 days before through the services; the outbox delivered every notice but one."""
    meeting = make_meeting(cell, secretary.user, members=2, date=date)
    moment = timezone.make_aware(datetime.datetime.combine(date - datetime.timedelta(days=5), datetime.time(9)))
    with time_machine.travel(moment, tick=False):
        meeting = _prepare_until_notice(meeting, secretary.user, secretary, date, start=datetime.time(8, 0))
    notices = Notification.objects.filter(meeting=meeting, kind="notice")
    notices.update(status=NotificationStatus.SENT, sent_at=moment)
    return meeting


def _failed_member(meeting, member):
    """The delivery to someone other than `member` and the secretary failed."""
    row = (
        Notification.objects.filter(meeting=meeting, kind="notice", context__member_id__isnull=False)
        .exclude(context__member_id=member.pk)
        .exclude(recipient_name=meeting.cell.members.get(position="secretary").full_name)
        .first()
    )
    Notification.objects.filter(pk=row.pk).update(status=NotificationStatus.FAILED, sent_at=None)
    return row.recipient_name


def _member_page(client, meeting, **params):
    return client.get(reverse("portal:meetings"), {"buoi": meeting.pk, **params})


def test_member_page_records_the_first_opening_once(client, member, noticed):
    client.force_login(member.user)
    with _moment(noticed, datetime.timedelta(days=3)):
        assert _member_page(client, noticed).status_code == 200
    with _moment(noticed, datetime.timedelta(hours=2)):
        client.force_login(member.user)  # the session of three days ago has expired
        assert _member_page(client, noticed, tu="thu").status_code == 200
    receipt = MaterialsReceipt.objects.get(meeting=noticed, member=member)
    assert receipt.first_opened_at == noticed.starts_at - datetime.timedelta(days=3)
    assert receipt.via == ReceiptVia.PORTAL
    assert MaterialsReceipt.objects.count() == 1  # nobody else's receipt


def test_the_email_marker_records_the_opening_as_from_the_email(client, member, noticed):
    client.force_login(member.user)
    _member_page(client, noticed, tu="thu")
    assert MaterialsReceipt.objects.get(meeting=noticed, member=member).via == ReceiptVia.EMAIL


def test_lead_paper_pdf_records_the_opening_for_the_member_only(client, member, noticed, staff):
    url = reverse("topics:pdf", args=[noticed.topic_id]) + "?ban=de-dan"
    client.force_login(staff)  # committee staff above the cell: a reader, not a receipt
    client.get(url)
    assert not MaterialsReceipt.objects.exists()
    client.force_login(member.user)
    assert client.get(url).status_code == 200
    assert MaterialsReceipt.objects.get(meeting=noticed, member=member).via == ReceiptVia.PDF


def test_member_of_another_cell_gets_404_and_no_receipt(client, noticed, other_cell):
    stranger = f.MemberWithUserFactory(cell=other_cell)
    client.force_login(stranger.user)
    assert _member_page(client, noticed, tu="thu").status_code == 404
    assert client.get(reverse("topics:pdf", args=[noticed.topic_id]) + "?ban=de-dan").status_code == 404
    assert not MaterialsReceipt.objects.exists()


def test_a_second_visit_writes_nothing(client, member, noticed, django_assert_max_num_queries):
    client.force_login(member.user)
    _member_page(client, noticed)
    with django_assert_max_num_queries(5):  # as before receipts: no insert on later visits
        assert _member_page(client, noticed).status_code == 200


def test_run_and_finalise_pages_show_the_figure_and_who_never_received(client, secretary, member, noticed):
    missing = _failed_member(noticed, member)
    client.force_login(member.user)
    with _moment(noticed, datetime.timedelta(days=2)):
        _member_page(client, noticed, tu="thu")
    meeting = svc.meeting_transition(meeting=noticed, actor=secretary.user, target=Stage.IN_PROGRESS)
    client.force_login(secretary.user)
    html = client.get(reverse("meetings:run", args=[meeting.pk])).content.decode()
    box = html.split('id="run-materials"', 1)[1].split("</div></div>", 1)[0]
    assert "Đọc tài liệu trước ≥ 1 ngày: 1/4" in box
    assert f"Chưa nhận được tài liệu: {missing} (gửi không thành công)" in box
    meeting = run_all(meeting, secretary.user)
    html = client.get(reverse("meetings:finalize", args=[meeting.pk])).content.decode()
    assert "Tài liệu: đọc tài liệu trước ≥ 1 ngày: 1/4; thư gửi tới 3/4, mở đọc 1/4" in html
    assert f"1 đảng viên không nhận được thông báo và tài liệu: {missing} (gửi không thành công)." in html
    rows = html.split('id="materials-rows"', 1)[1].split("</details>", 1)[0]
    assert member.full_name in rows and "chưa mở" in rows and "gửi không thành công" in rows


def test_minutes_and_report_page_carry_the_frozen_figure(client, secretary, member, noticed, committee):
    missing = _failed_member(noticed, member)
    client.force_login(member.user)
    with _moment(noticed, datetime.timedelta(days=2)):
        _member_page(client, noticed)
    meeting = svc.meeting_transition(meeting=noticed, actor=secretary.user, target=Stage.IN_PROGRESS)
    meeting = run_all(meeting, secretary.user)
    minutes = svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    assert minutes.snapshot["materials"]["early"] == 1
    assert any(missing in w and "không nhận được" in w for w in minutes.warnings)
    # A later first opening changes the live receipts, never the sealed minutes.
    other = meeting.cell.members.get(full_name=missing)
    MaterialsReceipt.objects.create(meeting=meeting, member=other, first_opened_at=timezone.now(), via="portal")
    frozen = Minutes.objects.get(pk=minutes.pk).snapshot["materials"]
    assert frozen["opened"] == 1 and frozen["not_received"] == [missing]

    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(minutes_pdf_bytes(minutes))).pages
    )
    assert "1/4 đồng chí đọc tài liệu trước buổi sinh hoạt ít nhất 1 ngày" in text
    assert "gửi qua hệ thống đến 3/4 đồng chí phải dự" in text

    report = Report.objects.get(minutes=minutes)
    client.force_login(f.StaffUserFactory(committee=committee))
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    fact = html.split('data-fact="materials"', 1)[1].split("</dd>", 1)[0]
    assert "Đọc trước ≥ 1 ngày: <strong>1/4</strong>; thư gửi tới 3/4" in fact
    assert f"Chưa nhận được: {missing}" in fact


@pytest.mark.parametrize("n", [3, 15])
def test_finalise_page_queries_do_not_grow_with_members(
    client, cell, secretary, date, n, django_assert_max_num_queries
):
    meeting = make_meeting(cell, secretary.user, members=n, date=date)
    moment = timezone.make_aware(datetime.datetime.combine(date - datetime.timedelta(days=5), datetime.time(9)))
    with time_machine.travel(moment, tick=False):
        meeting = _prepare_until_notice(meeting, secretary.user, secretary, date, start=datetime.time(8, 0))
    for i, row in enumerate(Notification.objects.filter(meeting=meeting, kind="notice")):
        Notification.objects.filter(pk=row.pk).update(
            status=NotificationStatus.SENT if i % 2 else NotificationStatus.FAILED, sent_at=moment
        )
        MaterialsReceipt.objects.create(
            meeting=meeting, member_id=row.context["member_id"], first_opened_at=moment, via="email"
        )
    meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.IN_PROGRESS)
    meeting = run_all(meeting, secretary.user)
    client.force_login(secretary.user)
    url = reverse("meetings:finalize", args=[meeting.pk])
    client.get(url)
    with django_assert_max_num_queries(26):
        assert client.get(url).status_code == 200
