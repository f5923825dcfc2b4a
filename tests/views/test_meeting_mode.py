"""Meeting mode on the pages (issue 17, item 6): chosen on the meeting page's schedule form,
shown there with the online room; at a hybrid meeting's roll call each present member's mode
is chosen in the row (one request per row, as the rest of the roll call)."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, AttendanceMode, AttendanceStatus, Meeting, MeetingMode
from meetings.rules.attendance import expected_members
from tests.services.test_meetings import make_meeting, prepare
from tests.views.test_meeting_detail import _schedule_post

pytestmark = pytest.mark.django_db
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DAY = datetime.date(2026, 3, 20)
ROOM = "https://hop.example.vn/chi-bo-3"


@pytest.fixture
def planned(cell, secretary):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=VN), tick=False):
        yield make_meeting(cell, secretary.user, date=DAY)


def _post_schedule(client, meeting, **changes):
    data = _schedule_post(meeting, scheduled_date=DAY.isoformat(), start_time="08:00", place="Hội trường")
    data.update(changes)
    return client.post(reverse("meetings:schedule", args=[meeting.pk]), data)


def test_schedule_form_saves_a_hybrid_meeting_and_the_page_shows_it(client, planned, secretary):
    client.force_login(secretary.user)
    html = client.get(reverse("meetings:detail", args=[planned.pk])).content.decode()
    assert 'name="mode"' in html and "Nội dung không thuộc bí mật nhà nước" in html
    # meeting_schedule.js hides these wrappers for an in-person meeting.
    assert all(f'id="div_id_{name}"' in html for name in ("online_room", "online_reason", "online_not_secret"))
    resp = _post_schedule(
        client, planned, mode="hybrid", online_room=ROOM, online_reason="Địa bàn xa", online_not_secret="on"
    )
    assert resp.status_code == 302
    meeting = Meeting.objects.get(pk=planned.pk)
    assert (meeting.mode, meeting.online_room, meeting.online_not_secret) == ("hybrid", ROOM, True)
    html = client.get(reverse("meetings:detail", args=[planned.pk])).content.decode()
    assert "Hình thức: kết hợp trực tiếp và trực tuyến" in html
    assert f'<a href="{ROOM}" rel="noopener noreferrer"' in html
    assert "bí mật nhà nước (HD 03-HD/TW" not in html  # its conditions hold: no warning


def test_online_without_its_conditions_is_saved_with_warnings_on_the_page(client, planned, secretary):
    client.force_login(secretary.user)
    assert _post_schedule(client, planned, mode="online").status_code == 302
    html = client.get(reverse("meetings:detail", args=[planned.pk])).content.decode()
    assert "Hình thức: trực tuyến" in html
    assert "chưa được xác nhận nội dung không thuộc bí mật nhà nước" in html
    assert "chưa nêu lý do chi bộ không thể sinh hoạt tập trung" in html


def test_a_bad_link_is_refused_next_to_its_field_and_nothing_is_saved(client, planned, secretary):
    client.force_login(secretary.user)
    resp = _post_schedule(client, planned, mode="online", online_room="https://không hợp lệ")
    html = resp.content.decode()
    assert resp.status_code == 200 and "Đường dẫn phòng họp trực tuyến không hợp lệ" in html
    assert 'value="https://không hợp lệ"' in html  # what was typed is kept
    assert Meeting.objects.get(pk=planned.pk).scheduled_date is None


def test_an_unknown_mode_is_refused_in_vietnamese(client, planned, secretary):
    client.force_login(secretary.user)
    html = _post_schedule(client, planned, mode="video").content.decode()
    assert "Hình thức sinh hoạt không hợp lệ." in html


def test_another_cells_secretary_gets_404(client, planned, other_secretary):
    client.force_login(other_secretary.user)
    assert _post_schedule(client, planned, mode="online").status_code == 404


# --- the roll call of a hybrid meeting ------------------------------------------------------


@pytest.fixture
def running(cell, secretary):
    date = timezone.localdate() - datetime.timedelta(days=1)
    return prepare(make_meeting(cell, secretary.user, date=date), secretary.user, secretary, date)


def _hybrid(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(mode=MeetingMode.HYBRID, online_room=ROOM, online_not_secret=True)
    meeting.refresh_from_db()
    return meeting


def _action(meeting):
    return reverse("meetings:run_action", args=[meeting.pk])


def _run(meeting):
    return reverse("meetings:run", args=[meeting.pk]) + "?buoc=attendance"


def test_hybrid_row_saves_status_and_mode_in_one_request(client, running, secretary):
    meeting = _hybrid(running)
    client.force_login(secretary.user)
    first, second = list(expected_members(meeting))[:2]
    row = {"action": "attendance", "version": 1, "row": first.pk, f"status_{first.pk}": "present"}
    row[f"mode_{first.pk}"] = "online"
    # The rest of the form comes along (htmx posts the enclosing form): other rows are not saved.
    row[f"status_{second.pk}"] = "present"
    row[f"mode_{second.pk}"] = "online"
    resp = client.post(_action(meeting), row, HTTP_HX_REQUEST="true")
    body = resp.content.decode()
    assert resp.status_code == 200 and "alert-danger" not in body
    assert Attendance.objects.get(meeting=meeting, member=first).mode == AttendanceMode.ONLINE
    assert not Attendance.objects.filter(meeting=meeting, member=second).exists()
    assert "Hình thức dự: <strong>0</strong> đồng chí dự trực tiếp, <strong>1</strong> đồng chí dự trực tuyến" in body
    # Back to in person, then absent: the mode is only read for present members.
    row[f"mode_{first.pk}"] = "in_person"
    client.post(_action(meeting), row, HTTP_HX_REQUEST="true")
    assert Attendance.objects.get(meeting=meeting, member=first).mode == AttendanceMode.IN_PERSON


def test_whole_table_save_records_modes_of_present_rows(client, running, secretary):
    meeting = _hybrid(running)
    client.force_login(secretary.user)
    members = list(expected_members(meeting))
    data = {"action": "attendance", "version": meeting.version}
    for mb in members:
        data[f"status_{mb.pk}"] = "present"
        data[f"mode_{mb.pk}"] = "online"
    data[f"status_{members[0].pk}"] = "unexcused"
    client.post(_action(meeting), data)
    modes = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "mode"))
    assert modes[members[0].pk] == ""  # absent: no mode
    assert all(modes[mb.pk] == "online" for mb in members[1:])


def test_in_person_meeting_ignores_a_posted_mode(client, running, secretary):
    client.force_login(secretary.user)
    member = expected_members(running).first()
    row = {"action": "attendance", "version": 1, "row": member.pk, f"status_{member.pk}": "present"}
    row[f"mode_{member.pk}"] = "online"
    resp = client.post(_action(running), row, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and "alert-danger" not in resp.content.decode()
    att = Attendance.objects.get(meeting=running, member=member)
    assert (att.status, att.mode) == (AttendanceStatus.PRESENT, "")


def test_hybrid_roll_call_renders_a_mode_choice_for_present_rows_only(
    client, running, secretary, django_assert_max_num_queries
):
    meeting = _hybrid(running)
    first, second = list(expected_members(meeting))[:2]
    Attendance.objects.create(meeting=meeting, member=first, status="present", mode="online")
    Attendance.objects.create(meeting=meeting, member=second, status="unexcused")
    client.force_login(secretary.user)
    with django_assert_max_num_queries(31):
        body = client.get(_run(meeting)).content.decode()
    assert 'hx-sync="#attendance-form:queue all"' in body  # the row-by-row roll call is kept
    shown = re.search(rf'<div class="attendance-mode mt-1"\s*>\s*<select[^>]*name="mode_{first.pk}"', body)
    hidden = re.search(rf'<div class="attendance-mode mt-1" hidden>\s*<select[^>]*name="mode_{second.pk}"', body)
    assert shown and hidden
    assert '<option value="online" selected>Dự trực tuyến</option>' in body
    plain = client.get(_run(_in_person(meeting))).content.decode()
    assert "attendance-mode" not in plain


def _in_person(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(mode=MeetingMode.IN_PERSON)
    meeting.refresh_from_db()
    return meeting


def test_another_cells_secretary_cannot_record_a_mode(client, running, other_secretary):
    meeting = _hybrid(running)
    member = expected_members(meeting).first()
    client.force_login(other_secretary.user)
    row = {"action": "attendance", "row": member.pk, f"status_{member.pk}": "present", f"mode_{member.pk}": "online"}
    assert client.post(_action(meeting), row, HTTP_HX_REQUEST="true").status_code == 404
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_notice_email_block_states_the_mode_and_links_the_room(cell):
    meeting = Meeting(cell=cell, kind="thematic", year=2026, quarter=1, mode="online", online_room=ROOM, place="A")
    html = render_to_string("emails/_meeting_block.html", {"meeting": meeting})
    text = render_to_string("emails/_meeting_block.txt", {"meeting": meeting})
    assert "Trực tuyến" in html and f'<a href="{ROOM}">{ROOM}</a>' in html
    assert "- Hình thức: Trực tuyến" in text and f"- Phòng họp trực tuyến: {ROOM}" in text
    meeting.online_room = "javascript:alert(1)"  # never a link
    assert "<a href" not in render_to_string("emails/_meeting_block.html", {"meeting": meeting})
