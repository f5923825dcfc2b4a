"""What a meeting still lacks, what to warn about, and how its quality is graded
(DOMAIN.md §5–§8). Thresholds come from settings.CHIBO."""

import datetime

from django.conf import settings
from django.utils import timezone

from meetings import workflow
from meetings.models import (
    Attendance,
    AttendanceStatus,
    Conclusion,
    LeadPaperStatus,
    Meeting,
    MeetingKind,
    MeetingMode,
    MeetingStep,
    Position,
    QualityGrade,
)
from meetings.periods import grace_days, grace_ends, quarter_bounds, quarter_closed, quarter_label
from meetings.rules.attendance import AttendanceCounts, attendance_counts
from meetings.rules.meeting_mode import mode_warnings
from meetings.rules.steps import attendance_problem
from meetings.selectors.meeting_mode import attendance_mode_counts
from meetings.selectors.receipts import MaterialsSummary, materials_summary
from meetings.workflow import Stage

CHAIR_IS_CLERK = "Người chủ trì và thư ký phải là hai đồng chí khác nhau."

# --- stages -------------------------------------------------------------------------------


def transition_problems(meeting: Meeting, target: str) -> list[str]:
    """What keeps the meeting from moving to `target`, besides workflow.ALLOWED."""
    problems = []
    if target == Stage.PREPARING and meeting.topic_id is None:
        problems.append("Buổi sinh hoạt chưa có chuyên đề.")
    if target == Stage.SCHEDULED and not (meeting.scheduled_date and meeting.start_time and meeting.place):
        problems.append("Chưa nhập đủ ngày, giờ và địa điểm họp.")
    if target == Stage.NOTICED:
        topic = meeting.topic
        if topic is None or topic.lead_paper_status != LeadPaperStatus.APPROVED:
            problems.append("Đề dẫn chưa được duyệt; cần duyệt đề dẫn trước khi gửi thông báo và tài liệu.")
    if target == Stage.IN_PROGRESS and not meeting.scheduled_date:
        problems.append("Chưa có ngày họp.")
    if target == Stage.IN_PROGRESS and meeting.scheduled_date and meeting.scheduled_date > timezone.localdate():
        # A meeting is held on its day: starting early would let a cell count it before it happens.
        problems.append(
            f"Chưa đến ngày họp ({meeting.scheduled_date:%d/%m/%Y}): chỉ bắt đầu sinh hoạt từ ngày họp trở đi."
        )
    return problems


# What each period-checked action is called in a sentence.
PERIOD_ACTIONS = {
    "schedule": "xếp lịch",
    Stage.IN_PROGRESS: "bắt đầu",
    Stage.HELD: "ghi nhận đã sinh hoạt",
    Stage.FINALIZED: "hoàn tất biên bản",
}


def period_check(
    meeting: Meeting, year: int, quarter: int, action: str, *, today: datetime.date | None = None
) -> tuple[str, str]:
    """(refusal, warning) for an action that makes a thematic meeting count for (year, quarter).

    A closed quarter cannot be made compliant after the fact: refused once its grace days are
    over; inside them allowed, with a warning the meeting keeps and the minutes store."""
    if meeting.kind != MeetingKind.THEMATIC:
        return "", ""
    today = today or timezone.localdate()
    end = quarter_bounds(year, quarter)[1]
    if today <= end:
        return "", ""
    label, verb, grace = quarter_label(year, quarter), PERIOD_ACTIONS[action], grace_days()
    if quarter_closed(year, quarter, today=today):
        hint = " Đồng chí hãy chọn ngày họp trong quý hiện tại." if action == "schedule" else ""
        return (
            f"{label} đã kết thúc ngày {end:%d/%m/%Y} (hết {grace} ngày bổ sung vào ngày "
            f"{grace_ends(year, quarter):%d/%m/%Y}); không thể {verb} buổi sinh hoạt chuyên đề "
            f"để tính cho quý đã kết thúc.{hint}",
            "",
        )
    return "", (
        f"Buổi sinh hoạt chuyên đề {label} được {verb} ngày {today:%d/%m/%Y}, sau khi quý kết thúc "
        f"({end:%d/%m/%Y}), trong thời hạn bổ sung {grace} ngày."
    )


def notice_problem(meeting: Meeting, now: datetime.datetime | None = None) -> str:
    """A notice is for members to prepare: none once the meeting has started."""
    if meeting.stage in (Stage.IN_PROGRESS, Stage.HELD):
        return "Buổi sinh hoạt đã bắt đầu; không thể gửi thông báo nữa."
    now = now or timezone.now()
    if meeting.starts_at and now >= meeting.starts_at:
        return (
            f"Đã quá giờ họp ({timezone.localtime(meeting.starts_at):%H:%M %d/%m/%Y}); không thể gửi thông báo "
            "sau khi buổi sinh hoạt bắt đầu. Nếu buổi sinh hoạt chưa diễn ra, đồng chí hãy dời lịch họp trước."
        )
    return ""


def notice_warning_for(meeting: Meeting, now: datetime.datetime | None = None) -> str:
    """Materials must reach members at least N days before the meeting (DOMAIN.md §5)."""
    min_days = settings.CHIBO["MATERIALS_MIN_DAYS_BEFORE"]
    if not meeting.starts_at:
        return ""
    now = now or timezone.now()
    if meeting.starts_at - now < datetime.timedelta(days=min_days):
        return (
            f"Thông báo và tài liệu được gửi chưa đủ {min_days} ngày trước buổi sinh hoạt "
            f"({timezone.localtime(meeting.starts_at):%H:%M %d/%m/%Y}); đảng viên có thể không kịp nghiên cứu."
        )
    return ""


def default_chair(members) -> int | None:
    """The cell's secretary chairs unless someone else is chosen."""
    return next((m.pk for m in members if m.position == Position.SECRETARY), None)


# --- quality ------------------------------------------------------------------------------


def quality_criteria() -> list[tuple[str, str, int]]:
    """(key, label, maximum score) of each criterion; the maxima sum to 100."""
    return [tuple(c) for c in settings.CHIBO["QUALITY_CRITERIA"]]


def grade_thresholds() -> dict[str, int]:
    """Lowest score of each grade: {"good": …, "fair": …, "average": …}."""
    return settings.CHIBO["GRADE_THRESHOLDS"]


def grade_for(score: int) -> str:
    thresholds = grade_thresholds()
    if score >= thresholds["good"]:
        return QualityGrade.GOOD
    if score >= thresholds["fair"]:
        return QualityGrade.FAIR
    if score >= thresholds["average"]:
        return QualityGrade.AVERAGE
    return QualityGrade.POOR


# --- finalisation -------------------------------------------------------------------------


def meeting_missing_steps(meeting: Meeting) -> list[str]:
    """What still blocks finalisation (each a Vietnamese sentence)."""
    problems = []
    done = set(MeetingStep.objects.filter(meeting=meeting).values_list("step", flat=True))
    for step in workflow.STEPS:
        if step not in done:
            problems.append(f"Chưa ghi nhận bước {workflow.STEP_NUMBER[step]}: {step.label}.")
    missing = attendance_problem(meeting)
    if missing:
        problems.append(missing)
    if not Conclusion.objects.filter(meeting=meeting).exists():
        problems.append("Chưa có kết luận của chủ trì.")
    if not meeting.actual_start or not meeting.actual_end:
        problems.append("Chưa ghi giờ bắt đầu và giờ kết thúc thực tế.")
    elif meeting.actual_end > timezone.now():
        end = timezone.localtime(meeting.actual_end)
        problems.append(
            f"Giờ kết thúc thực tế ({end:%H:%M} ngày {end:%d/%m/%Y}) chưa tới: "
            "chỉ hoàn tất biên bản sau khi buổi sinh hoạt kết thúc."
        )
    if not meeting.chair_id:
        problems.append("Chưa chọn người chủ trì.")
    if not meeting.clerk_id:
        problems.append("Chưa cử thư ký ghi biên bản.")
    if meeting.chair_id and meeting.chair_id == meeting.clerk_id:
        problems.append(CHAIR_IS_CLERK)
    if not meeting.minutes_read_back_at or not meeting.minutes_adoption:
        problems.append(ADOPTION_MISSING)
    else:
        problem = read_back_problem(meeting, meeting.minutes_read_back_at)
        if problem:
            problems.append(problem)
    return problems


ADOPTION_MISSING = (
    "Chưa ghi việc thư ký đọc lại biên bản và kết quả chi bộ thông qua biên bản "
    "(thống nhất 100% hoặc có ý kiến bảo lưu)."
)


def read_back_problem(meeting: Meeting, read_back_at) -> str:
    """The minutes are read back before closing: inside the meeting's actual times."""
    if meeting.actual_start and read_back_at < meeting.actual_start:
        start = timezone.localtime(meeting.actual_start)
        return f"Giờ đọc lại biên bản phải sau giờ bắt đầu buổi sinh hoạt ({start:%H:%M})."
    if meeting.actual_end and read_back_at > meeting.actual_end:
        end = timezone.localtime(meeting.actual_end)
        return f"Biên bản được đọc lại trước khi bế mạc: giờ đọc lại không được sau giờ kết thúc ({end:%H:%M})."
    return ""


def meeting_warnings(
    meeting: Meeting,
    counts: AttendanceCounts | None = None,
    steps: list[MeetingStep] | None = None,
    *,
    materials: MaterialsSummary | None = None,
) -> list[str]:
    """Shown before finalising and stored on the minutes; they do not block. `steps`,
    `materials`: the recorded steps and the materials receipts when the caller has them already."""
    rules = settings.CHIBO
    warnings = []
    duration = meeting.duration_minutes
    minimum = rules["MIN_DURATION_COMBINED_MINUTES"] if meeting.combined_with_regular else rules["MIN_DURATION_MINUTES"]
    if duration is not None and duration < minimum:
        context = " khi kết hợp với sinh hoạt thường kỳ" if meeting.combined_with_regular else ""
        warnings.append(f"Thời lượng sinh hoạt {duration} phút, dưới mức tối thiểu {minimum} phút{context}.")
    counts = counts or attendance_counts(meeting)
    if counts.rate is not None and counts.rate <= rules["QUALITY_MIN_ATTENDANCE_RATE"]:
        warnings.append(
            f"Tỷ lệ đảng viên dự họp {counts.rate:.0%} ({counts.present}/{counts.expected}), "
            f"chưa vượt mức {rules['QUALITY_MIN_ATTENDANCE_RATE']:.0%}."
        )
    if counts.unexcused:
        names = list(
            Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.UNEXCUSED).values_list(
                "member__full_name", flat=True
            )
        )
        warnings.append(f"Có {counts.unexcused} đảng viên vắng không lý do: {', '.join(names)}.")
    if meeting.notice_warning:
        warnings.append(meeting.notice_warning)
    if materials is None and meeting.notice_sent_at is not None:
        materials = materials_summary(meeting=meeting)
    if materials is not None and materials.warning:  # members the materials never reached
        warnings.append(materials.warning)
    # Online and hybrid meetings: the conditions of HD 03-HD/TW (rules/meeting_mode.py).
    hybrid = meeting.mode == MeetingMode.HYBRID
    modes = attendance_mode_counts(meeting_id=meeting.pk) if hybrid else None
    warnings.extend(mode_warnings(meeting, expected=counts.expected, modes=modes))
    if steps is None:
        steps = list(MeetingStep.objects.filter(meeting=meeting))
    steps = sorted(steps, key=lambda s: workflow.STEP_NUMBER.get(s.step, 0))
    warnings.extend(s.order_warning for s in steps if s.order_warning)
    if meeting.period_warning:
        warnings.append(meeting.period_warning)
    return warnings
