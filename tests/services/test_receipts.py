"""Materials receipts (issue 17, item 4): written once, the ≥1-day figure, and the warning
for members the materials never reached."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from meetings.models import MaterialsReceipt, Notification, NotificationKind, NotificationStatus, ReceiptVia
from meetings.rules.meetings import meeting_warnings
from meetings.selectors.receipts import materials_summary
from meetings.services.notifications.rendering import MessageBuilder
from meetings.services.receipts import materials_receipt_record
from meetings.workflow import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime.datetime(2026, 12, 10, 8, 0))


def _meeting(cell, *, stage=Stage.NOTICED, noticed=True):
    return f.MeetingFactory(
        cell=cell,
        stage=stage,
        scheduled_date=START.date(),
        start_time=START.time(),
        starts_at=START,
        place="Hội trường",
        notice_sent_at=START - datetime.timedelta(days=5) if noticed else None,
    )


def _notice(meeting, member, *, status=NotificationStatus.SENT, sent_at=None, suffix="v1", change=""):
    return Notification.objects.create(
        key=f"notice:{meeting.pk}:{member.pk}:{suffix}",
        kind=NotificationKind.NOTICE,
        recipient_email=member.email,
        recipient_name=member.full_name,
        cell_id=meeting.cell_id,
        meeting=meeting,
        context={"member_id": member.pk, "change": change, "version": 1},
        due_at=START - datetime.timedelta(days=5),
        status=status,
        sent_at=sent_at or (START - datetime.timedelta(days=5) if status == NotificationStatus.SENT else None),
    )


def _open(meeting, member, before: datetime.timedelta, via=ReceiptVia.PORTAL):
    materials_receipt_record(meeting=meeting, member_id=member.pk, via=via, at=START - before)


def test_receipt_is_written_once_and_a_second_visit_changes_nothing(cell, member):
    meeting = _meeting(cell)
    _open(meeting, member, datetime.timedelta(days=3), via=ReceiptVia.EMAIL)
    _open(meeting, member, datetime.timedelta(hours=1), via=ReceiptVia.PDF)
    receipt = MaterialsReceipt.objects.get(meeting=meeting, member=member)
    assert receipt.first_opened_at == START - datetime.timedelta(days=3)
    assert receipt.via == ReceiptVia.EMAIL


def test_no_receipt_before_the_notice_or_for_a_cancelled_meeting(cell, member):
    not_yet = _meeting(cell, stage=Stage.SCHEDULED, noticed=False)
    cancelled = _meeting(cell, stage=Stage.CANCELLED)
    for meeting in (not_yet, cancelled):
        materials_receipt_record(meeting=meeting, member_id=member.pk, via=ReceiptVia.PORTAL)
    assert not MaterialsReceipt.objects.exists()


def test_a_first_opening_after_finalisation_is_still_recorded(cell, member):
    """Receipts are not guarded by the finalised-meeting trigger."""
    meeting = _meeting(cell, stage=Stage.HELD)
    meeting.stage = Stage.FINALIZED
    meeting.save(update_fields=["stage"])
    materials_receipt_record(meeting=meeting, member_id=member.pk, via=ReceiptVia.PORTAL)
    assert MaterialsReceipt.objects.filter(meeting=meeting, member=member).exists()


def test_the_one_day_figure_counts_only_members_who_opened_a_day_before(cell, secretary, member):
    late = f.MemberFactory(cell=cell, full_name="Lê Văn Muộn")
    never = f.MemberFactory(cell=cell, full_name="Phạm Văn Chưa Đọc")
    f.MemberFactory(cell=cell, full_name="Võ Văn Chuyển Đi", status="moved_out")  # not expected
    meeting = _meeting(cell)
    for m in (secretary, member, late, never):
        _notice(meeting, m)
    _open(meeting, secretary, datetime.timedelta(days=1))  # exactly 24 h before: counts
    _open(meeting, member, datetime.timedelta(days=4))
    _open(meeting, late, datetime.timedelta(hours=23))  # too late
    summary = materials_summary(meeting=meeting)
    assert (summary.early, summary.opened, summary.expected, summary.received) == (2, 3, 4, 4)
    assert summary.label == "đọc tài liệu trước ≥ 1 ngày: 2/4"
    rows = {r.name: r for r in summary.rows}
    assert rows["Lê Văn Muộn"].first_opened_at and not rows["Lê Văn Muộn"].early
    assert rows["Phạm Văn Chưa Đọc"].first_opened_at is None
    assert summary.warning == ""  # everyone received the materials


def test_failed_or_missing_delivery_is_a_warning_that_names_the_members(cell, secretary, member):
    failed = f.MemberFactory(cell=cell, full_name="Đỗ Văn Thư Lỗi")
    unsent = f.MemberFactory(cell=cell, full_name="Bùi Văn Không Thư", email="")
    meeting = _meeting(cell)
    _notice(meeting, secretary)
    _notice(meeting, member, status=NotificationStatus.CANCELLED, suffix="v1")
    _notice(meeting, member, suffix="v2")  # the moved meeting's notice reached them
    _notice(meeting, failed, status=NotificationStatus.FAILED)
    # A notice chibo itself cancelled (obsolete at send time) is not a failed delivery.
    withheld = f.MemberFactory(cell=cell, full_name="Lê Văn Thư Hủy")
    _notice(meeting, withheld, status=NotificationStatus.CANCELLED)
    warnings = meeting_warnings(meeting)
    (warning,) = [w for w in warnings if "không nhận được thông báo và tài liệu" in w]
    assert warning.startswith("3 đảng viên")
    assert "Đỗ Văn Thư Lỗi (gửi không thành công)" in warning
    assert "Lê Văn Thư Hủy (thư bị hủy, không gửi)" in warning
    assert "Bùi Văn Không Thư (chưa gửi)" in warning
    assert member.full_name not in warning and secretary.full_name not in warning
    rows = {r.member_id: r for r in materials_summary(meeting=meeting).rows}
    assert rows[failed.pk].failed and not rows[unsent.pk].failed
    assert rows[member.pk].received


def test_a_member_who_read_the_materials_despite_a_failed_email_is_not_warned_about(cell, member):
    meeting = _meeting(cell)
    _notice(meeting, member, status=NotificationStatus.FAILED)
    _open(meeting, member, datetime.timedelta(days=2))
    summary = materials_summary(meeting=meeting)
    assert summary.received == 0 and summary.early == 1
    assert summary.warning == ""


def test_a_withdrawal_notice_is_not_the_materials(cell, member):
    meeting = _meeting(cell)
    _notice(meeting, member, suffix="cancelled", change="cancelled")
    (row,) = materials_summary(meeting=meeting).rows
    assert not row.received


def test_no_materials_warning_before_any_notice(cell, member):
    meeting = _meeting(cell, stage=Stage.HELD, noticed=False)
    assert not [w for w in meeting_warnings(meeting) if "tài liệu" in w]


@pytest.mark.parametrize("n", [3, 30])
def test_summary_queries_are_constant_in_the_number_of_members(cell, n, django_assert_num_queries):
    members = [f.MemberFactory(cell=cell) for _ in range(n)]
    meeting = _meeting(cell)
    for i, m in enumerate(members):
        _notice(meeting, m, status=NotificationStatus.SENT if i % 3 else NotificationStatus.FAILED)
        if i % 2:
            _open(meeting, m, datetime.timedelta(days=2))
    with django_assert_num_queries(3):  # members, notices, receipts
        summary = materials_summary(meeting=meeting)
    assert summary.expected == n
    with django_assert_num_queries(2):  # the members already loaded
        materials_summary(meeting=meeting, members=members)


def test_snapshot_freezes_the_figure(cell, member):
    meeting = _meeting(cell)
    _notice(meeting, member)
    _open(meeting, member, datetime.timedelta(days=2))
    assert materials_summary(meeting=meeting).as_snapshot() == {
        "sent": True,
        "expected": 1,
        "early": 1,
        "opened": 1,
        "received": 1,
        "min_days": 1,
        "not_received": [],
    }


def test_the_notice_attachment_carries_the_alarms(cell, member):
    meeting = _meeting(cell)
    msg = MessageBuilder().build(_notice(meeting, member, status=NotificationStatus.PENDING))
    (ics,) = [content for name, content, _ in msg.attachments if name.endswith(".ics")]
    event = next(iter(Calendar.from_ical(ics).walk("VEVENT")))
    triggers = [a.decoded("trigger") for a in event.walk("VALARM")]
    assert triggers == [-datetime.timedelta(days=1), -datetime.timedelta(hours=1)]
