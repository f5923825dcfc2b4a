"""The roll call (DOMAIN.md §8): one member, many, or "everyone present" in one click.

Each entry is an absolute value ("this member is present"), so two posts about different
members never contradict each other: the views call these without the page's version, and
the meeting row lock serialises them. The activity log gets one entry per roll call, not
one per click (services/activity.py, activity_record_merged)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from meetings.models import EXPECTED_STATUSES, Attendance, AttendanceReply, AttendanceStatus, Meeting, MemberStatus
from meetings.rules.attendance import (
    NOT_ATTENDING,
    attendance_members,
    exempt_status_allowed,
    expected_members,
    reason_missing,
)
from meetings.services._meeting_common import bump_version, lock_meeting
from meetings.services.activity import activity_record_merged
from meetings.workflow import RECORD_EDITABLE

ROLL_CALL = "Điểm danh"


def meeting_attendance_set(
    *, meeting: Meeting, actor, version: int | None, entries: dict[int, tuple[str, str]]
) -> Meeting:
    """Record attendance for one or many members: {member_id: (status, reason)}."""
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
        members = {m.pk: m for m in attendance_members(meeting).filter(pk__in=list(entries))}
        errors = []
        clean, not_attending = {}, []
        for member_id, (status, reason) in entries.items():
            member = members.get(member_id)
            reason = " ".join((reason or "").split())[:255]
            if member is None:
                errors.append("Có đảng viên không thuộc danh sách phải dự họp của chi bộ.")
                continue
            if member.status == MemberStatus.EXEMPT:
                # Not expected: only a presence is recorded, never an absence.
                if not exempt_status_allowed(status):
                    errors.append(f"Đồng chí {member} miễn sinh hoạt: chỉ ghi có mặt khi đồng chí đến dự.")
                elif status == NOT_ATTENDING:
                    not_attending.append(member_id)
                else:
                    clean[member_id] = (status, "")
                continue
            if status not in AttendanceStatus.values:
                errors.append(f"Chọn tình trạng dự họp của {member}.")
                continue
            if reason_missing(status, reason):
                errors.append(f"{member} vắng có lý do: vui lòng ghi lý do.")
                continue
            if status == AttendanceStatus.PRESENT:
                reason = ""
            clean[member_id] = (status, reason)
        if errors:
            raise ValidationError(errors)
        existing = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting, member_id__in=list(clean))}
        new, changed = [], []
        for member_id, (status, reason) in clean.items():
            att = existing.get(member_id)
            if att is None:
                new.append(Attendance(meeting=meeting, member_id=member_id, status=status, reason=reason))
            elif (att.status, att.reason) != (status, reason):
                att.status, att.reason = status, reason
                changed.append(att)
        Attendance.objects.bulk_create(new)
        Attendance.objects.filter(meeting=meeting, member_id__in=not_attending).delete()
        for att in changed:
            att.save(update_fields=["status", "reason", "recorded_at"])
        bump_version(meeting)
        _log_roll_call(meeting, actor)
    return meeting


def meeting_attendance_all_present(*, meeting: Meeting, actor, version: int | None = None) -> int:
    """Mark present every expected member not yet marked, except those who replied in advance
    that they would be absent (their row stays pre-filled for the secretary to confirm).
    Returns how many were marked."""
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
        replied_absent = AttendanceReply.objects.filter(meeting=meeting, will_attend=False).values("member_id")
        members = list(
            expected_members(meeting)
            .exclude(attendances__meeting=meeting)
            .exclude(pk__in=replied_absent)
            .values_list("pk", flat=True)
        )
        Attendance.objects.bulk_create(
            [Attendance(meeting=meeting, member_id=pk, status=AttendanceStatus.PRESENT) for pk in members]
        )
        bump_version(meeting)
        _log_roll_call(meeting, actor)
    return len(members)


def _log_roll_call(meeting: Meeting, actor) -> None:
    """One entry per roll call: it states the totals so far, and a later click by the same
    person within a few minutes updates it instead of adding a line."""
    counts = dict(
        Attendance.objects.filter(meeting=meeting, member__status__in=EXPECTED_STATUSES)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    text = (
        f"{ROLL_CALL}: {counts.get(AttendanceStatus.PRESENT, 0)} có mặt, "
        f"{counts.get(AttendanceStatus.EXCUSED, 0)} vắng có lý do, "
        f"{counts.get(AttendanceStatus.UNEXCUSED, 0)} vắng không lý do"
    )
    activity_record_merged(cell=meeting.cell, actor=actor, action=text, meeting=meeting, prefix=f"{ROLL_CALL}:")
