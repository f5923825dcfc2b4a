"""The topic document: the lead paper with the topic's data, sent to members and upward."""

import re

from django.utils import timezone

from meetings.documents.base import date_line, document_place, render_pdf
from meetings.documents.meetings import cell_secretary


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text or "") if p.strip()]


def render_topic_pdf(topic) -> bytes:
    cell = topic.cell
    superior = cell.parent
    secretary = cell_secretary(cell)
    issued = timezone.localtime(topic.lead_approved_at).date() if topic.lead_approved_at else timezone.localdate()
    meeting = getattr(topic, "meeting", None) if hasattr(topic, "meeting") else None
    ctx = {
        "title": f"Đề dẫn chuyên đề – {topic.title}",
        "topic": topic,
        "meeting": meeting,
        "superior_name": superior.name if superior else "",
        "cell_name": cell.name,
        "date_line": date_line(document_place(cell), issued),
        "description": paragraphs(topic.description),
        "lead_paper": paragraphs(topic.lead_paper_text),
        "contributions": list(topic.contributions.select_related("member").order_by("due_on", "id")),
        "author_name": topic.lead_author.full_name if topic.lead_author_id else "",
        "signer_name": secretary.full_name if secretary else "",
        "approved": topic.lead_paper_status == "approved",
    }
    return render_pdf("documents/topic.html", ctx)
