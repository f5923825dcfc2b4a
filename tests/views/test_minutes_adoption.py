"""The read-back and adoption form on the finalise page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AttendanceStatus, Meeting
from tests.conftest import login
from tests.services.test_meetings import (  # noqa: F401 - the autouse fixture keeps "yesterday" in this quarter
    _yesterday_in_this_quarter,
    make_meeting,
    prepare,
    run_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    # Held yesterday, so the actual end is past.
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def held(cell, secretary, day):
    meeting = prepare(make_meeting(cell, secretary.user, date=day), secretary.user, secretary, day)
    meeting = run_all(meeting, secretary.user, absent_unexcused=1)
    Meeting.objects.filter(pk=meeting.pk).update(minutes_read_back_at=None, minutes_adoption="")
    return meeting


def form_data(**rows):
    data = {
        "read_back": "on",
        "read_back_time": "09:45",
        "adoption": "reservations",
        "reservations-TOTAL_FORMS": "2",
        "reservations-INITIAL_FORMS": "0",
        "reservations-MIN_NUM_FORMS": "0",
        "reservations-MAX_NUM_FORMS": "50",
    }
    return data | rows


def test_finalise_page_shows_the_form_and_the_refusal(client, held, secretary):
    login(client, secretary.user)
    response = client.get(reverse("meetings:finalize", args=[held.pk]))
    body = response.content.decode()
    assert "Đọc lại và thông qua biên bản" in body
    assert "Chưa ghi việc thư ký đọc lại biên bản" in body
    response = client.post(reverse("meetings:finalize", args=[held.pk]), follow=True)
    assert "Chưa ghi việc thư ký đọc lại biên bản" in response.content.decode()
    held.refresh_from_db()
    assert held.stage == "held"


def test_refused_save_keeps_the_typed_text(client, held, secretary):
    absent = held.attendances.get(status=AttendanceStatus.UNEXCUSED).member
    login(client, secretary.user)
    words = "Tôi bảo lưu ý kiến về thời hạn thực hiện giải pháp."
    response = client.post(
        reverse("meetings:minutes_adoption", args=[held.pk]),
        form_data(**{"reservations-0-member": str(absent.pk), "reservations-0-text": words}),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "không được ghi nhận có mặt" in body
    assert words in body
    assert 'value="09:45"' in body
    held.refresh_from_db()
    assert held.minutes_adoption == ""


def test_saved_adoption_lets_the_meeting_be_finalised(client, held, secretary):
    present = held.attendances.filter(status=AttendanceStatus.PRESENT).first().member
    login(client, secretary.user)
    response = client.post(
        reverse("meetings:minutes_adoption", args=[held.pk]),
        form_data(**{"reservations-0-member": str(present.pk), "reservations-0-text": "Bảo lưu."}),
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.minutes_adoption == "reservations"
    body = client.get(reverse("meetings:finalize", args=[held.pk])).content.decode()
    assert "Chưa ghi việc thư ký đọc lại biên bản" not in body
    assert "Bảo lưu." in body


def test_secretary_of_other_cell_gets_404(client, held, other_secretary):
    login(client, other_secretary.user)
    response = client.post(reverse("meetings:minutes_adoption", args=[held.pk]), form_data())
    assert response.status_code == 404
