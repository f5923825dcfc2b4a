"""The guard every meeting write goes through, shared by services/meetings.py and
services/meeting_run.py: lock the row, refuse a stale version, a finalised meeting or the
wrong stage; then bump the version and record who did it."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import workflow
from meetings.models import Meeting
from meetings.services.activity import activity_record
from meetings.services.topics import LOCKED_MESSAGE
from meetings.workflow import Stage

STALE_MESSAGE = (
    "Buổi sinh hoạt đã được người khác cập nhật trong lúc đồng chí đang nhập. "
    "Nội dung đồng chí vừa nhập vẫn được giữ lại bên dưới; hãy xem lại thông tin mới nhất rồi lưu lại."
)


def lock_meeting(meeting: Meeting, version: int | None = None, *, stages=None) -> Meeting:
    """Lock the row, check the version the user saw and the stage the write needs."""
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("cell", "topic", "plan").get(pk=meeting.pk)
    if locked.stage == Stage.FINALIZED:
        raise ValidationError(LOCKED_MESSAGE, code="locked")
    if version is not None and int(version) != locked.version:
        raise ValidationError(STALE_MESSAGE, code="stale")
    if stages is not None and locked.stage not in stages:
        allowed = ", ".join(f"“{Stage(s).label}”" for s in workflow.ORDER if s in stages)
        raise ValidationError(
            f"Không thể thực hiện khi buổi sinh hoạt đang ở giai đoạn “{Stage(locked.stage).label}” "
            f"(chỉ được khi: {allowed}).",
            code="stage",
        )
    return locked


def bump_version(meeting: Meeting, *fields: str) -> None:
    meeting.version += 1
    meeting.save(update_fields=[*fields, "version", "updated_at"])


def record_activity(meeting: Meeting, actor, action: str) -> None:
    activity_record(cell=meeting.cell, actor=actor, action=action, meeting=meeting, topic=None)


def aware_datetime(date: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, time), timezone.get_default_timezone())
