"""Recording the meeting as it is held: the nine steps, attendance, speeches, the
conclusion, the resolution, the actual times and the adoption of the minutes (DOMAIN.md §6–§8)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.db.models.functions import Length
from django.utils import timezone

from meetings import workflow
from meetings.models import (
    CONCLUSION_TEXT_MAX_LENGTH,
    MEETING_TEXT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    RESERVATION_MAX_LENGTH,
    RESOLUTION_MAX_LENGTH,
    SPEECH_MAX_LENGTH,
    Attendance,
    AttendanceStatus,
    Conclusion,
    Contribution,
    Guest,
    Meeting,
    MeetingStep,
    Member,
    MinutesAdoption,
    MinutesReservation,
    Resolution,
    Speech,
)
from meetings.models.limits import SPEECHES_TOTAL_MAX_LENGTH, check_length, require_length
from meetings.rules.meetings import CHAIR_IS_CLERK, grade_for, quality_criteria, read_back_problem
from meetings.rules.steps import STEP_TEXT_FIELD, step_not_ready, step_order_warning
from meetings.rules.votes import eligible_voters, votes_problems
from meetings.services._meeting_common import aware_datetime, bump_version, lock_meeting, record_activity
from meetings.services.meeting_attendance import (  # noqa: F401 – the roll call, re-exported for the views
    meeting_attendance_all_present,
    meeting_attendance_set,
)
from meetings.services.meetings import meeting_transition
from meetings.services.topics import member_of_cell
from meetings.workflow import RECORD_EDITABLE, Stage, Step

# --- the nine steps ----------------------------------------------------------------------


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
    errors: dict = {}
    check_length(errors, "text", (text or "").strip(), MEETING_TEXT_MAX_LENGTH)
    check_length(errors, "note", (note or "").strip(), NOTE_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
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
            if meeting.clerk_id == meeting.chair_id:
                raise ValidationError({"clerk": CHAIR_IS_CLERK})
        problem = step_not_ready(meeting, step)
        if problem:
            raise ValidationError(problem)
        recorded, _ = MeetingStep.objects.update_or_create(
            meeting=meeting,
            step=step,
            defaults={
                "note": (note or "").strip(),
                "done_by": actor,
                "order_warning": step_order_warning(meeting, step),
            },
        )
        bump_version(meeting, *fields)
        record_activity(meeting, actor, _step_done(step))
    return recorded


def _step_done(step: str) -> str:
    return f"Ghi nhận bước {workflow.STEP_NUMBER[step]}: {Step(step).label}"


def meeting_step_undo(*, meeting: Meeting, actor, step: str, version: int | None = None) -> None:
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
        MeetingStep.objects.filter(meeting=meeting, step=step).delete()
        bump_version(meeting)
        record_activity(meeting, actor, f"Bỏ ghi nhận bước {workflow.STEP_NUMBER.get(step, '?')}")


# --- speeches ----------------------------------------------------------------------------


def _check_speaker(meeting: Meeting, speaker: Member | None, guest: Guest | None = None) -> None:
    if (speaker is None) == (guest is None):
        raise ValidationError({"speaker": "Chọn một đảng viên hoặc một đại biểu."})
    if guest is not None:
        if guest.meeting_id != meeting.pk:
            raise ValidationError({"guest": "Đại biểu không được mời dự buổi sinh hoạt này."})
        return
    member_of_cell(meeting.cell, speaker, label="Người phát biểu")
    att = Attendance.objects.filter(meeting=meeting, member=speaker).values_list("status", flat=True).first()
    if att and att != AttendanceStatus.PRESENT:
        raise ValidationError({"speaker": f"{speaker} được điểm danh là vắng mặt, không thể phát biểu."})


def _speech_content(content: str) -> str:
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": "Vui lòng ghi nội dung phát biểu."})
    require_length("content", content, SPEECH_MAX_LENGTH)
    return content


def _check_speeches_total(meeting: Meeting, content: str, *, replacing: int | None = None) -> None:
    others = Speech.objects.filter(meeting=meeting).exclude(pk=replacing)
    total = (others.aggregate(n=Sum(Length("content")))["n"] or 0) + len(content)
    if total > SPEECHES_TOTAL_MAX_LENGTH:
        limit = f"{SPEECHES_TOTAL_MAX_LENGTH:,}".replace(",", ".")
        raise ValidationError(
            {
                "content": f"Các ý kiến phát biểu của buổi sinh hoạt đã dài tổng cộng tối đa {limit} ký tự; "
                "đề nghị ghi tóm tắt ý kiến."
            }
        )


def speech_add(
    *,
    meeting: Meeting,
    actor,
    version: int | None,
    speaker: Member | None,
    content: str,
    contribution: Contribution | None = None,
    guest: Guest | None = None,
) -> Speech:
    """A member's speech, or a guest's remark (`guest` instead of `speaker`)."""
    content = _speech_content(content)
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
        _check_speaker(meeting, speaker, guest)
        _check_speeches_total(meeting, content)
        if contribution is not None and (
            contribution.topic_id != meeting.topic_id or speaker is None or contribution.member_id != speaker.pk
        ):
            raise ValidationError("Tham luận không thuộc chuyên đề này hoặc không phải của người phát biểu.")
        position = (Speech.objects.filter(meeting=meeting).aggregate(p=Max("position"))["p"] or 0) + 1
        speech = Speech.objects.create(
            meeting=meeting, speaker=speaker, guest=guest, content=content, contribution=contribution, position=position
        )
        bump_version(meeting)
        kind = "trình bày tham luận" if contribution else "phát biểu"
        record_activity(meeting, actor, f"Ghi ý kiến {kind} của {speaker or guest}")
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
    *,
    meeting: Meeting,
    actor,
    version: int | None,
    speech_id: int,
    speaker: Member | None,
    content: str,
    guest: Guest | None = None,
) -> Speech:
    content = _speech_content(content)
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
        speech = Speech.objects.filter(meeting=meeting, pk=speech_id).first()
        if speech is None:
            raise ValidationError("Không tìm thấy ý kiến phát biểu.")
        _check_speaker(meeting, speaker, guest)
        _check_speeches_total(meeting, content, replacing=speech.pk)
        if speech.contribution_id and (speaker is None or speech.contribution.member_id != speaker.pk):
            raise ValidationError({"speaker": "Tham luận phải do chính người được phân công trình bày."})
        speech.speaker, speech.guest, speech.content = speaker, guest, content
        speech.save(update_fields=["speaker", "guest", "content"])
        bump_version(meeting)
        record_activity(meeting, actor, f"Sửa ý kiến phát biểu của {speaker or guest}")
    return speech


def speech_delete(*, meeting: Meeting, actor, version: int | None, speech_id: int) -> None:
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
        speech = Speech.objects.select_related("speaker", "guest").filter(meeting=meeting, pk=speech_id).first()
        if speech is None:
            raise ValidationError("Không tìm thấy ý kiến phát biểu.")
        speech.delete()
        bump_version(meeting)
        record_activity(meeting, actor, f"Xóa ý kiến phát biểu của {speech.speaker_name}")


def speech_move(*, meeting: Meeting, actor, version: int | None, speech_id: int, offset: int) -> None:
    """Move a speech up (-1) or down (+1); positions are renumbered 1..n."""
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
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
        bump_version(meeting)
        record_activity(meeting, actor, "Sắp xếp lại thứ tự phát biểu")


# --- conclusion, resolution, times --------------------------------------------------------


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
    """The chair's assessment, conclusion and quality score. The conclusion is step 9, so
    saving it records that step too, in the same transaction."""
    errors = {}
    for name, value in (
        ("preparation_evaluation", preparation_evaluation),
        ("quality_evaluation", quality_evaluation),
        ("adopted", adopted),
    ):
        if not (value or "").strip():
            errors[name] = "Nội dung này không được để trống."
    for name, value in (
        ("preparation_evaluation", preparation_evaluation),
        ("quality_evaluation", quality_evaluation),
        ("adopted", adopted),
        ("orientation", orientation),
    ):
        check_length(errors, name, (value or "").strip(), CONCLUSION_TEXT_MAX_LENGTH)
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
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
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
        # A note already written on the step stays; only who recorded it changes.
        MeetingStep.objects.update_or_create(
            meeting=meeting,
            step=Step.CONCLUSION,
            defaults={"done_by": actor, "order_warning": step_order_warning(meeting, Step.CONCLUSION)},
        )
        bump_version(meeting)
        record_activity(
            meeting, actor, f"Ghi kết luận; chất lượng {total} điểm, xếp loại {conclusion.get_quality_grade_display()}"
        )
        record_activity(meeting, actor, _step_done(Step.CONCLUSION))
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
    """Record the resolution and its votes. Only full members vote; the denominator
    (meetings/rules/votes.py) is stored with how it was computed. A refusal saves nothing."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Vui lòng ghi nội dung nghị quyết."})
    require_length("text", text, RESOLUTION_MAX_LENGTH)
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
        voters = eligible_voters(meeting)
        problems = votes_problems(
            votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain, voters=voters
        )
        if problems:
            raise ValidationError(problems)
        resolution, _ = Resolution.objects.update_or_create(
            meeting=meeting,
            defaults={
                "text": text,
                "votes_for": votes_for,
                "votes_against": votes_against,
                "votes_abstain": votes_abstain,
                "eligible_voters": voters.count,
                "eligible_explanation": voters.explanation[:255],
            },
        )
        bump_version(meeting)
        validity = "hợp lệ" if resolution.is_valid else "chưa quá nửa số đảng viên chính thức được tính tán thành"
        record_activity(meeting, actor, f"Ghi nghị quyết: {votes_for}/{voters.count} tán thành ({validity})")
    return resolution


def meeting_resolution_delete(*, meeting: Meeting, actor, version: int | None) -> None:
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
        Resolution.objects.filter(meeting=meeting).delete()
        bump_version(meeting)
        record_activity(meeting, actor, "Bỏ nghị quyết")


def meeting_times_save(
    *, meeting: Meeting, actor, version: int | None, start: datetime.time, end: datetime.time | None
) -> Meeting:
    """Actual start and end, on the meeting's date."""
    if start is None:
        raise ValidationError({"actual_start": "Vui lòng nhập giờ bắt đầu thực tế."})
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
        if not meeting.scheduled_date:
            raise ValidationError("Buổi sinh hoạt chưa có ngày họp.")
        start_at = aware_datetime(meeting.scheduled_date, start)
        end_at = aware_datetime(meeting.scheduled_date, end) if end else None
        if end_at is not None and end_at <= start_at:
            raise ValidationError({"actual_end": "Giờ kết thúc phải sau giờ bắt đầu."})
        meeting.actual_start, meeting.actual_end = start_at, end_at
        bump_version(meeting, "actual_start", "actual_end")
        end_text = f" – {end:%H:%M}" if end else ""
        record_activity(meeting, actor, f"Ghi thời gian sinh hoạt thực tế {start:%H:%M}{end_text}")
    return meeting


# --- step 9 in one save, and the end of the meeting -----------------------------------------


def meeting_conclusion_step_save(
    *,
    meeting: Meeting,
    actor,
    version: int | None,
    conclusion: dict,
    resolution: dict | None = None,
    times: tuple[datetime.time | None, datetime.time | None] | None = None,
) -> Meeting:
    """Step 9 as one save: the conclusion (keyword arguments of meeting_conclusion_save), the
    resolution when given, the actual times when given. All or nothing, and every part is
    checked so that all problems come back at once: keyed by field, or by the part's name
    ("conclusion", "resolution", "times") for a part's general problem. An unchanged
    resolution or unchanged times are not saved again (no needless log entries)."""
    errors: dict[str, list] = {}
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
        parts = [("conclusion", meeting_conclusion_save, conclusion)]
        if resolution is not None and not _resolution_unchanged(meeting, resolution):
            parts.append(("resolution", meeting_resolution_save, resolution))
        if times is not None and not _times_unchanged(meeting, *times):
            parts.append(("times", meeting_times_save, {"start": times[0], "end": times[1]}))
        for part, save, arguments in parts:
            try:
                with transaction.atomic():
                    save(meeting=meeting, actor=actor, version=None, **arguments)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, problems in exc.error_dict.items():
                        errors.setdefault(name, []).extend(problems)
                else:
                    errors.setdefault(part, []).extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
    return Meeting.objects.get(pk=meeting.pk)


def _resolution_unchanged(meeting: Meeting, data: dict) -> bool:
    saved = Resolution.objects.filter(meeting=meeting).first()
    if saved is None:
        return False
    same = (saved.text, saved.votes_for, saved.votes_against, saved.votes_abstain) == (
        (data.get("text") or "").strip(),
        data.get("votes_for"),
        data.get("votes_against", 0),
        data.get("votes_abstain", 0),
    )
    # A changed roll call changes the denominator: then the resolution is saved again.
    return same and saved.eligible_voters == eligible_voters(meeting).count


def _times_unchanged(meeting: Meeting, start, end) -> bool:
    def clock(value):
        return timezone.localtime(value).time().replace(second=0, microsecond=0) if value else None

    return (clock(meeting.actual_start), clock(meeting.actual_end)) == (start, end)


def meeting_end(*, meeting: Meeting, actor, version: int | None, start: datetime.time, end: datetime.time) -> Meeting:
    """End the meeting: the actual start and end, asked when the secretary ends it, and the
    move to "held", in one transaction (nothing is set behind the secretary's back)."""
    errors = {}
    if start is None:
        errors["actual_start"] = "Vui lòng nhập giờ bắt đầu thực tế."
    if end is None:
        errors["actual_end"] = "Vui lòng nhập giờ kết thúc thực tế."
    elif start is not None and end <= start:
        errors["actual_end"] = "Giờ kết thúc phải sau giờ bắt đầu."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages={Stage.IN_PROGRESS})
        now = timezone.localtime()
        if meeting.scheduled_date and aware_datetime(meeting.scheduled_date, end) > now + END_MARGIN:
            # A small margin: the form is pre-filled with "now", rounded down to the minute.
            raise ValidationError({"actual_end": f"Giờ kết thúc {end:%H:%M} chưa đến (bây giờ là {now:%H:%M})."})
        meeting_times_save(meeting=meeting, actor=actor, version=None, start=start, end=end)
        return meeting_transition(meeting=meeting, actor=actor, target=Stage.HELD)


END_MARGIN = datetime.timedelta(minutes=5)


# --- reading back and adopting the minutes -------------------------------------------------


def meeting_minutes_adoption_save(
    *,
    meeting: Meeting,
    actor,
    version: int | None,
    read_back: bool,
    read_back_time: datetime.time | None,
    adoption: str,
    reservations: list[tuple[Member, str]] = (),
) -> Meeting:
    """The minute-taker read the minutes back at `read_back_time` and the cell adopted them,
    unanimously or with reservations, each in the member's own words; replaces what was saved."""
    errors = {}
    if not read_back:
        errors["read_back"] = "Thư ký phải đọc lại biên bản cho chi bộ nghe trước khi chi bộ thông qua."
    if read_back_time is None:
        errors["read_back_time"] = "Vui lòng ghi giờ đọc lại biên bản."
    if adoption not in MinutesAdoption.values:
        errors["adoption"] = "Vui lòng chọn kết quả thông qua biên bản."
    rows = [(member, (text or "").strip()) for member, text in reservations if member is not None or text]
    if adoption == MinutesAdoption.UNANIMOUS and rows:
        errors["adoption"] = "Chi bộ thống nhất 100% thì không ghi ý kiến bảo lưu."
    if adoption == MinutesAdoption.RESERVATIONS and not rows:
        errors["adoption"] = "Vui lòng ghi ít nhất một ý kiến bảo lưu (đồng chí nào, ý kiến thế nào)."
    for member, text in rows:
        if member is None or not text:
            errors["reservations"] = "Mỗi ý kiến bảo lưu cần ghi rõ đồng chí nào và nội dung ý kiến."
        elif len(text) > RESERVATION_MAX_LENGTH:
            errors["reservations"] = f"Mỗi ý kiến bảo lưu tối đa {RESERVATION_MAX_LENGTH} ký tự."
    members = [member for member, _ in rows if member is not None]
    if len({m.pk for m in members}) < len(members):
        errors["reservations"] = "Mỗi đồng chí chỉ ghi một ý kiến bảo lưu; hãy gộp các ý của cùng một đồng chí."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=RECORD_EDITABLE)
        present = set(
            Attendance.objects.filter(
                meeting=meeting, status=AttendanceStatus.PRESENT, member__cell_id=meeting.cell_id
            ).values_list("member_id", flat=True)
        )
        absent = [m.full_name for m in members if m.pk not in present]
        if absent:
            raise ValidationError(
                {
                    "reservations": "Chỉ ghi ý kiến bảo lưu của đảng viên có mặt tại buổi sinh hoạt; "
                    f"đồng chí {', '.join(absent)} không được ghi nhận có mặt."
                }
            )
        read_back_at = aware_datetime(meeting.scheduled_date, read_back_time) if meeting.scheduled_date else None
        if read_back_at is None:
            raise ValidationError("Buổi sinh hoạt chưa có ngày họp.")
        problem = read_back_problem(meeting, read_back_at)
        if problem:
            raise ValidationError({"read_back_time": problem})
        MinutesReservation.objects.filter(meeting=meeting).delete()
        MinutesReservation.objects.bulk_create(
            [MinutesReservation(meeting=meeting, member=member, text=text) for member, text in rows]
        )
        meeting.minutes_read_back_at, meeting.minutes_adoption = read_back_at, adoption
        bump_version(meeting, "minutes_read_back_at", "minutes_adoption")
        record_activity(
            meeting,
            actor,
            f"Ghi việc đọc lại biên bản ({read_back_time:%H:%M}) và kết quả thông qua: "
            f"{MinutesAdoption(adoption).label}",
        )
    return meeting
