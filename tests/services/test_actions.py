"""Action items of a conclusion (issue 17, item 1): written in step 9, frozen in the minutes,
progress by their owners, reminders through the outbox (services/actions.py)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import ActionItem, ActionOwnerKind, ActionStatus, Notification, NotificationKind
from meetings.services import actions as svc
from meetings.services import meetings as meeting_svc
from meetings.services.notifications.action_reminders import notifications_for_action_items_due
from meetings.services.notifications.rendering import MessageBuilder
from meetings.workflow import Stage
from tests.services.test_meetings import _yesterday_in_this_quarter, make_meeting, prepare, run_all  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def date():
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def running(cell, secretary, date):
    return prepare(make_meeting(cell, secretary.user, date=date), secretary.user, secretary, date)


def add(meeting, user, **changes):
    data = {
        "text": "Rà soát quy chế làm việc",
        "owner_kind": ActionOwnerKind.COMMITTEE,
        "owner_member": None,
        "due_on": timezone.localdate() + datetime.timedelta(days=10),
        **changes,
    }
    return svc.action_item_add(meeting=meeting, actor=user, **data)


def test_items_are_numbered_in_order_and_renumbered_after_a_removal(running, secretary, member):
    first = add(running, secretary.user)
    second = add(running, secretary.user, text="Báo cáo kết quả", owner_kind="member", owner_member=member)
    third = add(running, secretary.user, owner_kind=ActionOwnerKind.CELL)
    assert [first.number, second.number, third.number] == [1, 2, 3]
    svc.action_item_delete(item=first, actor=secretary.user)
    assert list(ActionItem.objects.filter(meeting=running).values_list("pk", "number")) == [
        (second.pk, 1),
        (third.pk, 2),
    ]
    assert second.cell_id == running.cell_id


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"text": "  "}, "text", "Vui lòng ghi nội dung công việc."),
        ({"text": "x" * 1001}, "text", "tối đa 1.000 ký tự"),
        ({"owner_kind": "member"}, "owner_member", "Vui lòng chọn đảng viên thực hiện."),
        ({"due_on": None}, "due_on", "Vui lòng chọn hạn hoàn thành."),
        ({"owner_kind": "boss"}, "owner_kind", "Vui lòng chọn người thực hiện."),
    ],
)
def test_invalid_items_are_refused_in_vietnamese(running, secretary, changes, field, message):
    with pytest.raises(ValidationError) as exc:
        add(running, secretary.user, **changes)
    assert message in " ".join(exc.value.message_dict[field])
    assert not ActionItem.objects.exists()


def test_due_date_before_the_meeting_day_is_refused(running, secretary, date):
    with pytest.raises(ValidationError) as exc:
        add(running, secretary.user, due_on=date - datetime.timedelta(days=1))
    assert f"không được trước ngày họp ({date:%d/%m/%Y})" in exc.value.message_dict["due_on"][0]


def test_owner_must_be_a_member_of_the_cell(running, secretary, other_secretary):
    with pytest.raises(ValidationError) as exc:
        add(running, secretary.user, owner_kind="member", owner_member=other_secretary)
    assert "không thuộc chi bộ này" in exc.value.message_dict["owner_member"][0]


def test_update_changes_what_who_and_when(running, secretary, member):
    item = add(running, secretary.user)
    due = timezone.localdate() + datetime.timedelta(days=20)
    svc.action_item_update(
        item=item, actor=secretary.user, text="Sửa lại", owner_kind="member", owner_member=member, due_on=due
    )
    item.refresh_from_db()
    assert (item.text, item.owner_member, item.due_on, item.owner_kind) == ("Sửa lại", member, due, "member")


def test_items_cannot_change_once_finalised_but_progress_can(running, secretary, member):
    item = add(running, secretary.user, owner_kind="member", owner_member=member)
    meeting = run_all(running, secretary.user)
    meeting_svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    with pytest.raises(ValidationError):
        add(meeting, secretary.user)
    with pytest.raises(ValidationError):
        svc.action_item_delete(item=item, actor=secretary.user)
    svc.action_item_progress(item=item, actor=member.user, status=ActionStatus.IN_PROGRESS, note="Đã họp tổ")
    item.refresh_from_db()
    assert item.status == ActionStatus.IN_PROGRESS and item.progress_note == "Đã họp tổ" and item.progress_at


def test_progress_refuses_review_statuses_and_a_long_note(running, secretary):
    item = add(running, secretary.user)
    with pytest.raises(ValidationError) as exc:
        svc.action_item_progress(item=item, actor=secretary.user, status=ActionStatus.DROPPED)
    assert "tình trạng" in exc.value.message_dict["status"][0]
    with pytest.raises(ValidationError) as exc:
        svc.action_item_progress(item=item, actor=secretary.user, status="done", note="x" * 1001)
    assert "note" in exc.value.message_dict


def _finalize_with_items(running, secretary, member):
    add(running, secretary.user, text="Xây dựng kế hoạch học tập", owner_kind="member", owner_member=member)
    add(running, secretary.user, text="Kiểm tra việc thực hiện", owner_kind=ActionOwnerKind.COMMITTEE)
    meeting = run_all(running, secretary.user)
    return meeting_svc.meeting_finalize(meeting=meeting, actor=secretary.user)


def test_minutes_freeze_and_print_the_numbered_list(running, secretary, member):
    minutes = _finalize_with_items(running, secretary, member)
    due = (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    rows = minutes.snapshot["action_items"]
    assert [(r["number"], r["text"], r["due_label"]) for r in rows] == [
        (1, "Xây dựng kế hoạch học tập", due),
        (2, "Kiểm tra việc thực hiện", due),
    ]
    assert rows[0]["owner"] == f"Đồng chí {member.full_name}" and rows[1]["owner"] == "Chi ủy"
    minutes.pdf.open("rb")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(minutes.pdf.read())).pages)
    minutes.pdf.close()
    assert "Phân công thực hiện kết luận" in text
    assert f"Xây dựng kế hoạch học tập — Đồng chí {member.full_name} — hạn {due}" in text
    assert f"Kiểm tra việc thực hiện — Chi ủy — hạn {due}" in text
    # Later progress leaves the minutes as they were.
    ActionItem.objects.filter(meeting=minutes.meeting).update(text="Đổi sau", status="done")
    minutes.refresh_from_db()
    assert minutes.snapshot["action_items"][0]["text"] == "Xây dựng kế hoạch học tập"


def test_reminders_are_written_with_the_minutes_once(running, secretary, member, settings):
    member.email = "dv@example.org"
    member.save()
    secretary.email = "bt@example.org"
    secretary.save()
    minutes = _finalize_with_items(running, secretary, member)
    rows = Notification.objects.filter(kind=NotificationKind.ACTION_REMINDER).order_by("recipient_email")
    assert [r.recipient_email for r in rows] == ["bt@example.org", "dv@example.org"]
    due = timezone.localdate() + datetime.timedelta(days=10)
    assert all(timezone.localdate(r.due_at) == due - datetime.timedelta(days=3) for r in rows)
    # The daily job, run when they are due, adds nothing: the keys make a second row impossible.
    later = timezone.now() + datetime.timedelta(days=8)
    assert notifications_for_action_items_due(now=later) == 0
    assert rows.count() == 2
    assert minutes.meeting.stage == Stage.FINALIZED


def test_daily_job_picks_items_due_in_the_coming_days(running, secretary, member):
    member.email = "dv@example.org"
    member.save()
    add(
        running,
        secretary.user,
        owner_kind="member",
        owner_member=member,
        due_on=timezone.localdate() + datetime.timedelta(days=40),
    )
    meeting = run_all(running, secretary.user)
    meeting_svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    Notification.objects.filter(kind=NotificationKind.ACTION_REMINDER).delete()
    assert notifications_for_action_items_due() == 0  # not due within 3 days yet
    assert notifications_for_action_items_due(now=timezone.now() + datetime.timedelta(days=38)) == 1
    assert notifications_for_action_items_due(now=timezone.now() + datetime.timedelta(days=38)) == 0


def test_reminder_renders_with_the_link_to_the_progress_page(running, secretary, member, settings):
    settings.SITE_URL = "https://chibo.example.vn"
    member.email = "dv@example.org"
    member.save()
    _finalize_with_items(running, secretary, member)
    n = Notification.objects.get(kind=NotificationKind.ACTION_REMINDER, recipient_email="dv@example.org")
    item = ActionItem.objects.get(pk=n.context["item_id"])
    message = MessageBuilder().build(n)
    url = f"https://chibo.example.vn/viec-thuc-hien/{item.pk}/"
    assert "Nhắc hạn thực hiện kết luận" in message.subject
    assert url in message.body and "Xây dựng kế hoạch học tập" in message.body
    assert url in message.alternatives[0][0]
    assert "Kính gửi đồng chí" in message.body
