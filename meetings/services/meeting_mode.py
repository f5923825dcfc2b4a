"""How each present member attended a hybrid meeting (issue 17, item 6).

Like the roll call (services/meeting_attendance.py), each entry is an absolute value ("this
member joined online"), so the views call it without the page's version."""

from django.core.exceptions import ValidationError
from django.db import transaction

from meetings.models import Attendance, AttendanceMode, AttendanceStatus, Meeting, MeetingMode
from meetings.selectors.meeting_mode import attendance_mode_counts
from meetings.services._meeting_common import bump_version, lock_meeting
from meetings.services.activity import activity_record_merged
from meetings.workflow import RECORD_EDITABLE

NOT_HYBRID = (
    "Chỉ ghi hình thức dự (trực tiếp, trực tuyến) của từng đảng viên ở buổi sinh hoạt kết hợp trực tiếp và trực tuyến."
)
MODE_LOG = "Hình thức dự:"


def attendance_modes_set(*, meeting: Meeting, actor, version: int | None, modes: dict[int, str]) -> Meeting:
    """Record {member_id: "in_person" | "online"} for members recorded present."""
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
        if meeting.mode != MeetingMode.HYBRID:
            raise ValidationError(NOT_HYBRID)
        present = {
            a.member_id: a
            for a in Attendance.objects.filter(meeting=meeting, member_id__in=list(modes)).select_related("member")
        }
        errors, changed = [], []
        for member_id, mode in modes.items():
            att = present.get(member_id)
            if mode not in AttendanceMode.values:
                errors.append("Hình thức dự không hợp lệ: chọn dự trực tiếp hoặc dự trực tuyến.")
            elif att is None or att.status != AttendanceStatus.PRESENT:
                name = f"Đồng chí {att.member}" if att else "Đảng viên này"
                errors.append(f"{name} chưa được ghi có mặt: chỉ ghi hình thức dự cho đảng viên có mặt.")
            elif att.mode != mode:
                att.mode = mode
                changed.append(att)
        if errors:
            raise ValidationError(errors)
        for att in changed:
            att.save(update_fields=["mode", "recorded_at"])
        if changed:
            bump_version(meeting)
            counts = attendance_mode_counts(meeting_id=meeting.pk)
            activity_record_merged(
                cell=meeting.cell,
                actor=actor,
                action=f"{MODE_LOG} {counts.in_person} đồng chí dự trực tiếp, {counts.online} đồng chí dự trực tuyến",
                meeting=meeting,
                prefix=MODE_LOG,
            )
    return meeting
