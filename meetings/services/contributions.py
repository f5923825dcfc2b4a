"""A member submits (or replaces) the contribution assigned to them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from meetings.models import CONTRIBUTION_TEXT_MAX_LENGTH, Contribution
from meetings.models.limits import require_length
from meetings.permissions import PREPARE, access_for
from meetings.text import sanitize_rich_text
from meetings.uploads import safe_name, validate_upload
from meetings.workflow import Stage

CLOSED_STAGES = {Stage.IN_PROGRESS, Stage.HELD, Stage.FINALIZED, Stage.CANCELLED}


def contribution_submit(*, contribution: Contribution, actor, text: str = "", file=None) -> Contribution:
    """The member themself or a preparer of the cell; text and/or a PDF/DOCX checked by content."""
    access = access_for(actor)
    cell_id = contribution.topic.cell_id
    if contribution.member_id != access.member_id and not access.can(PREPARE, cell_id):
        raise PermissionDenied("Đồng chí không được phân công tham luận này.")
    text = (text or "").strip()
    require_length("text", text, CONTRIBUTION_TEXT_MAX_LENGTH)
    kind = validate_upload(file) if file else None
    if not text and not file and not contribution.file:
        raise ValidationError("Vui lòng nhập nội dung tham luận hoặc đính kèm tệp PDF/Word.")
    with transaction.atomic():
        contribution = Contribution.objects.select_for_update().select_related("topic").get(pk=contribution.pk)
        meeting_stage = contribution.topic.meeting.stage if hasattr(contribution.topic, "meeting") else None
        if meeting_stage in CLOSED_STAGES:
            raise ValidationError("Buổi sinh hoạt đã diễn ra, không thể nộp hoặc thay tham luận nữa.")
        contribution.text = sanitize_rich_text(text)
        # Cleaning may escape characters: the stored text must fit too.
        require_length("text", contribution.text, CONTRIBUTION_TEXT_MAX_LENGTH)
        if file:
            old = contribution.file.name if contribution.file else None
            contribution.file.save(safe_name(kind), file, save=False)
            if old:
                transaction.on_commit(lambda: contribution.file.storage.delete(old))
        contribution.submitted_at = timezone.now()
        contribution.submitted_by = actor
        contribution.save()
    return contribution
