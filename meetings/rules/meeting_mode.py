"""Meeting mode: in person, online or hybrid (issue 17, item 6).

Online and hybrid meetings follow HD 03-HD/TW (27/12/2022), which pilots online party
meetings. The conditions encoded, each configurable in settings.CHIBO["ONLINE_MEETING_RULES"]
and each a warning of the meeting when it does not hold (never a refusal):
- REQUIRE_NOT_SECRET: the content is confirmed not to be a state secret;
- REQUIRE_ROOM: the online room is named (its link, or the connection point's name);
- REASON_REQUIRED_FOR: the modes (default: fully online) that state why the cell cannot meet
  in one place (dịch bệnh, thiên tai, địa bàn xa…);
- REMOTE_MAJORITY: DOMAIN.md §8 — only where more than half of the members cannot gather in
  one place; read at a hybrid meeting's roll call as more than half of the expected members
  having joined online.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from meetings.models import Meeting, MeetingMode
from meetings.selectors.meeting_mode import ModeCounts, attendance_mode_counts

ROOM_MAX_LENGTH = 500
REASON_MAX_LENGTH = 255
ROOM_INVALID = "Đường dẫn phòng họp trực tuyến không hợp lệ (bắt đầu bằng https:// hoặc http://)."
MODE_INVALID = "Hình thức sinh hoạt không hợp lệ."


def online_rules() -> dict:
    return settings.CHIBO.get("ONLINE_MEETING_RULES", {})


def is_remote(mode: str) -> bool:
    return mode in (MeetingMode.ONLINE, MeetingMode.HYBRID)


def room_link(room: str) -> str:
    """The room as a link when it is a web address; "" for a room named in words (never a
    javascript: or other scheme in an href)."""
    room = (room or "").strip()
    return room if room.lower().startswith(("https://", "http://")) else ""


def clean_room(room: str) -> str:
    """A room named in words is kept as typed; one that starts like a web address must be one."""
    room = " ".join((room or "").split())
    if len(room) > ROOM_MAX_LENGTH:
        raise ValidationError(f"Phòng họp trực tuyến tối đa {ROOM_MAX_LENGTH} ký tự.")
    if room.lower().startswith(("http:", "https:", "www.")):
        try:
            URLValidator(schemes=["http", "https"])(room)
        except ValidationError:
            raise ValidationError(ROOM_INVALID) from None
    return room


def mode_warnings(meeting: Meeting, *, expected: int | None = None, modes: ModeCounts | None = None) -> list[str]:
    """The conditions of HD 03-HD/TW that do not hold for this meeting (module docstring).
    `expected`, `modes`: the roll call's figures, for the remote-majority rule (hybrid only)."""
    if not is_remote(meeting.mode):
        return []
    rules, label = online_rules(), MeetingMode(meeting.mode).label.lower()
    warnings = []
    if rules.get("REQUIRE_NOT_SECRET") and not meeting.online_not_secret:
        warnings.append(
            f"Buổi sinh hoạt {label} chưa được xác nhận nội dung không thuộc bí mật nhà nước "
            "(HD 03-HD/TW: không sinh hoạt trực tuyến nội dung bí mật)."
        )
    if rules.get("REQUIRE_ROOM") and not (meeting.online_room or "").strip():
        warnings.append(f"Buổi sinh hoạt {label} chưa ghi phòng họp trực tuyến (đường dẫn hoặc điểm cầu).")
    if meeting.mode in rules.get("REASON_REQUIRED_FOR", []) and not (meeting.online_reason or "").strip():
        warnings.append(
            f"Buổi sinh hoạt {label} chưa nêu lý do chi bộ không thể sinh hoạt tập trung "
            "(ví dụ: dịch bệnh, thiên tai, địa bàn xa)."
        )
    if (
        rules.get("REMOTE_MAJORITY")
        and meeting.mode == MeetingMode.HYBRID
        and modes is not None
        and expected
        and modes.in_person + modes.online > 0
        and modes.online * 2 <= expected
    ):
        warnings.append(
            f"Buổi sinh hoạt kết hợp có {modes.online}/{expected} đảng viên phải dự tham gia trực tuyến, "
            "chưa quá một nửa: HD 03-HD/TW chỉ thí điểm sinh hoạt trực tuyến ở chi bộ có quá nửa "
            "số đảng viên không thể tập trung tại một địa điểm."
        )
    return warnings


def mode_sentence(mode: str, *, room: str = "", modes: ModeCounts | None = None) -> str:
    """ "Hình thức: trực tiếp" / "… trực tuyến, phòng họp trực tuyến: …" / "… kết hợp … (x, y)",
    as printed in the minutes and the notice."""
    if mode not in MeetingMode.values:
        mode = MeetingMode.IN_PERSON
    text = f"Hình thức: {MeetingMode(mode).label.lower()}"
    if mode == MeetingMode.HYBRID and modes is not None and modes.in_person + modes.online:
        text += f" ({modes.in_person} đồng chí dự trực tiếp, {modes.online} đồng chí dự trực tuyến)"
    if is_remote(mode) and room:
        text += f"; phòng họp trực tuyến: {room}"
    return text


def mode_snapshot(meeting: Meeting) -> dict:
    """The mode as held, frozen in the minutes (services/minutes.py): one query at a hybrid
    meeting (who attended online), none otherwise."""
    hybrid = meeting.mode == MeetingMode.HYBRID
    modes = attendance_mode_counts(meeting_id=meeting.pk) if hybrid else None
    room = (meeting.online_room or "").strip() if is_remote(meeting.mode) else ""
    return {
        "mode": meeting.mode,
        "label": meeting.get_mode_display(),
        "room": room,
        "reason": meeting.online_reason if is_remote(meeting.mode) else "",
        "not_secret": meeting.online_not_secret,
        "in_person": modes.in_person if modes else None,
        "online": modes.online if modes else None,
        "text": mode_sentence(meeting.mode, room=room, modes=modes),
    }
