"""Reports of finished topics and minutes to the directly superior committee: filing,
review (accept / return with a comment) and corrections sent as new versions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from meetings.models import Report, ReportStatus
from meetings.models.limits import REPORT_COMMENT_MAX_LENGTH, require_length
from meetings.permissions import access_for
from meetings.services.ledger import ledger_head
from meetings.services.notifications import notifications_for_report_answer


def report_submit(*, minutes, addendum=None) -> Report | None:
    """File a new version of the report in the superior committee's inbox (every version is kept).
    It carries the SHA-256 of the sealed file it sends and the cell's hash chain head, read in
    the sealing transaction (the chain is locked there), so the committee keeps its own copy."""
    committee = minutes.cell.parent
    if committee is None:
        return None
    version = (Report.objects.filter(minutes=minutes).aggregate(v=Max("version"))["v"] or 0) + 1
    head = ledger_head(cell_id=minutes.cell_id)
    return Report.objects.create(
        minutes=minutes,
        committee=committee,
        version=version,
        addendum=addendum,
        document_sha256=(addendum or minutes).pdf_sha256,
        chain_seq=head.seq if head else None,
        chain_head=head.record_hash if head else "",
    )


def report_review(*, report: Report, actor, accept: bool, comment: str = "") -> Report:
    """Committee staff accept the report or return it for correction (a comment is required)."""
    access = access_for(actor)
    if not access.superuser:
        committee_path = report.committee.path
        if not access.committee_path or not committee_path.startswith(access.committee_path):
            raise PermissionDenied("Đồng chí không thuộc cấp ủy nhận báo cáo này.")
    comment = (comment or "").strip()
    require_length("comment", comment, REPORT_COMMENT_MAX_LENGTH)
    if not accept and not comment:
        raise ValidationError({"comment": "Khi trả lại báo cáo, vui lòng ghi rõ nội dung cần bổ sung, sửa chữa."})
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.RECEIVED:
            raise ValidationError("Báo cáo này đã được xem xét.")
        latest = Report.objects.filter(minutes_id=report.minutes_id).aggregate(v=Max("version"))["v"]
        if report.version != latest:
            raise ValidationError("Đã có phiên bản mới hơn của báo cáo này; vui lòng xem xét phiên bản mới nhất.")
        report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
        report.comment = comment
        report.reviewed_at = timezone.now()
        report.reviewed_by = actor
        report.save(update_fields=["status", "comment", "reviewed_at", "reviewed_by"])
        notifications_for_report_answer(report=report)
    return report
