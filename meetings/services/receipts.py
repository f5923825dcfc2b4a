"""Materials receipts: the first time a member opened a meeting's materials (issue 17, item 4).

One row per member and meeting, inserted once (INSERT … ON CONFLICT DO NOTHING): a second
visit changes nothing, so the first opening stays the evidence of the 1-day rule."""

from django.utils import timezone

from meetings.models import MaterialsReceipt, Meeting, ReceiptVia
from meetings.selectors.receipts import materials_were_sent

VIAS = set(ReceiptVia.values)


def materials_receipt_record(*, meeting: Meeting, member_id: int, via: str, at=None) -> None:
    """Record the member's first opening of the meeting's materials, in one statement that
    does nothing when the member opened them before. The caller has checked that the member
    belongs to the meeting's cell."""
    if via not in VIAS:
        via = ReceiptVia.PORTAL
    if not member_id or not materials_were_sent(meeting):
        return
    MaterialsReceipt.objects.bulk_create(
        [MaterialsReceipt(meeting_id=meeting.pk, member_id=member_id, first_opened_at=at or timezone.now(), via=via)],
        ignore_conflicts=True,
    )


def materials_receipt_record_for_topic(*, topic, member_id: int | None, member_cell_id: int | None, via: str) -> None:
    """The lead paper's PDF or file was downloaded: an opening of its meeting's materials when
    the reader is a member of the topic's own cell (a committee reader is no receipt)."""
    if not member_id or member_cell_id != topic.cell_id:
        return
    meeting = Meeting.objects.filter(topic_id=topic.pk, cell_id=topic.cell_id).only(
        "pk", "topic_id", "notice_sent_at", "stage"
    )
    meeting = meeting.first()
    if meeting is not None:
        materials_receipt_record(meeting=meeting, member_id=member_id, via=via)
