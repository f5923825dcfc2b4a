"""Action items of a meeting's conclusion (issue 17, item 1): the secretary writes them in step 9
while the meeting is recorded; their owners report progress, also after finalisation."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from meetings.models import (
    ActionItem,
    ActionOwnerKind,
    ActionStatus,
    Meeting,
    Member,
)
from meetings.models.limits import ACTION_NOTE_MAX_LENGTH, ACTION_TEXT_MAX_LENGTH, check_length
from meetings.services._meeting_common import lock_meeting, record_activity
from meetings.services.compliance import compliance_refresh_due
from meetings.services.topics import member_of_cell
from meetings.workflow import RECORD_EDITABLE

# The statuses an owner sets; the review at the next meeting (issue 17, item 2) sets the others.
PROGRESS_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)


def meeting_day(meeting: Meeting) -> datetime.date | None:
    """The day the meeting was held (or is to be): due dates may not be earlier."""
    if meeting.actual_start:
        return timezone.localdate(meeting.actual_start)
    return meeting.scheduled_date


def _clean(*, meeting: Meeting, text: str, owner_kind: str, owner_member: Member | None, due_on) -> dict:
    errors: dict = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = "Vui lòng ghi nội dung công việc."
    check_length(errors, "text", text, ACTION_TEXT_MAX_LENGTH)
    if owner_kind not in ActionOwnerKind.values:
        errors["owner_kind"] = "Vui lòng chọn người thực hiện."
    elif owner_kind == ActionOwnerKind.MEMBER:
        try:
            member_of_cell(meeting.cell, owner_member, label="Đảng viên thực hiện")
        except ValidationError as exc:
            errors["owner_member"] = exc.messages[0]
    else:
        owner_member = None
    day = meeting_day(meeting)
    if due_on is None:
        errors["due_on"] = "Vui lòng chọn hạn hoàn thành."
    elif day and due_on < day:
        errors["due_on"] = f"Hạn hoàn thành không được trước ngày họp ({day:%d/%m/%Y})."
    if errors:
        raise ValidationError(errors)
    return {"text": text, "owner_kind": owner_kind, "owner_member": owner_member, "due_on": due_on}


def action_item_add(
    *, meeting: Meeting, actor, text: str, owner_kind: str, owner_member: Member | None = None, due_on
) -> ActionItem:
    """A new item at the end of the meeting's list. The meeting's version is not bumped: the
    step 9 form being typed beside the list stays valid. Adding, changing and removing items
    happen before finalisation (RECORD_EDITABLE), and the committee's figures count only items
    of finalised meetings: `meeting_finalize` refreshes them (compliance_refresh_finalized)."""
    with transaction.atomic():
        meeting = lock_meeting(meeting, stages=RECORD_EDITABLE)
        data = _clean(meeting=meeting, text=text, owner_kind=owner_kind, owner_member=owner_member, due_on=due_on)
        last = ActionItem.objects.filter(meeting=meeting).aggregate(n=Max("number"))["n"] or 0
        item = ActionItem.objects.create(meeting=meeting, cell_id=meeting.cell_id, number=last + 1, **data)
        record_activity(meeting, actor, f"Phân công thực hiện kết luận: {item.number}. {item.text[:200]}")
    return item


def action_item_update(
    *, item: ActionItem, actor, text: str, owner_kind: str, owner_member: Member | None = None, due_on
) -> ActionItem:
    with transaction.atomic():
        meeting = lock_meeting(item.meeting, stages=RECORD_EDITABLE)
        data = _clean(meeting=meeting, text=text, owner_kind=owner_kind, owner_member=owner_member, due_on=due_on)
        item = ActionItem.objects.select_for_update().get(pk=item.pk, meeting=meeting)
        for name, value in data.items():
            setattr(item, name, value)
        item.save(update_fields=[*data, "updated_at"])
        record_activity(meeting, actor, f"Sửa phân công thực hiện kết luận số {item.number}")
    return item


def action_item_delete(*, item: ActionItem, actor) -> None:
    """Remove an item; the later ones move up so the printed list stays 1, 2, 3…"""
    with transaction.atomic():
        meeting = lock_meeting(item.meeting, stages=RECORD_EDITABLE)
        item = ActionItem.objects.select_for_update().get(pk=item.pk, meeting=meeting)
        number = item.number
        item.delete()
        # One by one in order, so the unique (meeting, number) never collides midway.
        for later in ActionItem.objects.filter(meeting=meeting, number__gt=number).order_by("number"):
            ActionItem.objects.filter(pk=later.pk).update(number=F("number") - 1)
        record_activity(meeting, actor, f"Bỏ phân công thực hiện kết luận số {number}")


def action_item_progress(*, item: ActionItem, actor, status: str, note: str = "") -> ActionItem:
    """The owner's report: a status and a short note. Allowed after finalisation (the minutes
    keep what was decided); who may report is checked by the scoped fetch of the view."""
    errors: dict = {}
    note = (note or "").strip()
    if status not in PROGRESS_STATUSES:
        errors["status"] = "Vui lòng chọn tình trạng thực hiện."
    check_length(errors, "note", note, ACTION_NOTE_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item.pk)
        if item.status not in PROGRESS_STATUSES:
            raise ValidationError(
                f"Việc này đã được chi bộ kiểm điểm (“{item.get_status_display()}”), không cập nhật tiến độ được nữa."
            )
        previous_done_on = item.done_on
        item.status = status
        item.progress_note = note
        item.progress_at = timezone.now()
        item.done_on = done_on_after(item, previous_done_on)
        item.save(update_fields=["status", "progress_note", "progress_at", "done_on", "updated_at"])
        # The committee's figures count the item in the quarter of its due date.
        compliance_refresh_due(cell=item.cell, due_dates=[item.due_on])
    return item


def done_on_after(item: ActionItem, previous: datetime.date | None) -> datetime.date | None:
    """The day the item was done: kept while it stays done (a second report does not make it
    later), today when it becomes done, cleared when it is no longer done."""
    if item.status != ActionStatus.DONE:
        return None
    return previous or timezone.localdate()
