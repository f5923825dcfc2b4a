"""The review of earlier action items at a later meeting of the cell (issue 17, item 2): one row
per item and reviewing meeting. Rows belong to the reviewing meeting, so they carry the
finalised-meeting guard: once its minutes are sealed, what the cell said stays as printed."""

from django.db import models

from meetings.models.actions import ActionStatus
from meetings.models.integrity import guard_children
from meetings.models.limits import ACTION_NOTE_MAX_LENGTH, text_limits

# The statuses a review may set (an item cannot be reviewed back to "not started").
REVIEW_STATUSES = (ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.NOT_DONE, ActionStatus.DROPPED)


class ActionReview(models.Model):
    item = models.ForeignKey(
        "meetings.ActionItem", verbose_name="việc thực hiện", on_delete=models.CASCADE, related_name="reviews"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="buổi sinh hoạt kiểm điểm",
        on_delete=models.CASCADE,
        related_name="action_reviews",
    )
    status = models.CharField(
        "tình trạng",
        max_length=16,
        choices=[(s.value, s.label) for s in REVIEW_STATUSES],
    )
    note = models.TextField("ghi chú", max_length=ACTION_NOTE_MAX_LENGTH, blank=True)
    reviewed_at = models.DateTimeField("kiểm điểm lúc")
    reviewed_by = models.ForeignKey(
        "meetings.User", verbose_name="người ghi", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "kiểm điểm việc thực hiện"
        verbose_name_plural = "kiểm điểm việc thực hiện"
        ordering = ["meeting", "item"]
        constraints = [
            models.UniqueConstraint(fields=["item", "meeting"], name="action_review_once_per_meeting"),
            *text_limits("action_review", note=ACTION_NOTE_MAX_LENGTH),
        ]
        indexes = [models.Index(fields=["item", "reviewed_at"], name="action_review_item_idx")]
        triggers = [guard_children()]

    def __str__(self):
        return f"{self.item_id} @ {self.meeting_id}: {self.status}"
