"""The run page says who votes and how the resolution's denominator is computed."""

import datetime

import pytest
from django.urls import reverse

from meetings import models as m
from meetings.services.minutes import minutes_snapshot
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 17)
PRESENT = m.AttendanceStatus.PRESENT
NOTE = "dự bị – không biểu quyết"


@pytest.fixture
def meeting(cell, secretary):
    meeting = f.MeetingFactory(cell=cell, scheduled_date=DAY, stage="in_progress", year=2026, quarter=1)
    m.Attendance.objects.create(meeting=meeting, member=secretary, status=PRESENT)
    for _ in range(14):
        m.Attendance.objects.create(meeting=meeting, member=f.MemberFactory(cell=cell), status=PRESENT)
    f.MemberFactory(cell=cell, status=m.MemberStatus.ELSEWHERE)
    f.MemberFactory(cell=cell, full_name="Lê Văn Miễn", status=m.MemberStatus.EXEMPT)
    probationary = f.MemberFactory(cell=cell, full_name="Đỗ Thị Dự Bị", full_member_on=None)
    m.Attendance.objects.create(meeting=meeting, member=probationary, status=PRESENT)
    m.Speech.objects.create(meeting=meeting, speaker=probationary, position=1, content="Ý kiến của đồng chí dự bị")
    return meeting


def run_page(client, meeting, step):
    return client.get(reverse("meetings:run", args=[meeting.pk]) + f"?buoc={step}").content.decode()


def post_resolution(client, meeting, **data):
    meeting.refresh_from_db()
    payload = {"action": "resolution", "step": "conclusion", "version": meeting.version, "text": "Nghị quyết"}
    payload.update({"votes_against": 0, "votes_abstain": 0, **data})
    return client.post(reverse("meetings:run_action", args=[meeting.pk]), payload, follow=True)


def test_attendance_names_probationary_members_and_lists_exempt_ones(client, secretary, meeting):
    client.force_login(secretary.user)
    body = run_page(client, meeting, "attendance")
    row = body[body.index("Đỗ Thị Dự Bị") : body.index("Đỗ Thị Dự Bị") + 200]
    assert NOTE in row
    assert body.count(NOTE) == 1
    assert "Đảng viên miễn sinh hoạt: không phải dự" in body and "Lê Văn Miễn" in body


def test_speech_list_names_probationary_speakers(client, secretary, meeting):
    client.force_login(secretary.user)
    body = run_page(client, meeting, "discussion")
    assert NOTE in body[body.index("Đỗ Thị Dự Bị") :][:300]


def test_step_9_shows_the_denominator_and_how_it_is_computed(client, secretary, meeting):
    client.force_login(secretary.user)
    body = run_page(client, meeting, "conclusion")
    assert "Số đảng viên chính thức được tính để biểu quyết: <strong>15</strong>" in body
    assert "17 đảng viên chính thức; trừ 1 sinh hoạt tạm thời nơi khác, 1 miễn sinh hoạt vắng mặt → 15" in body
    assert "từ <strong>8</strong> đồng chí tán thành" in body
    assert 'data-present="15"' in body


def test_saved_resolution_says_whether_it_is_valid(client, secretary, meeting):
    client.force_login(secretary.user)
    body = post_resolution(client, meeting, votes_for=8).content.decode()
    assert "tán thành 8/15, hợp lệ" in body
    assert "Tán thành 8/15 đảng viên chính thức được tính" in body and "nghị quyết hợp lệ" in body
    body = post_resolution(client, meeting, votes_for=7, votes_against=8).content.decode()
    assert "<strong>chưa hợp lệ</strong>" in body


def test_refused_vote_keeps_input_and_the_saved_resolution(client, secretary, meeting):
    client.force_login(secretary.user)
    post_resolution(client, meeting, votes_for=10)
    body = post_resolution(client, meeting, text="Bản sửa chưa lưu", votes_for=16).content.decode()
    assert "vượt quá số đảng viên chính thức có mặt (15)" in body
    assert "Bản sửa chưa lưu" in body
    assert m.Resolution.objects.get(meeting=meeting).votes_for == 10


def test_exempt_member_marked_present_on_the_page(client, secretary, meeting):
    client.force_login(secretary.user)
    exempt = m.Member.objects.get(full_name="Lê Văn Miễn")
    meeting.refresh_from_db()
    url = reverse("meetings:run_action", args=[meeting.pk])
    client.post(url, {"action": "attendance", "version": meeting.version, f"status_{exempt.pk}": "present"})
    assert m.Attendance.objects.filter(meeting=meeting, member=exempt, status=PRESENT).exists()
    body = run_page(client, meeting, "conclusion")
    assert "17 đảng viên chính thức; trừ 1 sinh hoạt tạm thời nơi khác → 16" in body


def test_other_cell_secretary_gets_404_on_the_run_page(client, other_secretary, meeting):
    client.force_login(other_secretary.user)
    assert client.get(reverse("meetings:run", args=[meeting.pk]) + "?buoc=conclusion").status_code == 404


def test_minutes_count_an_attending_exempt_member_apart(meeting, secretary):
    exempt = m.Member.objects.get(full_name="Lê Văn Miễn")
    m.Attendance.objects.create(meeting=meeting, member=exempt, status=PRESENT)
    counts = minutes_snapshot(meeting)["counts"]
    assert (counts["expected"], counts["present"], counts["exempt_present"]) == (16, 16, 1)
