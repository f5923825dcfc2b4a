"""The nine steps of the meeting: what each one records and what it needs first."""

from meetings.models import Conclusion, Meeting, MeetingStep
from meetings.rules.attendance import attendance_missing
from meetings.workflow import STEP_NUMBER, STEPS, Step

# Steps that record a text on the meeting, and the field that holds it.
STEP_TEXT_FIELD = {
    Step.PROGRAMME: "programme",
    Step.PURPOSE: "purpose",
    Step.LEAD_PAPER: "lead_paper_summary",
    Step.RESPONSE: "author_response",
}

# The usual order of a thematic meeting, offered until the cell writes its own programme.
DEFAULT_PROGRAMME = (
    "1. Tuyên bố lý do, giới thiệu đại biểu; cử thư ký.\n2. Báo cáo tình hình đảng viên dự họp.\n"
    "3. Trình bày đề dẫn chuyên đề.\n4. Đảng viên phát biểu, thảo luận.\n"
    "5. Tiếp thu ý kiến; chủ trì kết luận, định hướng."
)


def step_text(meeting: Meeting, step: str) -> str:
    """The text a step shows: what was recorded, else the programme or the topic's purpose."""
    field = STEP_TEXT_FIELD.get(step)
    recorded = getattr(meeting, field) if field else ""
    if recorded:
        return recorded
    if step == Step.PROGRAMME:
        return DEFAULT_PROGRAMME
    if step == Step.PURPOSE and meeting.topic_id:
        return meeting.topic.description
    return ""


def attendance_problem(meeting: Meeting) -> str:
    missing = attendance_missing(meeting)
    if not missing:
        return ""
    return f"Chưa điểm danh {len(missing)} đảng viên: {', '.join(missing[:5])}."


def step_not_ready(meeting: Meeting, step: str) -> str:
    """Why a step cannot be recorded yet from what the meeting holds ("" when it can)."""
    if step == Step.ATTENDANCE:
        return attendance_problem(meeting)
    if step == Step.DISCUSSION and not meeting.speeches.exists():
        return "Chưa ghi ý kiến phát biểu nào."
    if step == Step.CONCLUSION and not Conclusion.objects.filter(meeting=meeting).exists():
        return "Chưa ghi kết luận của chủ trì."
    return ""


def step_order_warning(meeting: Meeting, step: str) -> str:
    """Steps follow the guide's order; recording one before an earlier one is allowed (the
    clerk may catch up) but the minutes say so. A step once recorded out of order keeps its
    warning when recorded again."""
    recorded = dict(MeetingStep.objects.filter(meeting=meeting).values_list("step", "order_warning"))
    if recorded.get(step):
        return recorded[step]
    earlier = [s for s in STEPS[: STEP_NUMBER[step] - 1] if s not in recorded]
    if not earlier:
        return ""
    numbers = ", ".join(str(STEP_NUMBER[s]) for s in earlier)
    return (
        f"Bước {STEP_NUMBER[step]} ({Step(step).label}) được ghi nhận khi bước {numbers} "
        "chưa được ghi nhận (không đúng trình tự)."
    )[:255]
