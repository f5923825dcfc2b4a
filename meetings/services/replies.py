"""A member's own advance answer to a meeting notice."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from meetings.models import AttendanceReply, Meeting
from meetings.workflow import Stage

# Replies make sense only while the meeting is ahead.
REPLY_STAGES = {Stage.PLANNED, Stage.PREPARING, Stage.SCHEDULED, Stage.NOTICED}


def attendance_reply_set(*, meeting: Meeting, member, will_attend: bool, reason: str = "") -> AttendanceReply:
    """Record (or change) the member's reply; "cannot attend" needs a reason."""
    reason = " ".join((reason or "").split())
    if member.cell_id != meeting.cell_id:
        raise PermissionDenied("Đồng chí không thuộc chi bộ của buổi sinh hoạt này.")
    if not will_attend and not reason:
        raise ValidationError({"reason": "Vui lòng nêu lý do không thể tham dự."})
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.stage not in REPLY_STAGES:
            raise ValidationError("Buổi sinh hoạt đã bắt đầu hoặc đã kết thúc, không thể trả lời tham dự nữa.")
        if meeting.starts_at and meeting.starts_at <= timezone.now():
            raise ValidationError("Đã đến giờ họp, không thể trả lời tham dự nữa.")
        reply, _ = AttendanceReply.objects.update_or_create(
            meeting=meeting,
            member=member,
            defaults={"will_attend": will_attend, "reason": "" if will_attend else reason[:255]},
        )
    return reply
