"""The review of earlier action items at the next meeting of the cell (issue 17, item 2): one
status and note per item, recorded while the reviewing meeting is in progress or held; the
item takes the reviewed status."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from meetings.models import REVIEW_STATUSES, ActionItem, ActionReview, ActionStatus, Meeting
from meetings.models.limits import ACTION_NOTE_MAX_LENGTH, check_length
from meetings.selectors.action_reviews import review_candidates, reviews_here
from meetings.services._meeting_common import lock_meeting, record_activity
from meetings.services.actions import done_on_after
from meetings.services.compliance import compliance_refresh_due
from meetings.workflow import RECORD_EDITABLE


def action_item_review(*, item: ActionItem, meeting: Meeting, actor, status: str, note: str = "") -> ActionReview:
    errors: dict = {}
    note = (note or "").strip()
    if status not in REVIEW_STATUSES:
        errors["status"] = "Vui lòng chọn tình trạng thực hiện."
    check_length(errors, "note", note, ACTION_NOTE_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Refuses after finalisation (the sealed minutes print the review as it stood).
        meeting = lock_meeting(meeting, stages=RECORD_EDITABLE)
        if not reviews_here(meeting):
            raise ValidationError("Loại buổi sinh hoạt này không kiểm điểm việc thực hiện kết luận kỳ trước.")
        locked = review_candidates(meeting).select_for_update(of=("self",)).filter(pk=item.pk).first()
        if locked is None:
            raise ValidationError("Việc này không thuộc danh sách kiểm điểm của buổi sinh hoạt.")
        review, _ = ActionReview.objects.update_or_create(
            item=locked,
            meeting=meeting,
            defaults={"status": status, "note": note, "reviewed_at": timezone.now(), "reviewed_by": actor},
        )
        previous_done_on = locked.done_on
        locked.status = status
        locked.done_on = done_on_after(locked, previous_done_on)
        locked.save(update_fields=["status", "done_on", "updated_at"])
        # The item's figures move now; the reviewing meeting's flag at its finalisation.
        compliance_refresh_due(cell=meeting.cell, due_dates=[locked.due_on])
        record_activity(meeting, actor, f"Kiểm điểm việc “{locked.text[:120]}”: {ActionStatus(status).label.lower()}")
    return review
