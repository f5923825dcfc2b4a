"""The topic document: the lead paper with the topic's data, sent to members and upward."""

import re

from django.utils import timezone

from meetings.documents.base import date_line, document_place, render_pdf
from meetings.documents.meetings import cell_secretary


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text or "") if p.strip()]


def render_topic_pdf(topic, *, lead_paper: bool = False) -> bytes:
    """The completed topic when there is one (unless the lead paper is asked for), else the lead paper."""
    completed = not lead_paper and bool(topic.completed_text or topic.completed_file)
    cell = topic.cell
    superior = cell.parent
    secretary = cell_secretary(cell)
    issued_at = topic.completed_at if completed else topic.lead_approved_at
    issued = timezone.localtime(issued_at).date() if issued_at else timezone.localdate()
    meeting = getattr(topic, "meeting", None) if hasattr(topic, "meeting") else None
    ctx = {
        "title": f"{'Chuyên đề (đã hoàn chỉnh sau sinh hoạt)' if completed else 'Đề dẫn chuyên đề'} – {topic.title}",
        "completed": completed,
        "topic": topic,
        "meeting": meeting,
        "superior_name": superior.name if superior else "",
        "cell_name": cell.name,
        "date_line": date_line(document_place(cell), issued),
        "description": paragraphs(topic.description),
        "lead_paper": paragraphs(topic.completed_text if completed else topic.lead_paper_text),
        "contributions": list(topic.contributions.select_related("member").order_by("due_on", "id")),
        "author_name": topic.lead_author.full_name if topic.lead_author_id else "",
        "signer_name": secretary.full_name if secretary else "",
        "approved": topic.lead_paper_status == "approved",
    }
    return render_pdf("documents/topic.html", ctx)
