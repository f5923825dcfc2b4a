"""Action items: points of a meeting's conclusion or resolution turned into work with an owner
and a due date (issue 17, item 1). Progress is recorded after the meeting is finalised, so these
rows carry no finalised-meeting guard; what was decided is frozen in the minutes snapshot."""

import datetime

from django.db import models
from django.db.models import F, Q

from meetings.models.limits import ACTION_NOTE_MAX_LENGTH, ACTION_TEXT_MAX_LENGTH, text_limits


class ActionOwnerKind(models.TextChoices):
    MEMBER = "member", "Đảng viên"
    COMMITTEE = "committee", "Chi ủy"
    CELL = "cell", "Toàn chi bộ"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Đã hoàn thành"
    NOT_DONE = "not_done", "Không hoàn thành"
    DROPPED = "dropped", "Thôi thực hiện"


# Statuses still waiting for work (reminders, overdue lists).
ACTION_PENDING_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def on_time_q() -> Q:
    """Done on or before the due date."""
    return Q(status=ActionStatus.DONE, done_on__isnull=False, done_on__lte=F("due_on"))


def late_q(today: datetime.date) -> Q:
    """Past its due date and not done on time; dropped items are never late (`ActionItem.late`)."""
    return Q(due_on__lt=today) & ~Q(status=ActionStatus.DROPPED) & ~on_time_q()


class ActionItem(models.Model):
    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name="buổi sinh hoạt", on_delete=models.CASCADE, related_name="action_items"
    )
    # Denormalised from the meeting for the cell's register and the secretary's overdue list.
    cell = models.ForeignKey(
        "meetings.Organization", verbose_name="chi bộ", on_delete=models.CASCADE, related_name="action_items"
    )
    number = models.PositiveSmallIntegerField("thứ tự")
    text = models.TextField("nội dung công việc", max_length=ACTION_TEXT_MAX_LENGTH)
    owner_kind = models.CharField(
        "người thực hiện", max_length=16, choices=ActionOwnerKind.choices, default=ActionOwnerKind.MEMBER
    )
    owner_member = models.ForeignKey(
        "meetings.Member",
        verbose_name="đảng viên thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    due_on = models.DateField("hạn hoàn thành")
    status = models.CharField("tình trạng", max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    progress_note = models.TextField("ghi chú tiến độ", max_length=ACTION_NOTE_MAX_LENGTH, blank=True)
    progress_at = models.DateTimeField("cập nhật tiến độ lúc", null=True, blank=True)
    # The local day the item became done (by its owner's report or a review); empty otherwise.
    # "Done on time" is done_on <= due_on: the committee's dashboard counts it.
    done_on = models.DateField("hoàn thành ngày", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "việc thực hiện kết luận"
        verbose_name_plural = "việc thực hiện kết luận"
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="action_item_number_unique"),
            models.CheckConstraint(
                condition=Q(owner_kind="member", owner_member__isnull=False) | ~Q(owner_kind="member"),
                name="action_item_member_owner",
            ),
            *text_limits("action_item", text=ACTION_TEXT_MAX_LENGTH, progress_note=ACTION_NOTE_MAX_LENGTH),
        ]
        indexes = [
            models.Index(fields=["owner_member", "status"], name="action_item_owner_idx"),
            models.Index(fields=["cell", "status", "due_on"], name="action_item_cell_due_idx"),
            # The dashboard's drill-down and the daily overdue refresh select items by due date.
            models.Index(fields=["due_on", "cell"], name="action_item_due_cell_idx"),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"

    @property
    def done_on_time(self) -> bool:
        return self.status == ActionStatus.DONE and self.done_on is not None and self.done_on <= self.due_on

    def late(self, today: datetime.date) -> bool:
        """Past its due date and not done on time (a dropped item is never late); the same rule
        as `late_q` that the dashboard's figures count with."""
        return self.status != ActionStatus.DROPPED and not self.done_on_time and self.due_on < today

    @property
    def owner_label(self) -> str:
        if self.owner_kind == ActionOwnerKind.MEMBER and self.owner_member_id:
            return f"Đồng chí {self.owner_member.full_name}"
        return self.get_owner_kind_display()
