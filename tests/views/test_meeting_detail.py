"""The meeting page: one primary button named after the next step, what is still missing,
changes after the notice confirmed before anything is saved, typed values kept, members sent
to their own page of the meeting."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from meetings.models import Meeting, Notification, NotificationKind
from meetings.services import meetings as svc
from meetings.services.topics import topic_approve_lead_paper, topic_assign_lead_author, topic_submit_lead_paper
from meetings.workflow import Stage
from tests import factories as f
from tests.services.test_meetings import _prepare_until_notice, make_meeting

pytestmark = pytest.mark.django_db
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DAY = datetime.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _early_march():
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=VN), tick=False):
        yield


@pytest.fixture
def noticed(cell, secretary):
    meeting = make_meeting(cell, secretary.user, date=DAY)
    f.MemberFactory(cell=cell)  # a member with an address
    return _prepare_until_notice(meeting, secretary.user, secretary, DAY, start=datetime.time(8))


def _schedule_post(meeting, **changes):
    meeting.refresh_from_db()
    data = {
        "version": meeting.version,
        "scheduled_date": meeting.scheduled_date.isoformat() if meeting.scheduled_date else "",
        "start_time": meeting.start_time.strftime("%H:%M") if meeting.start_time else "",
        "place": meeting.place,
        "chair": meeting.chair_id or "",
        "clerk": meeting.clerk_id or "",
        "combined_order": "",
    }
    data.update(changes)
    return data


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    return match.group(1) if match else ""


def test_scheduled_meeting_shows_one_primary_button_to_send_the_notice(client, cell, secretary):
    meeting = make_meeting(cell, secretary.user, date=DAY)
    topic_assign_lead_author(topic=meeting.topic, actor=secretary.user, author=secretary, due=DAY)
    meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.PREPARING)
    meeting = svc.meeting_schedule(
        meeting=meeting,
        actor=secretary.user,
        version=meeting.version,
        scheduled_date=DAY,
        start_time=datetime.time(8),
        place="Hội trường",
    )
    meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.SCHEDULED)
    client.force_login(secretary.user)
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    # The lead paper is not approved yet: said, with where to do it.
    assert "Đề dẫn chưa được duyệt" in html
    assert reverse("topics:detail", args=[meeting.topic_id]) + "#de-dan" in html
    assert html.count("btn btn-party") >= 1
    assert "Gửi thông báo triệu tập" in html
    assert "Quay lại giai đoạn chuẩn bị" in html
    assert "Quay lại giai đoạn kế hoạch" in html
    topic_submit_lead_paper(topic=meeting.topic, actor=secretary.user, text="Nội dung")
    topic_approve_lead_paper(topic=meeting.topic, actor=secretary.user)
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Đề dẫn chưa được duyệt" not in html
    assert "đã đủ; có thể chuyển bước" in html
    primary = re.findall(r'class="btn btn-party"[^>]*>([^<]+)</button>', html)
    assert primary == ["Gửi thông báo triệu tập"]


def test_move_after_notice_asks_first_and_saves_nothing(client, secretary, noticed):
    client.force_login(secretary.user)
    before = Notification.objects.count()
    data = _schedule_post(noticed, scheduled_date="2026-03-25", start_time="14:00", place="Phòng họp B")
    resp = client.post(reverse("meetings:schedule", args=[noticed.pk]), data)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "Thông báo thay đổi sẽ được gửi tới" in html and "kèm tệp lịch .ics mới" in html
    assert re.search(r"\(\d+ đảng viên\)", html)
    # The typed values travel in the confirmation; nothing is saved yet.
    assert _hidden(html, "scheduled_date") == "2026-03-25"
    assert _hidden(html, "place") == "Phòng họp B"
    assert _hidden(html, "confirm") == "1"
    fresh = Meeting.objects.get(pk=noticed.pk)
    assert (fresh.scheduled_date, fresh.place, fresh.version) == (DAY, "Hội trường", noticed.version)
    assert Notification.objects.count() == before


def test_confirmed_move_is_saved_and_says_how_many_notices_went_to_the_outbox(client, cell, secretary, noticed):
    client.force_login(secretary.user)
    recipients = Notification.objects.filter(meeting=noticed, kind=NotificationKind.NOTICE).count()
    data = _schedule_post(noticed, start_time="14:00", confirm="1")
    resp = client.post(reverse("meetings:schedule", args=[noticed.pk]), data, follow=True)
    html = resp.content.decode()
    assert Meeting.objects.get(pk=noticed.pk).start_time == datetime.time(14)
    moved = Notification.objects.filter(meeting=noticed, kind=NotificationKind.NOTICE, context__change="moved")
    assert moved.count() == recipients
    assert f"Đã đưa {recipients} thông báo thay đổi" in html
    assert reverse("notifications:list", args=[cell.pk]) + "?loc=da-gui" in html


def test_back_to_edit_keeps_what_was_typed(client, secretary, noticed):
    client.force_login(secretary.user)
    data = _schedule_post(noticed, place="Phòng họp B", edit="1")
    html = client.post(reverse("meetings:schedule", args=[noticed.pk]), data).content.decode()
    assert 'value="Phòng họp B"' in html
    assert Meeting.objects.get(pk=noticed.pk).place == "Hội trường"


def test_schedule_error_keeps_every_field_and_opens_on_it(client, cell, secretary):
    meeting = make_meeting(cell, secretary.user, date=DAY)
    meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.PREPARING)
    client.force_login(secretary.user)
    data = _schedule_post(meeting, scheduled_date="2026-03-25", start_time="", place="Nhà văn hóa khu 3")
    data["chair"] = secretary.pk
    html = client.post(reverse("meetings:schedule", args=[meeting.pk]), data).content.decode()
    assert 'id="loi-lich-hop"' in html
    assert html.index('id="loi-lich-hop"') < html.index('name="scheduled_date"')
    assert 'value="2026-03-25"' in html and 'value="Nhà văn hóa khu 3"' in html
    assert re.search(rf'<option value="{secretary.pk}"[^>]*selected', html)
    assert re.search(r'<input[^>]*name="start_time"[^>]*autofocus|<input[^>]*autofocus[^>]*name="start_time"', html)


def test_primary_button_on_the_schedule_form_saves_typed_values_then_moves_on(client, cell, secretary):
    meeting = make_meeting(cell, secretary.user, date=DAY)
    meeting = svc.meeting_transition(meeting=meeting, actor=secretary.user, target=Stage.PREPARING)
    client.force_login(secretary.user)
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert re.search(r'form="schedule-form" name="next" value="scheduled"', html)
    data = _schedule_post(
        meeting, scheduled_date="2026-03-25", start_time="14:00", place="Hội trường", next="scheduled"
    )
    client.post(reverse("meetings:schedule", args=[meeting.pk]), data)
    fresh = Meeting.objects.get(pk=meeting.pk)
    assert (fresh.stage, fresh.scheduled_date, fresh.place) == (
        Stage.SCHEDULED,
        datetime.date(2026, 3, 25),
        "Hội trường",
    )


def test_cancel_always_confirms_with_a_reason(client, secretary, noticed):
    client.force_login(secretary.user)
    url = reverse("meetings:transition", args=[noticed.pk])
    html = client.post(url, {"version": noticed.version, "target": "cancelled"}).content.decode()
    assert "Xác nhận hủy buổi sinh hoạt" in html and "Thông báo hủy sẽ được gửi tới" in html
    assert Meeting.objects.get(pk=noticed.pk).stage == Stage.NOTICED
    html = client.post(url, {"version": noticed.version, "target": "cancelled", "confirm": "1"}).content.decode()
    assert "Vui lòng nêu lý do hủy" in html
    assert Meeting.objects.get(pk=noticed.pk).stage == Stage.NOTICED
    resp = client.post(
        url,
        {"version": noticed.version, "target": "cancelled", "confirm": "1", "reason": "Trùng hội nghị"},
        follow=True,
    )
    assert Meeting.objects.get(pk=noticed.pk).stage == Stage.CANCELLED
    assert "thông báo hủy (kèm tệp lịch .ics hủy sự kiện)" in resp.content.decode()
    assert Notification.objects.filter(meeting=noticed, context__change="cancelled").exists()


def test_cancel_before_the_notice_also_confirms(client, cell, secretary):
    meeting = make_meeting(cell, secretary.user, date=DAY)
    client.force_login(secretary.user)
    url = reverse("meetings:transition", args=[meeting.pk])
    html = client.post(
        url, {"version": meeting.version, "target": "cancelled", "reason": "Đổi kế hoạch"}
    ).content.decode()
    assert "chưa được gửi, nên không ai nhận thông báo hủy" in html
    assert "Đổi kế hoạch" in html
    assert Meeting.objects.get(pk=meeting.pk).stage == Stage.PLANNED


def test_plain_member_goes_to_the_members_page(client, member, noticed):
    client.force_login(member.user)
    resp = client.get(reverse("meetings:detail", args=[noticed.pk]))
    assert resp.status_code == 302
    assert resp.url == reverse("portal:meetings") + f"?buoi={noticed.pk}"


def test_committee_staff_keeps_the_read_only_page(client, staff, noticed):
    client.force_login(staff)
    html = client.get(reverse("meetings:detail", args=[noticed.pk])).content.decode()
    assert "Bước tiếp theo" not in html and 'id="schedule-form"' not in html


def test_other_cells_secretary_gets_404(client, other_secretary, noticed):
    client.force_login(other_secretary.user)
    assert client.get(reverse("meetings:detail", args=[noticed.pk])).status_code == 404
    data = _schedule_post(noticed, start_time="14:00")
    assert client.post(reverse("meetings:schedule", args=[noticed.pk]), data).status_code == 404


def test_detail_page_queries_stay_few(client, secretary, noticed, django_assert_max_num_queries):
    client.force_login(secretary.user)
    url = reverse("meetings:detail", args=[noticed.pk])
    client.get(url)
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200


def test_meeting_list_sends_a_plain_member_to_their_page(client, member, secretary, noticed):
    client.force_login(member.user)
    html = client.get(reverse("meetings:list")).content.decode()
    assert f'href="{reverse("portal:meetings")}?buoi={noticed.pk}"' in html
    client.force_login(secretary.user)
    html = client.get(reverse("meetings:list")).content.decode()
    assert f'href="{reverse("meetings:detail", args=[noticed.pk])}"' in html


def test_topic_page_says_what_follows_an_approved_lead_paper(client, cell, secretary):
    meeting = make_meeting(cell, secretary.user, date=DAY)
    topic_assign_lead_author(topic=meeting.topic, actor=secretary.user, author=secretary, due=DAY)
    topic_submit_lead_paper(topic=meeting.topic, actor=secretary.user, text="Nội dung")
    client.force_login(secretary.user)
    url = reverse("topics:detail", args=[meeting.topic_id])
    assert "Đề dẫn đã được duyệt. Bước tiếp theo" not in client.get(url).content.decode()
    topic_approve_lead_paper(topic=meeting.topic, actor=secretary.user)
    html = client.get(url).content.decode()
    assert "Đề dẫn đã được duyệt. Bước tiếp theo" in html
    assert reverse("meetings:detail", args=[meeting.pk]) + "#buoc-tiep-theo" in html


def test_plan_page_names_each_meetings_next_step(client, cell, secretary, member):
    meeting = make_meeting(cell, secretary.user, date=DAY)
    client.force_login(secretary.user)
    html = client.get(reverse("plans:detail", args=[meeting.plan_id])).content.decode()
    assert f'href="{reverse("meetings:detail", args=[meeting.pk])}#buoc-tiep-theo">Bước tiếp: bắt đầu chuẩn bị' in html
    client.force_login(member.user)
    html = client.get(reverse("plans:detail", args=[meeting.plan_id])).content.decode()
    assert "Bước tiếp:" not in html


def test_moving_back_off_the_calendar_after_the_notice_confirms_the_postponement(client, secretary, noticed):
    client.force_login(secretary.user)
    url = reverse("meetings:transition", args=[noticed.pk])
    html = client.post(url, {"version": noticed.version, "target": "preparing"}).content.decode()
    assert "Thông báo tạm hoãn sẽ được gửi tới" in html
    assert Meeting.objects.get(pk=noticed.pk).stage == Stage.NOTICED
    assert not Notification.objects.filter(meeting=noticed, context__change="postponed").exists()
    resp = client.post(url, {"version": noticed.version, "target": "preparing", "confirm": "1"}, follow=True)
    assert Meeting.objects.get(pk=noticed.pk).stage == Stage.PREPARING
    assert "thông báo tạm hoãn" in resp.content.decode()
    assert Notification.objects.filter(meeting=noticed, context__change="postponed").exists()


def test_moving_back_to_scheduled_keeps_the_calendar_and_asks_nothing(client, secretary, noticed):
    client.force_login(secretary.user)
    url = reverse("meetings:transition", args=[noticed.pk])
    client.post(url, {"version": noticed.version, "target": "scheduled"})
    assert Meeting.objects.get(pk=noticed.pk).stage == Stage.SCHEDULED
