"""Scheduling, notice, running and finalising a meeting (DOMAIN.md §6–§8).

Every write locks the meeting row, refuses a stale `version` (two people editing the same
meeting), refuses once the meeting is finalised, bumps the version and records who did it.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from meetings import workflow
from meetings.models import (
    EXPECTED_STATUSES,
    Attendance,
    AttendanceStatus,
    CombinedOrder,
    Conclusion,
    Contribution,
    Guest,
    LeadPaperStatus,
    Meeting,
    MeetingStep,
    Member,
    Minutes,
    MinutesAddendum,
    QualityGrade,
    Resolution,
    Speech,
)
from meetings.periods import quarter_of
from meetings.services import notifications
from meetings.services.activity import activity_record
from meetings.services.compliance import compliance_refresh
from meetings.services.minutes import minutes_create
from meetings.services.reports import report_submit
from meetings.services.topics import LOCKED_MESSAGE, member_of_cell
from meetings.workflow import RECORD_EDITABLE, SCHEDULE_EDITABLE, Stage, Step

STALE_MESSAGE = (
    "Buổi sinh hoạt đã được người khác cập nhật trong lúc bạn đang nhập. "
    "Nội dung bạn vừa nhập vẫn được giữ lại bên dưới; hãy xem lại thông tin mới nhất rồi lưu lại."
)


# --- locking and guards -------------------------------------------------------------------


def _lock(meeting: Meeting, version: int | None = None, *, stages=None) -> Meeting:
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


def _bump(meeting: Meeting, *fields: str) -> None:
    meeting.version += 1
    meeting.save(update_fields=[*fields, "version", "updated_at"])


def _record(meeting: Meeting, actor, action: str) -> None:
    activity_record(cell=meeting.cell, actor=actor, action=action, meeting=meeting, topic=None)


def _aware(date: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, time), timezone.get_default_timezone())


def expected_members(meeting: Meeting):
    return Member.objects.filter(cell_id=meeting.cell_id, status__in=EXPECTED_STATUSES)


# --- scheduling ---------------------------------------------------------------------------


def meeting_schedule(
    *,
    meeting: Meeting,
    actor,
    version: int | None,
    scheduled_date: datetime.date,
    start_time: datetime.time,
    place: str,
    chair: Member | None = None,
    clerk: Member | None = None,
    combined_with_regular: bool = False,
    combined_order: str = "",
) -> Meeting:
    """Date, time, place, chair, minute-taker and the combined-session order. Year and quarter
    follow the date; reminders and compliance follow a moved meeting."""
    errors = {}
    if scheduled_date is None:
        errors["scheduled_date"] = "Vui lòng chọn ngày họp."
    if start_time is None:
        errors["start_time"] = "Vui lòng nhập giờ bắt đầu."
    if not (place or "").strip():
        errors["place"] = "Vui lòng nhập địa điểm."
    if combined_with_regular and combined_order not in CombinedOrder.values:
        errors["combined_order"] = "Khi kết hợp với sinh hoạt thường kỳ, hãy chọn thứ tự tiến hành."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = _lock(meeting, version, stages=SCHEDULE_EDITABLE)
        if chair is not None:
            member_of_cell(meeting.cell, chair, label="Người chủ trì")
        if clerk is not None:
            member_of_cell(meeting.cell, clerk, label="Thư ký")
        if meeting.plan_id and scheduled_date.year != meeting.year and meeting.plan.year != scheduled_date.year:
            raise ValidationError({"scheduled_date": f"Ngày họp phải thuộc năm {meeting.plan.year} của kế hoạch."})
        topic = meeting.topic
        if topic is not None:
            late = [d for d in [topic.lead_paper_due, *topic.contributions.values_list("due_on", flat=True)] if d]
            if late and max(late) > scheduled_date:
                raise ValidationError(
                    {
                        "scheduled_date": f"Ngày họp phải sau các hạn nộp đề dẫn, tham luận "
                        f"(hạn muộn nhất {max(late):%d/%m/%Y})."
                    }
                )
        old_period = (meeting.year, meeting.quarter)
        moved = meeting.scheduled_date != scheduled_date or meeting.start_time != start_time
        meeting.scheduled_date = scheduled_date
        meeting.start_time = start_time
        meeting.starts_at = _aware(scheduled_date, start_time)
        meeting.place = place.strip()[:255]
        meeting.chair = chair
        meeting.clerk = clerk
        meeting.combined_with_regular = bool(combined_with_regular)
        meeting.combined_order = combined_order if combined_with_regular else ""
        meeting.year = scheduled_date.year
        meeting.quarter = quarter_of(scheduled_date)
        _bump(
            meeting,
            "scheduled_date",
            "start_time",
            "starts_at",
            "place",
            "chair",
            "clerk",
            "combined_with_regular",
            "combined_order",
            "year",
            "quarter",
        )
        _record(
            meeting, actor, f"Cập nhật lịch họp: {start_time:%H:%M} ngày {scheduled_date:%d/%m/%Y}, {meeting.place}"
        )
        if moved and meeting.stage in (Stage.SCHEDULED, Stage.NOTICED):
            notifications.notifications_for_schedule_change(meeting=meeting)
        compliance_refresh(cell=meeting.cell, year=meeting.year, quarter=meeting.quarter)
        if old_period != (meeting.year, meeting.quarter):
            compliance_refresh(cell=meeting.cell, year=old_period[0], quarter=old_period[1])
    return meeting


def meeting_guest_add(*, meeting: Meeting, actor, version: int | None, name: str, title: str = "") -> Guest:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Vui lòng nhập họ tên đại biểu."})
    with transaction.atomic():
        meeting = _lock(meeting, version, stages=SCHEDULE_EDITABLE | RECORD_EDITABLE)
        guest = Guest.objects.create(meeting=meeting, name=name[:120], title=(title or "").strip()[:255])
        _bump(meeting)
        _record(meeting, actor, f"Thêm đại biểu {guest.name}")
    return guest


def meeting_guest_remove(*, meeting: Meeting, actor, version: int | None, guest_id: int) -> None:
    with transaction.atomic():
        meeting = _lock(meeting, version, stages=SCHEDULE_EDITABLE | RECORD_EDITABLE)
        guest = Guest.objects.filter(meeting=meeting, pk=guest_id).first()
        if guest is None:
            raise ValidationError("Không tìm thấy đại biểu.")
        guest.delete()
        _bump(meeting)
        _record(meeting, actor, f"Bỏ đại biểu {guest.name}")


# --- stage transitions --------------------------------------------------------------------


def _transition_problems(meeting: Meeting, target: str) -> list[str]:
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


def meeting_transition(
    *, meeting: Meeting, actor, target: str, version: int | None = None, reason: str = ""
) -> Meeting:
    """Move the meeting to another stage (workflow.ALLOWED is the single source of what may
    follow what). Notice and finalisation have their own services."""
    if target == Stage.NOTICED:
        return meeting_send_notice(meeting=meeting, actor=actor, version=version)
    if target == Stage.FINALIZED:
        meeting_finalize(meeting=meeting, actor=actor, version=version)
        return Meeting.objects.get(pk=meeting.pk)
    if target not in Stage.values:
        raise ValidationError("Giai đoạn không hợp lệ.")
    with transaction.atomic():
        meeting = _lock(meeting, version)
        previous = meeting.stage
        workflow.check_transition(previous, target)
        problems = _transition_problems(meeting, target)
        if target == Stage.CANCELLED:
            reason = " ".join((reason or "").split())
            if not reason:
                problems.append("Vui lòng nêu lý do hủy buổi sinh hoạt.")
            meeting.cancelled_reason = reason[:255]
        if problems:
            raise ValidationError(problems)
        meeting.stage = target
        fields = ["stage", "cancelled_reason"]
        now = timezone.now()
        if (
            target == Stage.IN_PROGRESS
            and meeting.actual_start is None
            and meeting.scheduled_date == timezone.localdate()
        ):
            meeting.actual_start = now.replace(second=0, microsecond=0)
            fields.append("actual_start")
        if (
            target == Stage.HELD
            and meeting.actual_end is None
            and meeting.actual_start is not None
            and now > meeting.actual_start
            and meeting.scheduled_date == timezone.localdate()
        ):
            meeting.actual_end = now.replace(second=0, microsecond=0)
            fields.append("actual_end")
        if previous == Stage.CANCELLED:
            meeting.cancelled_reason = ""
        _bump(meeting, *fields)
        label = workflow.TRANSITION_LABELS.get(target, Stage(target).label)
        _record(meeting, actor, f"{label} ({Stage(previous).label} → {Stage(target).label})")
        calendar_changed = (previous in workflow.ON_CALENDAR) != (target in workflow.ON_CALENDAR)
        if target == Stage.CANCELLED or (calendar_changed and previous in (Stage.SCHEDULED, Stage.NOTICED)):
            notifications.notifications_for_schedule_change(meeting=meeting)
        if calendar_changed or target == Stage.CANCELLED:
            compliance_refresh(cell=meeting.cell, year=meeting.year, quarter=meeting.quarter)
    return meeting


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


def meeting_send_notice(*, meeting: Meeting, actor, version: int | None = None) -> Meeting:
    """Record that the topic, lead paper and assignments were sent to the members."""
    with transaction.atomic():
        meeting = _lock(meeting, version)
        workflow.check_transition(meeting.stage, Stage.NOTICED)
        problems = _transition_problems(meeting, Stage.NOTICED)
        if problems:
            raise ValidationError(problems)
        meeting.stage = Stage.NOTICED
        meeting.notice_sent_at = timezone.now()
        meeting.notice_sent_by = actor if getattr(actor, "pk", None) else None
        meeting.notice_warning = notice_warning_for(meeting, meeting.notice_sent_at)[:255]
        _bump(meeting, "stage", "notice_sent_at", "notice_sent_by", "notice_warning")
        _record(meeting, actor, "Gửi thông báo, đề dẫn và phân công tham luận đến đảng viên")
        notifications.notifications_for_notice(meeting=meeting, actor=actor)
    return meeting


# --- running the meeting ------------------------------------------------------------------

STEP_TEXT_FIELD = {
    Step.PROGRAMME: "programme",
    Step.PURPOSE: "purpose",
    Step.LEAD_PAPER: "lead_paper_summary",
    Step.RESPONSE: "author_response",
}


def meeting_step_record(
    *,
    meeting: Meeting,
    actor,
    step: str,
    version: int | None = None,
    text: str | None = None,
    note: str = "",
    clerk: Member | None = None,
) -> MeetingStep:
    """Mark one of the nine steps as done, with what it needs recorded."""
    if step not in Step.values:
        raise ValidationError("Bước không hợp lệ.")
    with transaction.atomic():
        meeting = _lock(meeting, version, stages=RECORD_EDITABLE)
        fields = []
        if step in STEP_TEXT_FIELD:
            value = (text or "").strip()
            if not value and step != Step.PROGRAMME:
                raise ValidationError({"text": "Vui lòng ghi nội dung của bước này."})
            setattr(meeting, STEP_TEXT_FIELD[step], value)
            fields.append(STEP_TEXT_FIELD[step])
        if step == Step.CLERK:
            if clerk is not None:
                member_of_cell(meeting.cell, clerk, label="Thư ký")
                meeting.clerk = clerk
                fields.append("clerk")
            if meeting.clerk_id is None:
                raise ValidationError({"clerk": "Vui lòng chọn thư ký ghi biên bản."})
        if step == Step.ATTENDANCE:
            missing = _attendance_missing(meeting)
            if missing:
                raise ValidationError(f"Chưa điểm danh {len(missing)} đảng viên: {', '.join(missing[:5])}.")
        if step == Step.DISCUSSION and not meeting.speeches.exists():
            raise ValidationError("Chưa ghi ý kiến phát biểu nào.")
        if step == Step.CONCLUSION and not Conclusion.objects.filter(meeting=meeting).exists():
            raise ValidationError("Chưa ghi kết luận của chủ trì.")
        recorded, _ = MeetingStep.objects.update_or_create(
            meeting=meeting, step=step, defaults={"note": (note or "").strip(), "done_by": actor}
        )
        _bump(meeting, *fields)
        _record(meeting, actor, f"Ghi nhận bước {workflow.STEP_NUMBER[step]}: {Step(step).label}")
    return recorded


def meeting_step_undo(*, meeting: Meeting, actor, step: str, version: int | None = None) -> None:
    with transaction.atomic():
        meeting = _lock(meeting, version, stages=RECORD_EDITABLE)
        MeetingStep.objects.filter(meeting=meeting, step=step).delete()
        _bump(meeting)
        _record(meeting, actor, f"Bỏ ghi nhận bước {workflow.STEP_NUMBER.get(step, '?')}")


def _attendance_missing(meeting: Meeting) -> list[str]:
    return list(expected_members(meeting).exclude(attendances__meeting=meeting).values_list("full_name", flat=True))


def attendance_prefill(meeting: Meeting, members, attendances: dict, replies: dict) -> list[dict]:
    """Rows of the attendance form: the recorded status, else the member's advance reply."""
    rows = []
    for member in members:
        att = attendances.get(member.pk)
        reply = replies.get(member.pk)
        if att is not None:
            status, reason, source = att.status, att.reason, "recorded"
        elif reply is not None:
            status = AttendanceStatus.PRESENT if reply.will_attend else AttendanceStatus.EXCUSED
            reason, source = ("" if reply.will_attend else reply.reason), "reply"
        else:
            status, reason, source = "", "", ""
        rows.append({"member": member, "status": status, "reason": reason, "source": source, "reply": reply})
    return rows


def meeting_attendance_set(
    *, meeting: Meeting, actor, version: int | None, entries: dict[int, tuple[str, str]]
) -> Meeting:
    """Record attendance for one or many members: {member_id: (status, reason)}."""
    with transaction.atomic():
        meeting = _lock(meeting, version, stages=RECORD_EDITABLE)
        members = {m.pk: m for m in expected_members(meeting).filter(pk__in=list(entries))}
        errors = []
        clean = {}
        for member_id, (status, reason) in entries.items():
            member = members.get(member_id)
            reason = " ".join((reason or "").split())[:255]
            if member is None:
                errors.append("Có đảng viên không thuộc danh sách phải dự họp của chi bộ.")
                continue
            if status not in AttendanceStatus.values:
                errors.append(f"Chọn tình trạng dự họp của {member}.")
                continue
            if status == AttendanceStatus.EXCUSED and not reason:
                errors.append(f"{member} vắng có lý do: vui lòng ghi lý do.")
                continue
            if status == AttendanceStatus.PRESENT:
                reason = ""
            clean[member_id] = (status, reason)
        if errors:
            raise ValidationError(errors)
        existing = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting, member_id__in=list(clean))}
        new, changed = [], []
        for member_id, (status, reason) in clean.items():
            att = existing.get(member_id)
            if att is None:
                new.append(Attendance(meeting=meeting, member_id=member_id, status=status, reason=reason))
            elif (att.status, att.reason) != (status, reason):
                att.status, att.reason = status, reason
                changed.append(att)
        Attendance.objects.bulk_create(new)
        for att in changed:
            att.save(update_fields=["status", "reason", "recorded_at"])
        _bump(meeting)
        if len(clean) == 1:
            member_id, (status, _) = next(iter(clean.items()))
            _record(meeting, actor, f"Điểm danh {members[member_id]}: {AttendanceStatus(status).label}")
        else:
            _record(meeting, actor, f"Điểm danh {len(clean)} đảng viên")
    return meeting


@dataclass
class AttendanceCounts:
    expected: int = 0
    present: int = 0
    excused: int = 0
    unexcused: int = 0
    unrecorded: int = 0
    exempt: int = 0
    total: int = 0
    full: int = 0
    probationary: int = 0

    @property
    def identity_ok(self) -> bool:
        return self.unrecorded == 0 and self.present + self.excused + self.unexcused == self.expected

    @property
    def rate(self) -> float | None:
        # Exempt members (and those attending elsewhere) are not expected, so not in the rate.
        return self.present / self.expected if self.expected else None


def attendance_counts(meeting: Meeting) -> AttendanceCounts:
    """The figures of DOMAIN.md §8, in two aggregate queries."""
    from meetings.models import MemberStatus

    today = meeting.scheduled_date or timezone.localdate()
    members = Member.objects.filter(cell_id=meeting.cell_id).exclude(status=MemberStatus.MOVED_OUT)
    agg = members.aggregate(
        total=Count("pk"),
        expected=Count("pk", filter=Q(status__in=EXPECTED_STATUSES)),
        exempt=Count("pk", filter=Q(status=MemberStatus.EXEMPT)),
        full=Count("pk", filter=Q(full_member_on__lte=today)),
    )
    att = Attendance.objects.filter(
        meeting=meeting, member__cell_id=meeting.cell_id, member__status__in=EXPECTED_STATUSES
    ).aggregate(
        present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
        excused=Count("pk", filter=Q(status=AttendanceStatus.EXCUSED)),
        unexcused=Count("pk", filter=Q(status=AttendanceStatus.UNEXCUSED)),
    )
    recorded = att["present"] + att["excused"] + att["unexcused"]
    return AttendanceCounts(
        expected=agg["expected"],
        present=att["present"],
        excused=att["excused"],
        unexcused=att["unexcused"],
        unrecorded=max(agg["expected"] - recorded, 0),
        exempt=agg["exempt"],
        total=agg["total"],
        full=agg["full"],
        probationary=agg["total"] - agg["full"],
    )


def _check_speaker(meeting: Meeting, speaker: Member) -> None:
    member_of_cell(meeting.cell, speaker, label="Người phát biểu")
    att = Attendance.objects.filter(meeting=meeting, member=speaker).values_list("status", flat=True).first()
    if att and att != AttendanceStatus.PRESENT:
        raise ValidationError({"speaker": f"{speaker} được điểm danh là vắng mặt, không thể phát biểu."})


def _speech_content(content: str) -> str:
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": "Vui lòng ghi nội dung phát biểu."})
    return content


def speech_add(
    *,
    meeting: Meeting,
    actor,
    version: int | None,
    speaker: Member,
    content: str,
    contribution: Contribution | None = None,
) -> Speech:
    content = _speech_content(content)
    with transaction.atomic():
        meeting = _lock(meeting, version, stages=RECORD_EDITABLE)
        _check_speaker(meeting, speaker)
        if contribution is not None and (
            contribution.topic_id != meeting.topic_id or contribution.member_id != speaker.pk
        ):
            raise ValidationError("Tham luận không thuộc chuyên đề này hoặc không phải của người phát biểu.")
        position = (Speech.objects.filter(meeting=meeting).aggregate(p=Max("position"))["p"] or 0) + 1
        speech = Speech.objects.create(
            meeting=meeting, speaker=speaker, content=content, contribution=contribution, position=position
        )
        _bump(meeting)
        kind = "trình bày tham luận" if contribution else "phát biểu"
        _record(meeting, actor, f"Ghi ý kiến {kind} của {speaker}")
    return speech


def speech_add_contribution(*, meeting: Meeting, actor, version: int | None, contribution: Contribution) -> Speech:
    """A contribution presented at the meeting counts as a speech."""
    if contribution.topic_id != meeting.topic_id:
        raise ValidationError("Tham luận không thuộc chuyên đề của buổi sinh hoạt.")
    if Speech.objects.filter(meeting=meeting, contribution=contribution).exists():
        raise ValidationError("Tham luận này đã được ghi là đã trình bày.")
    content = contribution.text.strip() or f"Trình bày tham luận: {contribution.subject}."
    return speech_add(
        meeting=meeting,
        actor=actor,
        version=version,
        speaker=contribution.member,
        content=content,
        contribution=contribution,
    )


def speech_update(
    *, meeting: Meeting, actor, version: int | None, speech_id: int, speaker: Member, content: str
) -> Speech:
    content = _speech_content(content)
    with transaction.atomic():
        meeting = _lock(meeting, version, stages=RECORD_EDITABLE)
        speech = Speech.objects.filter(meeting=meeting, pk=speech_id).first()
        if speech is None:
            raise ValidationError("Không tìm thấy ý kiến phát biểu.")
        _check_speaker(meeting, speaker)
        if speech.contribution_id and speech.contribution.member_id != speaker.pk:
            raise ValidationError({"speaker": "Tham luận phải do chính người được phân công trình bày."})
        speech.speaker, speech.content = speaker, content
        speech.save(update_fields=["speaker", "content"])
        _bump(meeting)
        _record(meeting, actor, f"Sửa ý kiến phát biểu của {speaker}")
    return speech


def speech_delete(*, meeting: Meeting, actor, version: int | None, speech_id: int) -> None:
    with transaction.atomic():
        meeting = _lock(meeting, version, stages=RECORD_EDITABLE)
        speech = Speech.objects.select_related("speaker").filter(meeting=meeting, pk=speech_id).first()
        if speech is None:
            raise ValidationError("Không tìm thấy ý kiến phát biểu.")
        speech.delete()
        _bump(meeting)
        _record(meeting, actor, f"Xóa ý kiến phát biểu của {speech.speaker}")


def speech_move(*, meeting: Meeting, actor, version: int | None, speech_id: int, offset: int) -> None:
    """Move a speech up (-1) or down (+1); positions are renumbered 1..n."""
    with transaction.atomic():
        meeting = _lock(meeting, version, stages=RECORD_EDITABLE)
        speeches = list(Speech.objects.filter(meeting=meeting).order_by("position", "id"))
        index = next((i for i, s in enumerate(speeches) if s.pk == speech_id), None)
        if index is None:
            raise ValidationError("Không tìm thấy ý kiến phát biểu.")
        target = index + (1 if offset > 0 else -1)
        if 0 <= target < len(speeches):
            speeches[index], speeches[target] = speeches[target], speeches[index]
        for position, speech in enumerate(speeches, start=1):
            speech.position = position
        Speech.objects.bulk_update(speeches, ["position"])
        _bump(meeting)
        _record(meeting, actor, "Sắp xếp lại thứ tự phát biểu")


# --- conclusion, resolution, times --------------------------------------------------------


def quality_criteria() -> list[tuple[str, str, int]]:
    return [tuple(c) for c in settings.CHIBO["QUALITY_CRITERIA"]]


def grade_for(score: int) -> str:
    thresholds = settings.CHIBO["GRADE_THRESHOLDS"]
    if score >= thresholds["good"]:
        return QualityGrade.GOOD
    if score >= thresholds["fair"]:
        return QualityGrade.FAIR
    if score >= thresholds["average"]:
        return QualityGrade.AVERAGE
    return QualityGrade.POOR


def meeting_conclusion_save(
    *,
    meeting: Meeting,
    actor,
    version: int | None,
    preparation_evaluation: str,
    quality_evaluation: str,
    adopted: str,
    orientation: str = "",
    criteria_scores: dict[str, int],
) -> Conclusion:
    errors = {}
    for name, value in (
        ("preparation_evaluation", preparation_evaluation),
        ("quality_evaluation", quality_evaluation),
        ("adopted", adopted),
    ):
        if not (value or "").strip():
            errors[name] = "Nội dung này không được để trống."
    scores = {}
    for key, label, maximum in quality_criteria():
        value = criteria_scores.get(key)
        if value is None or not 0 <= int(value) <= maximum:
            errors[f"score_{key}"] = f"Điểm “{label}” phải từ 0 đến {maximum}."
        else:
            scores[key] = int(value)
    if errors:
        raise ValidationError(errors)
    total = sum(scores.values())
    with transaction.atomic():
        meeting = _lock(meeting, version, stages=RECORD_EDITABLE)
        conclusion, _ = Conclusion.objects.update_or_create(
            meeting=meeting,
            defaults={
                "preparation_evaluation": preparation_evaluation.strip(),
                "quality_evaluation": quality_evaluation.strip(),
                "adopted": adopted.strip(),
                "orientation": (orientation or "").strip(),
                "criteria_scores": scores,
                "quality_score": total,
                "quality_grade": grade_for(total),
            },
        )
        _bump(meeting)
        _record(
            meeting, actor, f"Ghi kết luận; chất lượng {total} điểm, xếp loại {conclusion.get_quality_grade_display()}"
        )
    return conclusion


def meeting_resolution_save(
    *,
    meeting: Meeting,
    actor,
    version: int | None,
    text: str,
    votes_for: int,
    votes_against: int = 0,
    votes_abstain: int = 0,
) -> Resolution:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Vui lòng ghi nội dung nghị quyết."})
    if min(votes_for, votes_against, votes_abstain) < 0:
        raise ValidationError({"votes_for": "Số phiếu không được âm."})
    with transaction.atomic():
        meeting = _lock(meeting, version, stages=RECORD_EDITABLE)
        counts = attendance_counts(meeting)
        if counts.present == 0:
            raise ValidationError("Cần điểm danh trước khi biểu quyết nghị quyết.")
        if votes_for + votes_against + votes_abstain > counts.present:
            raise ValidationError(
                {
                    "votes_for": f"Tổng số biểu quyết ({votes_for + votes_against + votes_abstain}) "
                    f"vượt quá số đảng viên có mặt ({counts.present})."
                }
            )
        resolution, _ = Resolution.objects.update_or_create(
            meeting=meeting,
            defaults={
                "text": text,
                "votes_for": votes_for,
                "votes_against": votes_against,
                "votes_abstain": votes_abstain,
                "expected_members": counts.expected,
            },
        )
        _bump(meeting)
        validity = "hợp lệ" if resolution.is_valid else "không đủ quá nửa số đảng viên phải dự tán thành"
        _record(meeting, actor, f"Ghi nghị quyết: {votes_for}/{counts.expected} tán thành ({validity})")
    return resolution


def meeting_resolution_delete(*, meeting: Meeting, actor, version: int | None) -> None:
    with transaction.atomic():
        meeting = _lock(meeting, version, stages=RECORD_EDITABLE)
        Resolution.objects.filter(meeting=meeting).delete()
        _bump(meeting)
        _record(meeting, actor, "Bỏ nghị quyết")


def meeting_times_save(
    *, meeting: Meeting, actor, version: int | None, start: datetime.time, end: datetime.time | None
) -> Meeting:
    """Actual start and end, on the meeting's date."""
    if start is None:
        raise ValidationError({"actual_start": "Vui lòng nhập giờ bắt đầu thực tế."})
    with transaction.atomic():
        meeting = _lock(meeting, version, stages=RECORD_EDITABLE)
        if not meeting.scheduled_date:
            raise ValidationError("Buổi sinh hoạt chưa có ngày họp.")
        start_at = _aware(meeting.scheduled_date, start)
        end_at = _aware(meeting.scheduled_date, end) if end else None
        if end_at is not None and end_at <= start_at:
            raise ValidationError({"actual_end": "Giờ kết thúc phải sau giờ bắt đầu."})
        meeting.actual_start, meeting.actual_end = start_at, end_at
        _bump(meeting, "actual_start", "actual_end")
        end_text = f" – {end:%H:%M}" if end else ""
        _record(meeting, actor, f"Ghi thời gian sinh hoạt thực tế {start:%H:%M}{end_text}")
    return meeting


# --- finalisation -------------------------------------------------------------------------


def meeting_missing_steps(meeting: Meeting) -> list[str]:
    """What still blocks finalisation (each a Vietnamese sentence)."""
    problems = []
    done = set(MeetingStep.objects.filter(meeting=meeting).values_list("step", flat=True))
    for step in workflow.STEPS:
        if step not in done:
            problems.append(f"Chưa ghi nhận bước {workflow.STEP_NUMBER[step]}: {step.label}.")
    missing = _attendance_missing(meeting)
    if missing:
        problems.append(f"Chưa điểm danh {len(missing)} đảng viên: {', '.join(missing[:5])}.")
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
    return problems


def meeting_warnings(meeting: Meeting, counts: AttendanceCounts | None = None) -> list[str]:
    """Shown before finalising and stored on the minutes; they do not block."""
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
    return warnings


def meeting_finalize(*, meeting: Meeting, actor, version: int | None = None) -> Minutes:
    with transaction.atomic():
        meeting = _lock(meeting, version)
        workflow.check_transition(meeting.stage, Stage.FINALIZED)
        problems = meeting_missing_steps(meeting)
        if problems:
            raise ValidationError(problems)
        warnings = meeting_warnings(meeting)
        meeting.stage = Stage.FINALIZED
        _bump(meeting, "stage")
        minutes = minutes_create(meeting=meeting, actor=actor, warnings=warnings)
        _record(meeting, actor, f"Hoàn tất biên bản số {minutes.number_label}")
        report = report_submit(minutes=minutes)
        notifications.notifications_for_finalized(meeting=meeting, minutes=minutes, report=report)
        compliance_refresh(cell=meeting.cell, year=meeting.year, quarter=meeting.quarter)
    return minutes


def minutes_addendum_create(*, minutes: Minutes, actor, text: str) -> MinutesAddendum:
    """Corrections after finalisation: a new numbered addendum, reported again; the minutes stay."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Vui lòng ghi nội dung đính chính, bổ sung."})
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().select_related("cell", "meeting").get(pk=minutes.pk)
        version = (minutes.addenda.aggregate(v=Max("version"))["v"] or 0) + 1
        addendum = MinutesAddendum.objects.create(
            minutes=minutes, version=version, text=text, created_by=actor if getattr(actor, "pk", None) else None
        )
        activity_record(
            cell=minutes.cell,
            actor=actor,
            action=f"Lập phụ lục đính chính số {version} cho {minutes}",
            meeting=minutes.meeting,
        )
        report_submit(minutes=minutes, addendum=addendum)
    return addendum
