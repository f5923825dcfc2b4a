"""Reading back and adopting the minutes before finalising (DOMAIN.md §6, last line)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import AttendanceStatus, Meeting, MinutesReservation
from meetings.rules.attendance import expected_members
from meetings.services import meeting_run as run_svc
from meetings.services import meetings as svc
from tests.documents import pdfutil
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
    # run_all records a unanimous adoption at 10:00 (the end); each test records its own.
    meeting = run_all(
        prepare(make_meeting(cell, secretary.user, date=day), secretary.user, secretary, day), secretary.user
    )
    Meeting.objects.filter(pk=meeting.pk).update(minutes_read_back_at=None, minutes_adoption="")
    meeting.refresh_from_db()
    return meeting


def adopt(meeting, user, **kwargs):
    values = {"read_back": True, "read_back_time": datetime.time(9, 50), "adoption": "unanimous"} | kwargs
    return run_svc.meeting_minutes_adoption_save(meeting=meeting, actor=user, version=None, **values)


def pdf_text(minutes) -> str:
    return pdfutil.flat(pdfutil.text(minutes.pdf.open("rb").read()))


def test_finalise_is_refused_until_read_back_and_adoption_are_recorded(held, secretary):
    with pytest.raises(ValidationError) as exc:
        svc.meeting_finalize(meeting=held, actor=secretary.user)
    assert any("Chưa ghi việc thư ký đọc lại biên bản" in m for m in exc.value.messages)
    held.refresh_from_db()
    assert held.stage == "held"


def test_unanimous_adoption_is_printed_with_the_read_back_time(held, secretary):
    adopt(held, secretary.user)
    minutes = svc.meeting_finalize(meeting=held, actor=secretary.user)
    assert minutes.snapshot["adoption"] == {"read_back": "09:50", "unanimous": True, "reservations": []}
    text = pdf_text(minutes)
    assert "Biên bản đã được đọc lại cho chi bộ nghe lúc 09 giờ 50 phút; chi bộ thống nhất thông qua 100%./." in text
    assert "các đồng chí dự họp nhất trí thông qua" not in text


def test_reservations_are_printed_with_names_and_words(held, secretary):
    first, second = list(expected_members(held))[:2]
    adopt(
        held,
        secretary.user,
        adoption="reservations",
        reservations=[(first, "Tôi đề nghị ghi rõ thời hạn."), (second, "Bảo lưu ý kiến về giải pháp 2.")],
    )
    minutes = svc.meeting_finalize(meeting=held, actor=secretary.user)
    names = sorted([first, second], key=lambda m: m.sort_key)
    words = {first.pk: "Tôi đề nghị ghi rõ thời hạn.", second.pk: "Bảo lưu ý kiến về giải pháp 2."}
    expected = "; ".join(f"đồng chí {m.full_name}: “{words[m.pk]}”" for m in names)
    assert pdfutil.flat(f"chi bộ thông qua, có ý kiến bảo lưu của {expected}./.") in pdf_text(minutes)


def test_reservation_by_a_member_not_present_is_refused(cell, secretary, day):
    meeting = prepare(make_meeting(cell, secretary.user, date=day), secretary.user, secretary, day)
    meeting = run_all(meeting, secretary.user, absent_unexcused=1)
    absent = meeting.attendances.get(status=AttendanceStatus.UNEXCUSED).member
    with pytest.raises(ValidationError) as exc:
        adopt(meeting, secretary.user, adoption="reservations", reservations=[(absent, "Không đồng ý.")])
    assert f"đồng chí {absent.full_name} không được ghi nhận có mặt" in exc.value.message_dict["reservations"][0]
    assert not MinutesReservation.objects.filter(meeting=meeting).exists()


def test_reservation_by_a_member_of_another_cell_is_refused(held, secretary, other_secretary):
    with pytest.raises(ValidationError):
        adopt(held, secretary.user, adoption="reservations", reservations=[(other_secretary, "Ý kiến")])


def test_adoption_with_reservations_needs_at_least_one(held, secretary):
    with pytest.raises(ValidationError) as exc:
        adopt(held, secretary.user, adoption="reservations")
    assert "adoption" in exc.value.message_dict


def test_read_back_after_the_end_is_refused(held, secretary):
    with pytest.raises(ValidationError) as exc:
        adopt(held, secretary.user, read_back_time=datetime.time(10, 30))
    assert "trước khi bế mạc" in exc.value.message_dict["read_back_time"][0]


def test_not_read_back_is_refused(held, secretary):
    with pytest.raises(ValidationError) as exc:
        adopt(held, secretary.user, read_back=False)
    assert "read_back" in exc.value.message_dict


def test_saving_again_replaces_the_reservations(held, secretary):
    member = next(iter(expected_members(held)))
    adopt(held, secretary.user, adoption="reservations", reservations=[(member, "Bảo lưu")])
    adopt(held, secretary.user)
    held.refresh_from_db()
    assert held.minutes_adoption == "unanimous"
    assert not MinutesReservation.objects.filter(meeting=held).exists()
