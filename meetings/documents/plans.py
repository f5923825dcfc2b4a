"""The cell's yearly plan of thematic meetings, as reported to the superior committee."""

from django.conf import settings
from django.utils import timezone

from meetings.documents.base import date_line, document_place, render_pdf
from meetings.documents.meetings import cell_secretary
from meetings.documents.topics import paragraphs


def render_plan_pdf(plan) -> bytes:
    cell = plan.cell
    superior = cell.parent
    secretary = cell_secretary(cell)
    issued = timezone.localtime(plan.submitted_at).date() if plan.submitted_at else timezone.localdate()
    meetings = list(
        plan.meetings.select_related("topic", "topic__group", "responsible")
        .exclude(stage="cancelled")
        .order_by("quarter", "planned_month", "scheduled_date", "id")
    )
    ctx = {
        "title": f"Kế hoạch sinh hoạt chuyên đề năm {plan.year}",
        "plan": plan,
        "superior_name": superior.name if superior else "",
        "cell_name": cell.name,
        "date_line": date_line(document_place(cell), issued),
        "note": paragraphs(plan.note),
        "rows": meetings,
        "quarters": sorted({mt.quarter for mt in meetings}),
        "signer_name": secretary.full_name if secretary else "",
        "materials_days": settings.CHIBO["MATERIALS_MIN_DAYS_BEFORE"],
        "recipients": [
            *([f"{superior.name} (để báo cáo)"] if superior else []),
            "Các đồng chí đảng viên trong chi bộ",
            "Lưu chi bộ",
        ],
    }
    return render_pdf("documents/plan.html", ctx)
