"""Exemplary topics (issue 17, item 8): a superior committee marks a finished topic of a cell
below it; the topic then shows in the library of every cell under that committee, where a
cell's committee may start a new topic of its own from it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from meetings.models import (
    EXEMPLARY_REASON_MAX_LENGTH,
    ExemplaryTopic,
    LeadPaperStatus,
    Meeting,
    Organization,
    Topic,
)
from meetings.periods import quarter_of
from meetings.permissions import PREPARE, access_for
from meetings.selectors.library import library_topic
from meetings.services.activity import activity_record
from meetings.services.plans import plan_add_meeting, plan_get_or_create
from meetings.workflow import Stage

STAFF_ONLY = "Chỉ cán bộ cấp ủy cấp trên của chi bộ mới được chọn chuyên đề tiêu biểu."
NOT_FINISHED = "Chỉ chọn được chuyên đề đã sinh hoạt và đã hoàn tất biên bản."


def marking_committee(*, topic: Topic, actor) -> Organization:
    """The committee that gives the mark: the actor's own, which must be above the topic's
    cell; for a superuser without a committee, the cell's directly superior committee."""
    access = access_for(actor)
    cell = topic.cell
    if access.committee_path:
        if not cell.path.startswith(access.committee_path):
            raise PermissionDenied(STAFF_ONLY)
        return actor.committee
    if access.superuser and cell.parent_id:
        return cell.parent
    raise PermissionDenied(STAFF_ONLY)


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) > EXEMPLARY_REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"Lý do quá dài ({len(reason)} ký tự); tối đa {EXEMPLARY_REASON_MAX_LENGTH} ký tự."}
        )
    return reason


def topic_mark_exemplary(*, topic: Topic, actor, reason: str = "") -> ExemplaryTopic:
    """Mark (or re-word the reason of an existing mark). Nothing of the topic itself changes:
    it belongs to finalised minutes."""
    committee = marking_committee(topic=topic, actor=actor)
    reason = _clean_reason(reason)
    with transaction.atomic():
        if not Meeting.objects.filter(topic_id=topic.pk, stage=Stage.FINALIZED).exists():
            raise ValidationError(NOT_FINISHED)
        mark, created = ExemplaryTopic.objects.update_or_create(
            topic=topic, committee=committee, defaults={"reason": reason, "marked_by": actor}
        )
        if created:
            activity_record(
                cell=topic.cell,
                actor=actor,
                action=f"{committee.committee_display} chọn là chuyên đề tiêu biểu",
                topic=topic,
            )
    return mark


def topic_unmark_exemplary(*, topic: Topic, actor) -> None:
    committee = marking_committee(topic=topic, actor=actor)
    with transaction.atomic():
        deleted, _ = ExemplaryTopic.objects.filter(topic=topic, committee=committee).delete()
        if not deleted:
            raise ValidationError("Chuyên đề này chưa được cấp ủy của đồng chí chọn là tiêu biểu.")
        activity_record(
            cell=topic.cell,
            actor=actor,
            action=f"{committee.committee_display} bỏ chọn chuyên đề tiêu biểu",
            topic=topic,
        )


def topic_create_from_exemplary(*, source_id: int, cell: Organization, actor, quarter: int | None = None) -> Topic:
    """A new draft topic of the cell, planned in this year's plan, from a topic of its library
    (an exemplary one, or one of its own): title, group, purpose and the lead paper's text are
    copied; files, contributions and the meeting's record are not. The lead paper is assigned
    to the one who started it (a draft to rework), so it is nobody's approved paper."""
    access = access_for(actor)
    if not access.can(PREPARE, cell.pk):
        raise PermissionDenied("Chỉ chi ủy mới được tạo chuyên đề mới.")
    source = library_topic(cell_id=cell.pk, pk=source_id, cell_path=cell.path)
    if source is None:
        raise ValidationError("Chuyên đề mẫu không có trong thư viện của chi bộ.")
    today = timezone.localdate()
    quarter = quarter or quarter_of(today)
    with transaction.atomic():
        plan = plan_get_or_create(cell=cell, year=today.year, actor=actor)
        meeting = plan_add_meeting(
            plan=plan,
            actor=actor,
            quarter=quarter,
            title=source.title,
            group=source.group,
            description=source.description,
        )
        topic = Topic.objects.select_for_update().get(pk=meeting.topic_id)
        topic.lead_paper_text = source.lead_paper_text or source.completed_text
        fields = ["lead_paper_text", "updated_at"]
        author = getattr(actor, "member", None) if access.member_id else None
        if author is not None and author.cell_id == cell.pk:
            topic.lead_author = author
            topic.lead_paper_status = LeadPaperStatus.ASSIGNED
            topic.lead_assigned_at = timezone.now()
            topic.lead_assigned_by = actor
            fields += ["lead_author", "lead_paper_status", "lead_assigned_at", "lead_assigned_by"]
        topic.save(update_fields=fields)
        origin = "" if source.cell_id == cell.pk else f" của {source.cell.name}"
        activity_record(
            cell=cell,
            actor=actor,
            action=f"Tạo chuyên đề theo mẫu “{source.title}”{origin}",
            topic=topic,
        )
    return topic
