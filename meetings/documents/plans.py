"""The cell's yearly plan of thematic meetings, as reported to the superior committee."""

from django.conf import settings

from meetings.documents.base import (
    cell_signature,
    document_place,
    header_context,
    local,
    recipients,
    render_pdf,
    roman,
)
from meetings.documents.topics import paragraphs
from meetings.models import PlanStatus


def render_plan_pdf(plan) -> bytes:
    cell = plan.cell
    superior = cell.parent
    # Issued when submitted to the superior committee; a reopened plan is a draft again.
    draft = plan.status != PlanStatus.SUBMITTED
    submitted = local(plan.submitted_at)
    meetings = list(
        plan.meetings.select_related("topic", "topic__group", "responsible")
        .exclude(stage="cancelled")
        .order_by("quarter", "planned_month", "scheduled_date", "id")
    )
    ctx = {
        "title": f"Kế hoạch sinh hoạt chuyên đề năm {plan.year}",
        "plan": plan,
        **header_context(
            superior_name=superior.name if superior else "",
            issuer_name=cell.name,
            place=document_place(cell),
            day=submitted.date() if submitted else None,
            year=plan.year,
            draft=draft,
            number_label=plan.number_label,
            number_suffix="KH/CB",
        ),
        "cell_name": cell.name,
        "note": paragraphs(plan.note),
        "rows": [{"meeting": mt, "quarter": roman(mt.quarter)} for mt in meetings],
        "signature": cell_signature(cell),
        "materials_days": settings.CHIBO["MATERIALS_MIN_DAYS_BEFORE"],
        "recipients": recipients(superior),
    }
    return render_pdf("documents/plan.html", ctx)
