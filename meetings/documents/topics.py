"""The topic document: the lead paper with the topic's data, sent to members and upward."""

import re

from meetings.documents.base import cell_signature, document_place, header_context, local, long_date, render_pdf
from meetings.models import LeadPaperStatus


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text or "") if p.strip()]


def render_topic_pdf(topic, *, lead_paper: bool = False) -> bytes:
    """The completed topic when there is one (unless the lead paper is asked for), else the lead paper."""
    completed = not lead_paper and bool(topic.completed_text or topic.completed_file)
    cell = topic.cell
    superior = cell.parent
    # The lead paper is issued once the cell committee approves it; until then it is a draft.
    draft = not completed and topic.lead_paper_status != LeadPaperStatus.APPROVED
    issued_at = local(topic.completed_at if completed else topic.lead_approved_at)
    meeting = getattr(topic, "meeting", None) if hasattr(topic, "meeting") else None
    description = paragraphs(topic.description)
    ctx = {
        "title": f"{'Chuyên đề (đã hoàn chỉnh sau sinh hoạt)' if completed else 'Đề dẫn chuyên đề'} – {topic.title}",
        **header_context(
            superior_name=superior.name if superior else "",
            issuer_name=cell.name,
            place=document_place(cell),
            day=issued_at.date() if issued_at else None,
            year=topic.year,
            draft=draft,
        ),
        "completed": completed,
        "topic": topic,
        "meeting": meeting,
        "meeting_date": long_date(meeting.scheduled_date) if meeting and meeting.scheduled_date else "",
        "description": description,
        # Sections are numbered in order; a section with nothing to say is left out.
        "content_number": "II" if description or draft else "I",
        "lead_paper": paragraphs(topic.completed_text if completed else topic.lead_paper_text),
        "contributions": [
            {"subject": c.subject, "member": c.member.full_name, "due": c.due_on}
            for c in topic.contributions.select_related("member").order_by("due_on", "id")
        ],
        "author_name": topic.lead_author.full_name if topic.lead_author_id else "",
        "signature": cell_signature(cell),
    }
    ctx["contributions_number"] = "III" if ctx["content_number"] == "II" else "II"
    return render_pdf("documents/topic.html", ctx)
