"""Scheduling, notice, stage transitions and finalising a meeting (DOMAIN.md §5–§8).
Recording the meeting as it is held is in services/meeting_run.py.

Every write locks the meeting row, refuses a stale `version` (two people editing the same
meeting), refuses once the meeting is finalised, bumps the version and records who did it
(services/_meeting_common.py).
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from meetings import workflow
from meetings.models import (
    ADDENDUM_MAX_LENGTH,
    EXPECTED_STATUSES,
    CombinedOrder,
    DocumentKind,
    Guest,
    Meeting,
    MeetingMode,
    Member,
    Minutes,
    MinutesAddendum,
)
from meetings.models.limits import require_length
from meetings.periods import quarter_of
from meetings.rules.meeting_mode import MODE_INVALID, REASON_MAX_LENGTH, clean_room, is_remote
from meetings.rules.meetings import (
    CHAIR_IS_CLERK,
    meeting_missing_steps,
    meeting_warnings,
    notice_problem,
    notice_warning_for,
    period_check,
    transition_problems,
)
from meetings.services import notifications
from meetings.services._meeting_common import (
    STALE_MESSAGE,
    aware_datetime,
    bump_version,
    lock_meeting,
    record_activity,
)
from meetings.services.activity import activity_record
from meetings.services.compliance import compliance_refresh, compliance_refresh_finalized
from meetings.services.ledger import ledger_append
from meetings.services.minutes import addendum_seal, minutes_create
from meetings.services.numbering import document_number_issue, meeting_document_title, signer_problem
from meetings.services.reports import report_submit
from meetings.services.topics import member_of_cell
from meetings.workflow import RECORD_EDITABLE, SCHEDULE_EDITABLE, Stage

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
    mode: str | None = None,
    online_room: str = "",
    online_reason: str = "",
    online_not_secret: bool = False,
) -> Meeting:
    """Date, time, place, chair, minute-taker and the combined-session order. Year and quarter
    follow the date (a thematic meeting cannot be dated into a quarter already closed);
    reminders and compliance follow a moved meeting; once the notice went out, a new date,
    time or place sends a change notice (their number is left in `meeting.change_notices`)."""
    errors = {}
    if scheduled_date is None:
        errors["scheduled_date"] = "Vui lòng chọn ngày họp."
    if start_time is None:
        errors["start_time"] = "Vui lòng nhập giờ bắt đầu."
    if not (place or "").strip():
        errors["place"] = "Vui lòng nhập địa điểm."
    if combined_with_regular and combined_order not in CombinedOrder.values:
        errors["combined_order"] = "Khi kết hợp với sinh hoạt thường kỳ, hãy chọn thứ tự tiến hành."
    if chair is not None and clerk is not None and chair.pk == clerk.pk:
        errors["clerk"] = CHAIR_IS_CLERK
    # Meeting mode (issue 17, item 6; None keeps it): HD 03-HD/TW's conditions are warnings
    # (rules/meeting_mode.py), so only the values themselves are checked here.
    if mode is not None and mode not in MeetingMode.values:
        errors["mode"] = MODE_INVALID
    try:
        online_room = clean_room(online_room) if is_remote(mode) else ""
    except ValidationError as exc:
        errors["online_room"] = exc.messages
    online_reason = " ".join((online_reason or "").split()) if is_remote(mode) else ""
    if len(online_reason) > REASON_MAX_LENGTH:
        errors["online_reason"] = f"Lý do sinh hoạt trực tuyến tối đa {REASON_MAX_LENGTH} ký tự."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=SCHEDULE_EDITABLE)
        if chair is not None:
            _check_chair(meeting, chair)
        if clerk is not None:
            _on_field("clerk", member_of_cell, meeting.cell, clerk, label="Thư ký")
        refusal, period_warning = period_check(meeting, scheduled_date.year, quarter_of(scheduled_date), "schedule")
        if refusal:
            raise ValidationError({"scheduled_date": refusal})
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
        moved = notice_details_changed(
            meeting,
            scheduled_date=scheduled_date,
            start_time=start_time,
            place=place,
            mode=mode,
            online_room=online_room,
        )
        previous = _when_where(meeting)
        meeting.scheduled_date = scheduled_date
        meeting.start_time = start_time
        meeting.starts_at = aware_datetime(scheduled_date, start_time)
        meeting.place = place.strip()[:255]
        meeting.chair = chair
        meeting.clerk = clerk
        meeting.combined_with_regular = bool(combined_with_regular)
        meeting.combined_order = combined_order if combined_with_regular else ""
        if mode is not None:
            meeting.mode = mode
            meeting.online_room = online_room
            meeting.online_reason = online_reason
            meeting.online_not_secret = bool(online_not_secret) and is_remote(mode)
        meeting.year = scheduled_date.year
        meeting.quarter = quarter_of(scheduled_date)
        meeting.period_warning = period_warning[:255]
        bump_version(
            meeting,
            "period_warning",
            "scheduled_date",
            "start_time",
            "starts_at",
            "place",
            "chair",
            "clerk",
            "combined_with_regular",
            "combined_order",
            "mode",
            "online_room",
            "online_reason",
            "online_not_secret",
            "year",
            "quarter",
        )
        record_activity(
            meeting, actor, f"Cập nhật lịch họp: {start_time:%H:%M} ngày {scheduled_date:%d/%m/%Y}, {meeting.place}"
        )
        meeting.change_notices = 0
        if moved and meeting.stage in (Stage.SCHEDULED, Stage.NOTICED):
            meeting.change_notices = notifications.notifications_for_schedule_change(meeting=meeting, previous=previous)
        compliance_refresh(cell=meeting.cell, year=meeting.year, quarter=meeting.quarter)
        if old_period != (meeting.year, meeting.quarter):
            compliance_refresh(cell=meeting.cell, year=old_period[0], quarter=old_period[1])
    return meeting


def notice_details_changed(
    meeting: Meeting, *, scheduled_date, start_time, place: str, mode: str | None, online_room: str | None
) -> bool:
    """Whether what the notice prints (date, time, place, mode and online room) would change:
    its recipients must then hear of it. `mode=None` keeps the stored mode and room."""
    changed = (
        meeting.scheduled_date != scheduled_date
        or meeting.start_time != start_time
        or (meeting.place or "").strip() != (place or "").strip()[:255]
    )
    if mode is not None:
        changed = changed or meeting.mode != mode or (meeting.online_room or "") != (online_room or "")
    return changed


def _when_where(meeting: Meeting) -> str:
    """The time and place as the notice printed them, quoted in a change notice."""
    if not (meeting.scheduled_date and meeting.start_time):
        return ""
    text = f"{meeting.start_time:%H:%M} ngày {meeting.scheduled_date:%d/%m/%Y}"
    return f"{text}, {meeting.place}" if meeting.place else text


def _on_field(field: str, check, *args, **kwargs):
    """Run a check whose refusal belongs next to one form field."""
    try:
        return check(*args, **kwargs)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _check_chair(meeting: Meeting, chair: Member) -> None:
    """The chair leads the meeting, so must be a member who takes part in it."""
    _on_field("chair", member_of_cell, meeting.cell, chair, label="Người chủ trì")
    if chair.status not in EXPECTED_STATUSES:
        raise ValidationError(
            {
                "chair": f"Đồng chí {chair} đang {chair.get_status_display().lower()}, "
                "không thể chủ trì buổi sinh hoạt; vui lòng chọn đồng chí khác."
            }
        )


def meeting_guest_add(
    *, meeting: Meeting, actor, version: int | None, name: str, title: str = "", email: str = ""
) -> Guest:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Vui lòng nhập họ tên đại biểu."})
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": "Địa chỉ e-mail không hợp lệ."}) from None
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=SCHEDULE_EDITABLE | RECORD_EDITABLE)
        guest = Guest.objects.create(
            meeting=meeting, name=name[:120], title=(title or "").strip()[:255], email=email[:254]
        )
        bump_version(meeting)
        record_activity(meeting, actor, f"Thêm đại biểu {guest.name}")
    return guest


def meeting_guest_remove(*, meeting: Meeting, actor, version: int | None, guest_id: int) -> None:
    with transaction.atomic():
        meeting = lock_meeting(meeting, version, stages=SCHEDULE_EDITABLE | RECORD_EDITABLE)
        guest = Guest.objects.filter(meeting=meeting, pk=guest_id).first()
        if guest is None:
            raise ValidationError("Không tìm thấy đại biểu.")
        if guest.speeches.exists():
            raise ValidationError("Đại biểu đã có ý kiến phát biểu; hãy xóa ý kiến đó trước.")
        guest.delete()
        bump_version(meeting)
        record_activity(meeting, actor, f"Bỏ đại biểu {guest.name}")


# --- stage transitions --------------------------------------------------------------------


def meeting_transition(
    *, meeting: Meeting, actor, target: str, version: int | None = None, reason: str = ""
) -> Meeting:
    """Move the meeting to another stage (workflow.ALLOWED is the single source of what may
    follow what). Notice and finalisation have their own services; going back from "in
    progress" to "noticed" sends no new notice."""
    back_to_noticed = target == Stage.NOTICED and meeting.stage == Stage.IN_PROGRESS
    if target == Stage.NOTICED and not back_to_noticed:
        return meeting_send_notice(meeting=meeting, actor=actor, version=version)
    if target == Stage.FINALIZED:
        meeting_finalize(meeting=meeting, actor=actor, version=version)
        return Meeting.objects.get(pk=meeting.pk)
    if target not in Stage.values:
        raise ValidationError("Giai đoạn không hợp lệ.")
    with transaction.atomic():
        meeting = lock_meeting(meeting, version)
        previous = meeting.stage
        if back_to_noticed and previous != Stage.IN_PROGRESS:
            raise ValidationError(STALE_MESSAGE, code="stale")
        workflow.check_transition(previous, target)
        problems = transition_problems(meeting, target)
        fields = ["stage", "cancelled_reason"]
        if target in (Stage.IN_PROGRESS, Stage.HELD) and workflow.is_forward(previous, target):
            refusal, period_warning = period_check(meeting, meeting.year, meeting.quarter, target)
            problems.extend([refusal] if refusal else [])
            if period_warning:
                meeting.period_warning = period_warning[:255]
                fields.append("period_warning")
        if target == Stage.CANCELLED:
            reason = " ".join((reason or "").split())
            if not reason:
                problems.append("Vui lòng nêu lý do hủy buổi sinh hoạt.")
            meeting.cancelled_reason = reason[:255]
        if problems:
            raise ValidationError(problems)
        meeting.stage = target
        # The start click on the meeting day is an honest start time (the end form offers it);
        # the end is asked when the meeting is ended (meeting_run.meeting_end), never guessed.
        now = timezone.now()
        if (
            target == Stage.IN_PROGRESS
            and meeting.actual_start is None
            and meeting.scheduled_date == timezone.localdate()
        ):
            meeting.actual_start = now.replace(second=0, microsecond=0)
            fields.append("actual_start")
        if previous == Stage.CANCELLED:
            meeting.cancelled_reason = ""
        bump_version(meeting, *fields)
        label = workflow.transition_label(previous, target)
        record_activity(meeting, actor, f"{label} ({Stage(previous).label} → {Stage(target).label})")
        calendar_changed = (previous in workflow.ON_CALENDAR) != (target in workflow.ON_CALENDAR)
        meeting.change_notices = 0
        if target == Stage.CANCELLED or (calendar_changed and previous in (Stage.SCHEDULED, Stage.NOTICED)):
            meeting.change_notices = notifications.notifications_for_schedule_change(meeting=meeting)
        if calendar_changed or target == Stage.CANCELLED:
            compliance_refresh(cell=meeting.cell, year=meeting.year, quarter=meeting.quarter)
    return meeting


def meeting_send_notice(*, meeting: Meeting, actor, version: int | None = None) -> Meeting:
    """Record that the topic, lead paper and assignments were sent to the members."""
    with transaction.atomic():
        meeting = lock_meeting(meeting, version)
        workflow.check_transition(meeting.stage, Stage.NOTICED)
        now = timezone.now()
        problems = transition_problems(meeting, Stage.NOTICED)
        late = notice_problem(meeting, now)
        problems.extend([late] if late else [])
        # The notice is a numbered document: nothing printed on it may be blank.
        if not (meeting.scheduled_date and meeting.start_time and (meeting.place or "").strip()):
            problems.append("Thông báo chưa đủ ngày, giờ và địa điểm họp; đề nghị xếp lịch họp trước khi gửi.")
        no_signer = signer_problem(meeting.cell, "thông báo")
        problems.extend([no_signer] if no_signer else [])
        if problems:
            raise ValidationError(problems)
        fields = ["stage", "notice_sent_at", "notice_sent_by", "notice_warning"]
        if meeting.notice_number is None:  # a re-sent notice keeps its number
            issued = document_number_issue(
                cell=meeting.cell,
                kind=DocumentKind.NOTICE,
                actor=actor,
                title=meeting_document_title("Thông báo", meeting.get_kind_display(), meeting.title),
                on=timezone.localdate(),
            )
            meeting.notice_number = issued.number
            fields.append("notice_number")
        meeting.stage = Stage.NOTICED
        meeting.notice_sent_at = now
        meeting.notice_sent_by = actor if getattr(actor, "pk", None) else None
        meeting.notice_warning = notice_warning_for(meeting, meeting.notice_sent_at)[:255]
        bump_version(meeting, *fields)
        record_activity(meeting, actor, "Gửi thông báo, đề dẫn và phân công tham luận đến đảng viên")
        notifications.notifications_for_notice(meeting=meeting, actor=actor)
    return meeting


# --- finalisation -------------------------------------------------------------------------


def meeting_finalize(*, meeting: Meeting, actor, version: int | None = None) -> Minutes:
    with transaction.atomic():
        meeting = lock_meeting(meeting, version)
        workflow.check_transition(meeting.stage, Stage.FINALIZED)
        refusal, period_warning = period_check(meeting, meeting.year, meeting.quarter, Stage.FINALIZED)
        problems = [refusal] if refusal else []
        problems.extend(meeting_missing_steps(meeting))
        if problems:
            raise ValidationError(problems)
        if period_warning:
            meeting.period_warning = period_warning[:255]
        warnings = meeting_warnings(meeting)
        meeting.stage = Stage.FINALIZED
        bump_version(meeting, "stage", "period_warning")
        minutes = minutes_create(meeting=meeting, actor=actor, warnings=warnings)
        record_activity(meeting, actor, f"Hoàn tất biên bản số {minutes.number_label}")
        report = report_submit(minutes=minutes)
        notifications.notifications_for_finalized(meeting=meeting, minutes=minutes, report=report)
        # Its quarter and the quarters its action items fall due in.
        compliance_refresh_finalized(meeting=meeting)
    return minutes


def minutes_addendum_create(*, minutes: Minutes, actor, text: str) -> MinutesAddendum:
    """Corrections after finalisation: a new numbered addendum with its own sealed PDF,
    reported again as a new version and e-mailed to the committee; the minutes stay."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Vui lòng ghi nội dung đính chính, bổ sung."})
    require_length("text", text, ADDENDUM_MAX_LENGTH)
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().select_related("cell", "meeting").get(pk=minutes.pk)
        version = (minutes.addenda.aggregate(v=Max("version"))["v"] or 0) + 1
        addendum = MinutesAddendum(
            minutes=minutes, version=version, text=text, created_by=actor if getattr(actor, "pk", None) else None
        )
        addendum_seal(addendum=addendum)  # renders before the insert: a failure leaves nothing
        try:
            addendum.save(force_insert=True)
            ledger_append(cell=minutes.cell, kind="addendum", obj=addendum, sha256=addendum.pdf_sha256)
            activity_record(
                cell=minutes.cell,
                actor=actor,
                action=f"Lập phụ lục đính chính số {version} cho {minutes}",
                meeting=minutes.meeting,
            )
            report = report_submit(minutes=minutes, addendum=addendum)
            notifications.notifications_for_addendum(minutes=minutes, addendum=addendum, report=report)
        except Exception:
            addendum.pdf.delete(save=False)  # the row is rolled back: no orphan file either
            raise
    return addendum
