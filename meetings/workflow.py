"""The life of a meeting as data: stages, allowed transitions and the steps of the meeting.

No database access here: services ask this module whether a move is allowed, templates ask
it which buttons to show.
"""

from django.core.exceptions import ValidationError
from django.db import models


class Stage(models.TextChoices):
    PLANNED = "planned", "Đã lên kế hoạch"
    PREPARING = "preparing", "Đang chuẩn bị"
    SCHEDULED = "scheduled", "Đã lên lịch"
    NOTICED = "noticed", "Đã gửi thông báo"
    IN_PROGRESS = "in_progress", "Đang sinh hoạt"
    HELD = "held", "Đã sinh hoạt, chờ hoàn tất biên bản"
    FINALIZED = "finalized", "Đã hoàn tất biên bản"
    CANCELLED = "cancelled", "Đã hủy"


ORDER = [
    Stage.PLANNED,
    Stage.PREPARING,
    Stage.SCHEDULED,
    Stage.NOTICED,
    Stage.IN_PROGRESS,
    Stage.HELD,
    Stage.FINALIZED,
]

# Forward one step at a time; backward freely until finalisation; cancel before holding.
ALLOWED: dict[str, set[str]] = {
    Stage.PLANNED: {Stage.PREPARING, Stage.CANCELLED},
    Stage.PREPARING: {Stage.PLANNED, Stage.SCHEDULED, Stage.CANCELLED},
    Stage.SCHEDULED: {Stage.PLANNED, Stage.PREPARING, Stage.NOTICED, Stage.CANCELLED},
    Stage.NOTICED: {Stage.PLANNED, Stage.PREPARING, Stage.SCHEDULED, Stage.IN_PROGRESS, Stage.CANCELLED},
    Stage.IN_PROGRESS: {Stage.NOTICED, Stage.HELD},
    Stage.HELD: {Stage.IN_PROGRESS, Stage.FINALIZED},
    Stage.FINALIZED: set(),
    Stage.CANCELLED: {Stage.PLANNED},
}

# Stages in which the meeting's schedule may still be edited.
SCHEDULE_EDITABLE = {Stage.PLANNED, Stage.PREPARING, Stage.SCHEDULED, Stage.NOTICED}
# Stages in which the meeting's record (attendance, speeches, conclusion) may be edited.
RECORD_EDITABLE = {Stage.IN_PROGRESS, Stage.HELD}
# Stages that mean "a meeting is on the calendar" for quarter watch and reminders.
ON_CALENDAR = {Stage.SCHEDULED, Stage.NOTICED, Stage.IN_PROGRESS, Stage.HELD, Stage.FINALIZED}

# Each button is named after where it leads: the forward move (and cancelling, restoring) ...
TRANSITION_LABELS = {
    Stage.PREPARING: "Bắt đầu chuẩn bị",
    Stage.SCHEDULED: "Lên lịch họp",
    Stage.NOTICED: "Gửi thông báo triệu tập",
    Stage.IN_PROGRESS: "Bắt đầu buổi sinh hoạt",
    Stage.HELD: "Kết thúc buổi sinh hoạt",
    Stage.FINALIZED: "Sang hoàn tất biên bản",
    Stage.CANCELLED: "Hủy buổi sinh hoạt",
    Stage.PLANNED: "Khôi phục về giai đoạn kế hoạch",
}
# ... and the move back, a secondary action.
BACK_LABELS = {
    Stage.PLANNED: "Quay lại giai đoạn kế hoạch",
    Stage.PREPARING: "Quay lại giai đoạn chuẩn bị",
    Stage.SCHEDULED: "Quay lại giai đoạn lên lịch",
    Stage.NOTICED: "Quay lại giai đoạn đã gửi thông báo",
    Stage.IN_PROGRESS: "Quay lại giai đoạn đang sinh hoạt",
}


def is_forward(current: str, target: str) -> bool:
    if target not in ORDER or current not in ORDER:
        return False
    return ORDER.index(target) > ORDER.index(current)


def next_stage(current: str) -> str | None:
    """The one forward move the page offers as its primary button."""
    if current not in ORDER or current == ORDER[-1]:
        return None
    return ORDER[ORDER.index(current) + 1]


def transition_label(current: str, target: str) -> str:
    if target in BACK_LABELS and current in ORDER and not is_forward(current, target):
        return BACK_LABELS[target]
    return TRANSITION_LABELS.get(target, Stage(target).label)


def allowed_targets(current: str) -> list[str]:
    return [s for s in [*ORDER, Stage.CANCELLED] if s in ALLOWED.get(current, set())]


def check_transition(current: str, target: str) -> None:
    if target not in ALLOWED.get(current, set()):
        raise ValidationError(
            f"Không thể chuyển từ “{Stage(current).label}” sang “{Stage(target).label}”.",
            code="transition",
        )


class Step(models.TextChoices):
    """The nine steps of the meeting itself (DOMAIN.md §6)."""

    OPENING = "opening", "Tuyên bố lý do, giới thiệu đại biểu"
    CLERK = "clerk", "Cử thư ký ghi biên bản"
    ATTENDANCE = "attendance", "Thông báo tình hình đảng viên dự họp"
    PROGRAMME = "programme", "Thông qua nội dung, chương trình"
    PURPOSE = "purpose", "Bí thư nêu mục đích, yêu cầu"
    LEAD_PAPER = "lead_paper", "Trình bày đề dẫn chuyên đề"
    DISCUSSION = "discussion", "Đảng viên phát biểu, thảo luận"
    RESPONSE = "response", "Người chuẩn bị đề dẫn tiếp thu ý kiến"
    CONCLUSION = "conclusion", "Đánh giá, kết luận, định hướng"


STEPS = list(Step)
STEP_NUMBER = {step: i + 1 for i, step in enumerate(STEPS)}
