"""Topic preparation: choosing the topic, the lead paper and the contributions (DOMAIN.md §5)."""

import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone

from meetings.models import (
    COMPLETED_TEXT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    EXPECTED_STATUSES,
    LEAD_PAPER_MAX_LENGTH,
    Contribution,
    DirectedTopic,
    LeadPaperStatus,
    MeetingStep,
    Member,
    MemberStatus,
    Organization,
    Topic,
    TopicGroup,
)
from meetings.models.limits import require_length
from meetings.services import notifications
from meetings.services.activity import activity_record
from meetings.text import sanitize_rich_text
from meetings.uploads import safe_name, validate_upload
from meetings.workflow import STEP_NUMBER, Stage, Step

ACTIVITY_NOTE_LENGTH = 500
LOCKED_MESSAGE = "Buổi sinh hoạt đã hoàn tất biên bản; nội dung không thể thay đổi (chỉ được lập phụ lục đính chính)."


def meeting_of(topic: Topic):
    try:
        return topic.meeting
    except ObjectDoesNotExist:
        return None


def check_topic_open(topic: Topic) -> None:
    """Every topic write refuses once the meeting is finalised (or cancelled)."""
    meeting = meeting_of(topic)
    if meeting is not None and meeting.stage == Stage.FINALIZED:
        raise ValidationError(LOCKED_MESSAGE, code="locked")
    if meeting is not None and meeting.stage == Stage.CANCELLED:
        raise ValidationError("Buổi sinh hoạt đã bị hủy; hãy khôi phục trước khi chỉnh sửa.", code="cancelled")


def member_of_cell(cell, member: Member | None, *, label: str = "Đảng viên", expected_only: bool = False) -> Member:
    """The member must currently belong to this cell (never trust an id posted from a form)."""
    if member is None:
        raise ValidationError(f"Vui lòng chọn {label.lower()}.")
    if member.cell_id != cell.pk or member.status == MemberStatus.MOVED_OUT:
        raise ValidationError(f"{label} “{member}” không thuộc chi bộ này.")
    if expected_only and member.status not in EXPECTED_STATUSES:
        raise ValidationError(f"{label} “{member}” đang {member.get_status_display().lower()}.")
    return member


def directed_topics_for_cell(cell: Organization, year: int | None = None):
    """Topics issued by any committee above the cell (not only the direct parent)."""
    qs = DirectedTopic.objects.filter(committee__in=Organization.objects.ancestors_of(cell)).select_related(
        "committee", "group"
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def topic_create(
    *,
    cell: Organization,
    year: int,
    actor,
    title: str = "",
    group: TopicGroup | None = None,
    directed_topic: DirectedTopic | None = None,
    description: str = "",
) -> Topic:
    title = " ".join((title or "").split())
    if directed_topic is not None:
        if not directed_topics_for_cell(cell).filter(pk=directed_topic.pk).exists():
            raise ValidationError("Chuyên đề đã chọn không do cấp ủy cấp trên của chi bộ triển khai.")
        if directed_topic.year != year:
            raise ValidationError(f"Chuyên đề cấp trên đã chọn được triển khai cho năm {directed_topic.year}.")
        title = title or directed_topic.title
        group = group or directed_topic.group
        description = description or directed_topic.description
    require_length("description", description, DESCRIPTION_MAX_LENGTH)
    if not title:
        raise ValidationError({"title": "Vui lòng nhập tên chuyên đề hoặc chọn chuyên đề cấp trên triển khai."})
    if group is None:
        raise ValidationError({"group": "Vui lòng chọn nhóm chuyên đề."})
    with transaction.atomic():
        topic = Topic.objects.create(
            cell=cell, year=year, title=title[:500], group=group, directed_topic=directed_topic, description=description
        )
        activity_record(cell=cell, actor=actor, action=f"Tạo chuyên đề “{topic.title}”", topic=topic)
    return topic


def _lock_topic(topic: Topic) -> Topic:
    topic = Topic.objects.select_for_update().select_related("cell").get(pk=topic.pk)
    check_topic_open(topic)
    return topic


def _check_due(topic: Topic, due: datetime.date | None, label: str) -> None:
    if due is None:
        return
    meeting = meeting_of(topic)
    if meeting is not None and meeting.scheduled_date and due > meeting.scheduled_date:
        raise ValidationError(
            {"due": f"{label} ({due:%d/%m/%Y}) phải trước ngày họp {meeting.scheduled_date:%d/%m/%Y}."}
        )


def topic_update(*, topic: Topic, actor, title: str, group: TopicGroup, description: str = "") -> Topic:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": "Tên chuyên đề không được để trống."})
    require_length("description", description, DESCRIPTION_MAX_LENGTH)
    with transaction.atomic():
        topic = _lock_topic(topic)
        topic.title, topic.group, topic.description = title[:500], group, description
        topic.save(update_fields=["title", "group", "description", "updated_at"])
        activity_record(cell=topic.cell, actor=actor, action="Cập nhật thông tin chuyên đề", topic=topic)
    return topic


def topic_assign_lead_author(*, topic: Topic, actor, author: Member, due: datetime.date | None = None) -> Topic:
    with transaction.atomic():
        topic = _lock_topic(topic)
        member_of_cell(topic.cell, author, label="Người chuẩn bị đề dẫn")
        _check_due(topic, due, "Hạn nộp đề dẫn")
        topic.lead_author = author
        topic.lead_paper_due = due
        # A paper already submitted goes back to "waiting for approval" under the new assignment;
        # a text copied from an exemplary topic was never submitted and stays a draft to write.
        has_paper = topic.lead_submitted_at is not None and bool(topic.lead_paper_text or topic.lead_paper_file)
        topic.lead_paper_status = LeadPaperStatus.SUBMITTED if has_paper else LeadPaperStatus.ASSIGNED
        topic.lead_assigned_at = timezone.now()
        topic.lead_assigned_by = actor
        topic.lead_approved_at = None
        topic.lead_approved_by = None
        topic.save()
        due_text = f", hạn nộp {due:%d/%m/%Y}" if due else ""
        activity_record(
            cell=topic.cell, actor=actor, action=f"Phân công {author} chuẩn bị đề dẫn{due_text}", topic=topic
        )
        notifications.notifications_for_deadlines(topic=topic)
    return topic


def topic_submit_lead_paper(*, topic: Topic, actor, text: str = "", file=None) -> Topic:
    """The author (or the secretary on their behalf) writes and/or uploads the lead paper."""
    text = (text or "").strip()
    require_length("text", text, LEAD_PAPER_MAX_LENGTH)
    kind = validate_upload(file) if file else None
    with transaction.atomic():
        topic = _lock_topic(topic)
        if topic.lead_author_id is None:
            raise ValidationError("Chưa phân công người chuẩn bị đề dẫn.")
        if not text and not file and not topic.lead_paper_file:
            raise ValidationError({"text": "Vui lòng nhập nội dung đề dẫn hoặc tải lên tệp PDF/DOCX."})
        topic.lead_paper_text = sanitize_rich_text(text)
        # Cleaning may escape characters: the stored text must fit too.
        require_length("text", topic.lead_paper_text, LEAD_PAPER_MAX_LENGTH)
        if file:
            topic.lead_paper_file.save(safe_name(kind), file, save=False)
        topic.lead_paper_status = LeadPaperStatus.SUBMITTED
        topic.lead_submitted_at = timezone.now()
        topic.lead_submitted_by = actor
        topic.lead_approved_at = None
        topic.lead_approved_by = None
        topic.save()
        activity_record(cell=topic.cell, actor=actor, action="Nộp đề dẫn (chờ duyệt)", topic=topic)
    return topic


def topic_completed_save(*, topic: Topic, actor, text: str = "", file=None) -> Topic:
    """The topic completed with the meeting's opinions, once step 8 is recorded and until
    the minutes are finalised; the lead paper stays as it was."""
    text = (text or "").strip()
    require_length("text", text, COMPLETED_TEXT_MAX_LENGTH)
    kind = validate_upload(file) if file else None
    with transaction.atomic():
        topic = _lock_topic(topic)
        meeting = meeting_of(topic)
        if meeting is None or not MeetingStep.objects.filter(meeting=meeting, step=Step.RESPONSE).exists():
            raise ValidationError(
                f"Chỉ hoàn chỉnh chuyên đề sau khi buổi sinh hoạt đã ghi nhận bước {STEP_NUMBER[Step.RESPONSE]} "
                f"({Step.RESPONSE.label.lower()})."
            )
        if not text and not file and not topic.completed_file:
            raise ValidationError({"text": "Vui lòng nhập nội dung chuyên đề hoàn chỉnh hoặc tải lên tệp PDF/DOCX."})
        topic.completed_text = sanitize_rich_text(text)
        require_length("text", topic.completed_text, COMPLETED_TEXT_MAX_LENGTH)
        if file:
            topic.completed_file.save(safe_name(kind), file, save=False)
        topic.completed_at = timezone.now()
        topic.completed_by = actor
        topic.save(update_fields=["completed_text", "completed_file", "completed_at", "completed_by", "updated_at"])
        activity_record(
            cell=topic.cell, actor=actor, action="Hoàn chỉnh chuyên đề sau sinh hoạt (tiếp thu ý kiến)", topic=topic
        )
    return topic


def topic_approve_lead_paper(*, topic: Topic, actor) -> Topic:
    with transaction.atomic():
        topic = _lock_topic(topic)
        if topic.lead_paper_status != LeadPaperStatus.SUBMITTED:
            raise ValidationError("Chỉ duyệt được đề dẫn đã nộp và đang chờ duyệt.")
        topic.lead_paper_status = LeadPaperStatus.APPROVED
        topic.lead_approved_at = timezone.now()
        topic.lead_approved_by = actor
        topic.save(update_fields=["lead_paper_status", "lead_approved_at", "lead_approved_by", "updated_at"])
        activity_record(cell=topic.cell, actor=actor, action="Duyệt đề dẫn", topic=topic)
    return topic


def topic_return_lead_paper(*, topic: Topic, actor, comment: str = "") -> Topic:
    """Send the lead paper back to its author for changes (a step backward)."""
    with transaction.atomic():
        topic = _lock_topic(topic)
        if topic.lead_paper_status not in (LeadPaperStatus.SUBMITTED, LeadPaperStatus.APPROVED):
            raise ValidationError("Đề dẫn chưa được nộp.")
        topic.lead_paper_status = LeadPaperStatus.ASSIGNED
        topic.lead_approved_at = None
        topic.lead_approved_by = None
        topic.save(update_fields=["lead_paper_status", "lead_approved_at", "lead_approved_by", "updated_at"])
        comment = " ".join((comment or "").split())
        # The comment lives only in the activity log; a long one is cut to fit the log line.
        note = f": {comment[:ACTIVITY_NOTE_LENGTH]}" if comment else ""
        activity_record(cell=topic.cell, actor=actor, action=f"Trả lại đề dẫn để chỉnh sửa{note}", topic=topic)
    return topic


def contribution_assign(
    *, topic: Topic, actor, member: Member, subject: str, due_on: datetime.date | None = None
) -> Contribution:
    subject = " ".join((subject or "").split())
    if not subject:
        raise ValidationError({"subject": "Vui lòng nhập nội dung tham luận được phân công."})
    with transaction.atomic():
        topic = _lock_topic(topic)
        member_of_cell(topic.cell, member)
        _check_due(topic, due_on, "Hạn nộp tham luận")
        if Contribution.objects.filter(topic=topic, member=member, subject=subject[:500]).exists():
            raise ValidationError({"subject": f"{member} đã được phân công tham luận này."})
        contribution = Contribution.objects.create(
            topic=topic, member=member, subject=subject[:500], due_on=due_on, assigned_by=actor
        )
        activity_record(cell=topic.cell, actor=actor, action=f"Phân công {member} tham luận “{subject}”", topic=topic)
        notifications.notifications_for_deadlines(topic=topic)
    return contribution


def contribution_unassign(*, contribution: Contribution, actor) -> None:
    with transaction.atomic():
        topic = _lock_topic(contribution.topic)
        contribution = Contribution.objects.select_related("member").get(pk=contribution.pk)
        if contribution.speeches.exists():
            raise ValidationError("Tham luận đã được trình bày tại buổi sinh hoạt; không thể hủy phân công.")
        activity_record(
            cell=topic.cell, actor=actor, action=f"Hủy phân công tham luận của {contribution.member}", topic=topic
        )
        contribution.delete()
        notifications.notifications_for_deadlines(topic=topic)
