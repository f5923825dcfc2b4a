"""Meeting mode (issue 17, item 6): in person, online or hybrid; each attendee's mode at a
hybrid meeting; HD 03-HD/TW's conditions as configurable warnings; the minutes and the
notice state the mode."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from meetings.documents import render_notice_pdf
from meetings.models import Attendance, AttendanceMode, AttendanceStatus, MeetingMode
from meetings.rules.meeting_mode import mode_warnings
from meetings.rules.meetings import meeting_warnings
from meetings.services import meetings as svc
from meetings.services.meeting_mode import attendance_modes_set
from meetings.services.minutes import minutes_create
from meetings.workflow import Stage
from tests.documents import pdfutil
from tests.documents.builders import recorded_meeting
from tests.services.test_meetings import before_meeting, make_meeting, other_member

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 20)
ROOM = "https://hop.example.vn/chi-bo-3"


def _schedule(meeting, user, chair, **mode):
    with before_meeting(DAY, days=10):
        meeting = svc.meeting_transition(meeting=meeting, actor=user, target=Stage.PREPARING)
        return svc.meeting_schedule(
            meeting=meeting,
            actor=user,
            version=meeting.version,
            scheduled_date=DAY,
            start_time=datetime.time(8),
            place="Hội trường",
            chair=chair,
            clerk=other_member(meeting, chair),
            **mode,
        )


@pytest.mark.parametrize("mode", MeetingMode.values)
def test_schedule_with_each_mode(cell, secretary, mode):
    meeting = _schedule(
        make_meeting(cell, secretary.user, date=DAY),
        secretary.user,
        secretary,
        mode=mode,
        online_room=ROOM,
        online_reason="Địa bàn xa",
        online_not_secret=True,
    )
    meeting.refresh_from_db()
    assert meeting.mode == mode
    remote = mode != MeetingMode.IN_PERSON
    # In person: the online fields are not kept.
    assert (meeting.online_room, meeting.online_reason, meeting.online_not_secret) == (
        (ROOM, "Địa bàn xa", True) if remote else ("", "", False)
    )


def test_schedule_without_a_mode_keeps_the_one_chosen(cell, secretary):
    meeting = _schedule(make_meeting(cell, secretary.user, date=DAY), secretary.user, secretary, mode="hybrid")
    with before_meeting(DAY, days=10):
        meeting = svc.meeting_schedule(
            meeting=meeting,
            actor=secretary.user,
            version=meeting.version,
            scheduled_date=DAY,
            start_time=datetime.time(9),
            place="Hội trường",
        )
    meeting.refresh_from_db()
    assert meeting.mode == MeetingMode.HYBRID


@pytest.mark.parametrize(
    ("mode", "field", "message"),
    [
        ("video", "mode", "Hình thức sinh hoạt không hợp lệ."),
        ("online", "online_room", "Đường dẫn phòng họp trực tuyến không hợp lệ"),
    ],
)
def test_invalid_mode_or_link_is_refused_in_vietnamese(cell, secretary, mode, field, message):
    meeting = make_meeting(cell, secretary.user, date=DAY)
    with pytest.raises(ValidationError) as exc:
        _schedule(meeting, secretary.user, secretary, mode=mode, online_room="https://không hợp lệ")
    assert message in " ".join(exc.value.message_dict[field])


def test_a_room_named_in_words_is_accepted(cell, secretary):
    meeting = _schedule(
        make_meeting(cell, secretary.user, date=DAY),
        secretary.user,
        secretary,
        mode="online",
        online_room="Điểm cầu Văn phòng Đảng ủy",
    )
    assert meeting.online_room == "Điểm cầu Văn phòng Đảng ủy" and meeting.online_room_link == ""


def _online(cell, **fields):
    meeting = recorded_meeting(cell, n_members=6, n_speeches=1)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save()
    return meeting


def test_online_meeting_without_its_conditions_is_warned_not_refused(cell):
    meeting = _online(cell, mode=MeetingMode.ONLINE)
    warnings = meeting_warnings(meeting)
    assert any("bí mật nhà nước" in w for w in warnings)
    assert any("chưa ghi phòng họp trực tuyến" in w for w in warnings)
    assert any("chưa nêu lý do" in w for w in warnings)
    # Finalising still works, and the warnings are stored with the minutes.
    minutes = minutes_create(meeting=meeting, actor=None, warnings=warnings)
    assert any("bí mật nhà nước" in w for w in minutes.warnings)


def test_online_meeting_with_its_conditions_has_no_mode_warning(cell):
    meeting = _online(
        cell, mode=MeetingMode.ONLINE, online_room=ROOM, online_reason="Dịch bệnh", online_not_secret=True
    )
    assert mode_warnings(meeting) == []


def test_conditions_are_configurable(cell, settings):
    settings.CHIBO = {
        **settings.CHIBO,
        "ONLINE_MEETING_RULES": {
            "REQUIRE_NOT_SECRET": False,
            "REQUIRE_ROOM": False,
            "REASON_REQUIRED_FOR": [],
            "REMOTE_MAJORITY": False,
        },
    }
    assert mode_warnings(_online(cell, mode=MeetingMode.ONLINE)) == []


def test_in_person_meeting_has_no_mode_warning(cell):
    assert mode_warnings(recorded_meeting(cell, n_members=4, n_speeches=1)) == []


def _hybrid_held(cell):
    meeting = _online(
        cell, mode=MeetingMode.HYBRID, online_room=ROOM, online_not_secret=True, online_reason="Địa bàn xa"
    )
    present = list(Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT))
    return meeting, present


def test_hybrid_attendee_mode_is_saved_and_counted(cell):
    meeting, present = _hybrid_held(cell)
    attendance_modes_set(meeting=meeting, actor=None, version=None, modes={present[0].member_id: "online"})
    assert Attendance.objects.get(pk=present[0].pk).mode == AttendanceMode.ONLINE
    # 1 online of 6 expected: not more than half, so the pilot's condition is warned about.
    warnings = meeting_warnings(meeting)
    assert any("1/6 đảng viên phải dự tham gia trực tuyến" in w for w in warnings)
    modes = {a.member_id: "online" for a in present}
    attendance_modes_set(meeting=meeting, actor=None, version=None, modes=modes)
    assert not any("tham gia trực tuyến" in w for w in meeting_warnings(meeting))


def test_attendee_mode_is_refused_for_an_in_person_meeting_and_an_absent_member(cell):
    meeting = recorded_meeting(cell, n_members=5, n_speeches=1)
    member = Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT).first().member_id
    with pytest.raises(ValidationError) as exc:
        attendance_modes_set(meeting=meeting, actor=None, version=None, modes={member: "online"})
    assert "buổi sinh hoạt kết hợp trực tiếp và trực tuyến" in exc.value.messages[0]
    meeting.mode = MeetingMode.HYBRID
    meeting.save()
    absent = Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.EXCUSED).first()
    with pytest.raises(ValidationError) as exc:
        attendance_modes_set(meeting=meeting, actor=None, version=None, modes={absent.member_id: "online"})
    assert "chưa được ghi có mặt" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        attendance_modes_set(meeting=meeting, actor=None, version=None, modes={member: "zoom"})
    assert "Hình thức dự không hợp lệ" in exc.value.messages[0]


def test_minutes_pdf_states_the_mode(cell):
    meeting, present = _hybrid_held(cell)
    attendance_modes_set(meeting=meeting, actor=None, version=None, modes={present[0].member_id: "online"})
    minutes = minutes_create(meeting=meeting, actor=None)
    assert minutes.snapshot["mode"]["online"] == 1
    with minutes.pdf.open("rb") as fh:
        text = pdfutil.flat(pdfutil.text(fh.read()))
    in_person = len(present) - 1
    assert (
        f"Hình thức: kết hợp trực tiếp và trực tuyến ({in_person} đồng chí dự trực tiếp, "
        "1 đồng chí dự trực tuyến)" in text
    )
    assert "Lý do sinh hoạt trực tuyến: Địa bàn xa." in text


def test_in_person_minutes_say_so(cell):
    minutes = minutes_create(meeting=recorded_meeting(cell, n_members=4, n_speeches=1), actor=None)
    with minutes.pdf.open("rb") as fh:
        assert "Hình thức: trực tiếp." in pdfutil.flat(pdfutil.text(fh.read()))


def test_notice_pdf_states_the_mode_and_the_room(cell):
    meeting = _online(cell, mode=MeetingMode.ONLINE, online_room=ROOM)
    text = pdfutil.flat(pdfutil.text(render_notice_pdf(meeting)))
    assert "Hình thức: trực tuyến; phòng họp trực tuyến: https://hop.example.vn/chi-bo-3." in text
    in_person = pdfutil.flat(pdfutil.text(render_notice_pdf(recorded_meeting(cell, n_members=3, n_speeches=1))))
    assert "Hình thức: trực tiếp." in in_person
