"""The run page: step 9 as one form that keeps what was typed, ending the meeting with its
times, the roll call in a few clicks, buttons that say where they lead, and the finalise
page's "do this first" and confirmation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Activity, Attendance, AttendanceStatus, Conclusion, Meeting, Resolution
from meetings.rules.attendance import expected_members
from meetings.rules.meetings import quality_criteria
from meetings.services import meeting_run as run_svc
from meetings.views.meeting_run_close import end_initial
from meetings.workflow import Stage
from tests.services.test_meetings import _yesterday_in_this_quarter, make_meeting, prepare, run_all  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def date():
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def running(cell, secretary, date):
    return prepare(make_meeting(cell, secretary.user, date=date), secretary.user, secretary, date)


def action_url(meeting):
    return reverse("meetings:run_action", args=[meeting.pk])


def run_url(meeting, query=""):
    return reverse("meetings:run", args=[meeting.pk]) + query


def step9_post(meeting, **changes):
    data = {
        "action": "conclusion",
        "step": "conclusion",
        "version": meeting.version,
        "preparation_evaluation": "Chuẩn bị chu đáo, tài liệu gửi trước",
        "quality_evaluation": "Sôi nổi, nhiều ý kiến",
        "adopted": "Thống nhất tự sửa",
        "orientation": "Định hướng riêng của tôi",
        **{f"score_{k}": m for k, _, m in quality_criteria()},
        "text": "Nghị quyết riêng của tôi",
        "votes_for": "2",
        "votes_against": "0",
        "votes_abstain": "0",
    }
    data.update(changes)
    return data


def present(meeting, user, count=None):
    members = list(expected_members(meeting))[:count]
    run_svc.meeting_attendance_set(
        meeting=meeting, actor=user, version=None, entries={m.pk: (AttendanceStatus.PRESENT, "") for m in members}
    )


# --- step 9 -----------------------------------------------------------------------------------


def test_step9_form_error_keeps_every_part_as_typed(client, running, secretary):
    client.force_login(secretary.user)
    present(running, secretary.user)
    running.refresh_from_db()
    resp = client.post(action_url(running), step9_post(running, adopted="", votes_for="abc"))
    body = resp.content.decode()
    assert resp.status_code == 200
    for typed in ("Chuẩn bị chu đáo, tài liệu gửi trước", "Định hướng riêng của tôi", "Nghị quyết riêng của tôi"):
        assert typed in body
    assert 'id="step9-errors"' in body and 'href="#id_adopted"' in body and 'href="#id_votes_for"' in body
    assert body.count("is-invalid") >= 2
    assert not Conclusion.objects.filter(meeting=running).exists()


def test_step9_service_refusal_keeps_every_part_and_lists_it(client, running, secretary):
    client.force_login(secretary.user)
    present(running, secretary.user, count=2)
    running.refresh_from_db()
    resp = client.post(action_url(running), step9_post(running, votes_for="9"))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "vượt quá số đảng viên chính thức có mặt" in body
    assert "Chuẩn bị chu đáo, tài liệu gửi trước" in body and "Nghị quyết riêng của tôi" in body
    assert 'id="step9-errors"' in body
    assert not Conclusion.objects.filter(meeting=running).exists()


def test_step9_one_save_records_conclusion_and_resolution(client, running, secretary):
    client.force_login(secretary.user)
    present(running, secretary.user)
    running.refresh_from_db()
    resp = client.post(action_url(running), step9_post(running))
    assert resp.status_code == 302
    meeting = Meeting.objects.get(pk=running.pk)
    assert meeting.conclusion.quality_score == 100 and meeting.resolution.text == "Nghị quyết riêng của tôi"
    # The resolution is optional: without one, the conclusion alone is saved.
    body = client.get(run_url(meeting, "?buoc=conclusion")).content.decode()
    assert body.count('name="action" value="conclusion"') == 1  # one form, one save
    assert 'form="resolution-delete"' in body and 'name="resolution_saved"' in body
    resp = client.post(action_url(meeting), {"action": "resolution_delete", "version": meeting.version})
    assert resp.status_code == 302 and not Resolution.objects.filter(meeting=meeting).exists()


def test_step9_without_resolution(client, running, secretary):
    client.force_login(secretary.user)
    resp = client.post(action_url(running), step9_post(running, text="", votes_for="", votes_against="0"))
    assert resp.status_code == 302
    assert Conclusion.objects.filter(meeting=running).exists()


# --- ending the meeting -----------------------------------------------------------------------


def test_end_form_prefilled_and_explained(client, running, secretary):
    client.force_login(secretary.user)
    body = client.get(run_url(running, "?ket-thuc=1")).content.decode()
    assert "Kết thúc buổi sinh hoạt" in body
    # Not the meeting day (held yesterday, no start click): scheduled start, and two hours later.
    assert 'value="08:00"' in body and 'value="10:00"' in body
    assert "giờ họp đã lên lịch" in body and "2 giờ sau giờ bắt đầu" in body


def test_end_initial_on_the_meeting_day_is_now(running):
    running.actual_start = timezone.make_aware(datetime.datetime.combine(running.scheduled_date, datetime.time(8, 5)))
    now = timezone.make_aware(datetime.datetime.combine(running.scheduled_date, datetime.time(10, 12, 40)))
    initial, explained = end_initial(running, now)
    assert initial == {"actual_start": datetime.time(8, 5), "actual_end": datetime.time(10, 12)}
    assert "bấm “Bắt đầu sinh hoạt”" in explained and "bây giờ" in explained


def test_end_refusal_keeps_typed_times_in_vietnamese(client, running, secretary):
    client.force_login(secretary.user)
    data = {"action": "end", "version": running.version, "end-actual_start": "09:15", "end-actual_end": "09:05"}
    body = client.post(action_url(running), data).content.decode()
    assert "Giờ kết thúc phải sau giờ bắt đầu." in body
    assert 'value="09:15"' in body and 'value="09:05"' in body
    assert Meeting.objects.get(pk=running.pk).stage == Stage.IN_PROGRESS


def test_end_saves_times_and_leads_to_finalise(client, running, secretary):
    client.force_login(secretary.user)
    data = {"action": "end", "version": running.version, "end-actual_start": "08:10", "end-actual_end": "10:20"}
    resp = client.post(action_url(running), data)
    assert resp.status_code == 302 and resp["Location"] == reverse("meetings:finalize", args=[running.pk])
    meeting = Meeting.objects.get(pk=running.pk)
    assert meeting.stage == Stage.HELD and meeting.duration_minutes == 130


def test_other_cell_gets_404(client, running, other_secretary):
    client.force_login(other_secretary.user)
    assert client.get(run_url(running, "?ket-thuc=1")).status_code == 404
    data = {"action": "end", "version": running.version, "end-actual_start": "08:10", "end-actual_end": "10:20"}
    assert client.post(action_url(running), data).status_code == 404
    assert client.post(action_url(running), {"action": "attendance_all"}).status_code == 404
    assert client.get(reverse("meetings:finalize", args=[running.pk]) + "?xac-nhan=1").status_code == 404


def test_run_page_queries_bounded(client, running, secretary, django_assert_max_num_queries):
    client.force_login(secretary.user)
    client.get(run_url(running, "?buoc=conclusion&ket-thuc=1"))
    with django_assert_max_num_queries(30):
        client.get(run_url(running, "?buoc=conclusion&ket-thuc=1"))
    with django_assert_max_num_queries(30):
        client.get(run_url(running, "?buoc=attendance"))


# --- the roll call ----------------------------------------------------------------------------


def test_all_present_button_then_exceptions(client, running, secretary):
    client.force_login(secretary.user)
    members = list(expected_members(running))
    body = client.get(run_url(running, "?buoc=attendance")).content.decode()
    assert "Tất cả có mặt" in body
    resp = client.post(action_url(running), {"action": "attendance_all"}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and "Đã ghi có mặt" in resp.content.decode()
    assert Attendance.objects.filter(meeting=running, status=AttendanceStatus.PRESENT).count() == len(members)
    # An exception: one click on one row (htmx), with a page version long gone.
    row = {"action": "attendance", "version": running.version, "row": members[0].pk}
    row[f"status_{members[0].pk}"] = "unexcused"
    resp = client.post(action_url(running), row, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and 'hx-swap-oob="true"' in resp.content.decode()
    assert Attendance.objects.get(meeting=running, member=members[0]).status == AttendanceStatus.UNEXCUSED
    assert Activity.objects.filter(meeting=running, action__startswith="Điểm danh").count() == 1


def test_excused_row_click_raises_no_error_until_saved(client, running, secretary):
    client.force_login(secretary.user)
    member = expected_members(running).first()
    row = {"action": "attendance", "version": running.version, "row": member.pk, f"status_{member.pk}": "excused"}
    resp = client.post(action_url(running), row, HTTP_HX_REQUEST="true")
    body = resp.content.decode()
    assert resp.status_code == 200 and "vui lòng ghi lý do" not in body and "alert-danger" not in body
    assert not Attendance.objects.filter(meeting=running, member=member).exists()
    row[f"reason_{member.pk}"] = "Đi công tác"
    client.post(action_url(running), row, HTTP_HX_REQUEST="true")
    assert Attendance.objects.get(meeting=running, member=member).reason == "Đi công tác"
    # The whole-table save still asks for the reason, on that row.
    other = expected_members(running).exclude(pk=member.pk).first()
    data = {"action": "attendance", "version": Meeting.objects.get(pk=running.pk).version}
    data[f"status_{other.pk}"] = "excused"
    body = client.post(action_url(running), data).content.decode()
    assert 'class="table-danger"' in body and "Vắng có lý do: vui lòng ghi lý do." in body


def test_concurrent_row_posts_do_not_make_each_other_stale(client, running, secretary):
    """Two clicks sent from the same page (same version) on different rows: both saved."""
    client.force_login(secretary.user)
    first, second = list(expected_members(running))[:2]
    version = running.version
    for member, status in ((first, "present"), (second, "unexcused")):
        row = {"action": "attendance", "version": version, "row": member.pk, f"status_{member.pk}": status}
        resp = client.post(action_url(running), row, HTTP_HX_REQUEST="true")
        assert resp.status_code == 200 and "alert-danger" not in resp.content.decode()
    statuses = dict(Attendance.objects.filter(meeting=running).values_list("member_id", "status"))
    assert statuses == {first.pk: "present", second.pk: "unexcused"}


def test_rows_render_with_queued_htmx_and_hidden_reason(client, running, secretary):
    client.force_login(secretary.user)
    body = client.get(run_url(running, "?buoc=attendance")).content.decode()
    assert 'hx-sync="#attendance-form:queue all"' in body
    assert 'class="attendance-reason mt-1" hidden' in body


# --- buttons say where they lead --------------------------------------------------------------


def test_step_buttons_name_the_next_step(client, running, secretary):
    client.force_login(secretary.user)
    body = client.get(run_url(running, "?buoc=clerk")).content.decode()
    assert "Ghi nhận và sang bước 3: Thông báo tình hình đảng viên dự họp" in body
    assert "← Quay lại bước 1: Tuyên bố lý do, giới thiệu đại biểu" in body
    body = client.get(run_url(running, "?buoc=conclusion")).content.decode()
    assert "Kết thúc buổi sinh hoạt →" in body


# --- finalise ---------------------------------------------------------------------------------


def test_finalise_page_says_what_to_do_first_during_the_meeting(client, running, secretary):
    client.force_login(secretary.user)
    body = client.get(reverse("meetings:finalize", args=[running.pk])).content.decode()
    assert "kết thúc buổi sinh hoạt trước khi hoàn tất biên bản" in body
    assert "ket-thuc=1" in body


def test_finalise_asks_for_confirmation_first(client, running, secretary):
    meeting = run_all(running, secretary.user)
    client.force_login(secretary.user)
    url = reverse("meetings:finalize", args=[meeting.pk])
    body = client.get(url).content.decode()
    assert "?xac-nhan=1" in body and "Xác nhận: hoàn tất" not in body
    body = client.get(url + "?xac-nhan=1").content.decode()
    assert "Xác nhận: hoàn tất và gửi biên bản" in body
    assert "đánh số" in body and "khóa" in body and "gửi đến đảng viên" in body and "không thể hoàn tác" in body
    resp = client.post(url, {"version": meeting.version})
    assert resp.status_code == 302 and Meeting.objects.get(pk=meeting.pk).stage == Stage.FINALIZED


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_row_posts_all_land(cell, secretary, date):
    """Six clicks on six rows, sent at the same moment from pages of the same version (two
    secretaries, or a queue flushed at once): every mark is saved, none is refused as stale."""
    from django.db import connection
    from django.test import Client

    from tests.services.test_numbering import _race, _require_postgres

    _require_postgres()
    meeting = prepare(make_meeting(cell, secretary.user, date=date, members=6), secretary.user, secretary, date)
    members = list(expected_members(meeting))[:6]
    url, version = action_url(meeting), meeting.version

    def click(member, status):
        def post():
            client = Client()
            client.force_login(secretary.user)
            row = {"action": "attendance", "version": version, "row": member.pk, f"status_{member.pk}": status}
            response = client.post(url, row, HTTP_HX_REQUEST="true")
            return response.status_code, "alert-danger" in response.content.decode()

        return post

    statuses = ["present", "unexcused"] * 3
    results, errors = _race([click(m, s) for m, s in zip(members, statuses, strict=True)])
    connection.close()
    assert errors == [] and results == [(200, False)] * 6
    saved = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    assert saved == {m.pk: s for m, s in zip(members, statuses, strict=True)}
    assert Activity.objects.filter(meeting=meeting, action__startswith="Điểm danh").count() == 1
