"""The recorded quality grade: the self-assessed grade, capped by what the app measured
(DOMAIN.md §8 "Quality grade"). The caps are data: settings.CHIBO["GRADE_CAPS"]."""

import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from meetings import workflow
from meetings.models import Conclusion, Meeting, MeetingStep, QualityGrade
from meetings.rules.attendance import AttendanceCounts, attendance_counts

GRADE_RANK = {QualityGrade.GOOD: 4, QualityGrade.FAIR: 3, QualityGrade.AVERAGE: 2, QualityGrade.POOR: 1}
FACTS = ("attendance_low", "absence_unexcused", "duration_short", "materials_late", "step_missing")

_FETCH = object()  # "not given": None is a real answer for the conclusion


class GradeVerdict(NamedTuple):
    self_grade: str  # from the conclusion; "" before there is one
    grade: str  # the recorded grade
    reasons: list[str]  # one sentence per cap that lowers the self grade

    @property
    def self_label(self) -> str:
        return QualityGrade(self.self_grade).label if self.self_grade else ""

    @property
    def label(self) -> str:
        return QualityGrade(self.grade).label if self.grade else ""

    @property
    def capped(self) -> bool:
        return self.grade != self.self_grade


def grade_caps() -> list[tuple[str, str]]:
    caps = [tuple(cap) for cap in settings.CHIBO.get("GRADE_CAPS", [])]
    for fact, grade in caps:
        if fact not in FACTS or grade not in GRADE_RANK:
            raise ImproperlyConfigured(f"CHIBO['GRADE_CAPS']: unknown cap ({fact!r}, {grade!r}).")
    return caps


def _facts(meeting: Meeting, counts: AttendanceCounts, steps) -> dict[str, str]:
    """{fact: what was measured, in Vietnamese} for each fact that holds."""
    rules = settings.CHIBO
    facts = {}
    threshold = rules["QUALITY_MIN_ATTENDANCE_RATE"]
    if counts.rate is not None and counts.rate <= threshold:
        facts["attendance_low"] = f"Tỷ lệ dự họp {counts.rate:.0%} (không quá {threshold:.0%})"
    if counts.unexcused:
        facts["absence_unexcused"] = f"Có {counts.unexcused} đảng viên vắng không lý do"
    duration = meeting.duration_minutes
    combined = meeting.combined_with_regular
    minimum = rules["MIN_DURATION_COMBINED_MINUTES" if combined else "MIN_DURATION_MINUTES"]
    if duration is not None and duration < minimum:
        context = " khi kết hợp với sinh hoạt thường kỳ" if combined else ""
        facts["duration_short"] = f"Thời lượng {duration} phút, dưới mức tối thiểu {minimum} phút{context}"
    # Measured against the start members were told of when the minutes are made, so a
    # meeting moved earlier after its notice counts as late too.
    days = rules["MATERIALS_MIN_DAYS_BEFORE"]
    start = meeting.starts_at or meeting.actual_start
    if meeting.notice_sent_at is None:
        facts["materials_late"] = "Không ghi nhận việc gửi thông báo, tài liệu trước buổi sinh hoạt"
    elif start is not None and start - meeting.notice_sent_at < datetime.timedelta(days=days):
        hours = max(int((start - meeting.notice_sent_at).total_seconds() // 3600), 0)
        facts["materials_late"] = f"Thông báo, tài liệu gửi trước buổi sinh hoạt {hours} giờ (cần ít nhất {days} ngày)"
    done = {s.step for s in steps}
    missing = [f"bước {workflow.STEP_NUMBER[s]} ({s.label})" for s in workflow.STEPS if s not in done]
    if missing:
        facts["step_missing"] = f"Thiếu bước bắt buộc: {', '.join(missing)}"
    return facts


def recorded_grade(
    meeting: Meeting, counts: AttendanceCounts | None = None, *, conclusion=_FETCH, steps=None
) -> GradeVerdict:
    """(self grade, recorded grade, reasons). Each cap below the self grade is a reason, the
    lowest of them is the grade. `conclusion`, `steps`: pass them when the caller has them."""
    if conclusion is _FETCH:
        conclusion = Conclusion.objects.filter(meeting_id=meeting.pk).first()
    if steps is None:
        steps = list(MeetingStep.objects.filter(meeting_id=meeting.pk))
    counts = counts or attendance_counts(meeting)
    self_grade = conclusion.quality_grade if conclusion is not None else ""
    facts = _facts(meeting, counts, steps)
    grade, reasons = self_grade, []
    for fact, cap in grade_caps():
        if fact not in facts or (self_grade and GRADE_RANK[cap] >= GRADE_RANK[self_grade]):
            continue  # not measured, or it would not lower this grade
        reasons.append(f"{facts[fact]}: tối đa {QualityGrade(cap).label}")
        if grade and GRADE_RANK[cap] < GRADE_RANK[grade]:
            grade = cap
    return GradeVerdict(self_grade, grade, reasons)
