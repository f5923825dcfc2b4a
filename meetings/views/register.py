"""The cell's register of decisions ("Sổ nghị quyết, kết luận", issue 17, item 5): the page and
its Excel export. Every reader of the cell may open and export it (the cell's members, committee
staff above it); anyone else gets 404 from cell_for_user."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from meetings.documents.spreadsheets import XLSX_CONTENT_TYPE, workbook_bytes
from meetings.permissions import access_for, cell_for_user
from meetings.selectors.register import KINDS, STATUSES, RegisterFilters, register_rows, register_years
from meetings.services.exports import content_disposition

PAGE_SIZE = 50
QUERY_MAX = 100


def _filters(request) -> RegisterFilters:
    raw_year = request.GET.get("nam", "")
    year = int(raw_year) if raw_year.isascii() and raw_year.isdigit() and len(raw_year) == 4 else None
    kind = request.GET.get("loai", "")
    status = request.GET.get("tinh-trang", "")
    return RegisterFilters(
        year=year,
        kind=kind if kind in KINDS else "",
        status=status if status in STATUSES else "",
        query=request.GET.get("q", "").strip()[:QUERY_MAX],
    )


def _query_string(filters: RegisterFilters) -> str:
    params = {"nam": filters.year or "", "loai": filters.kind, "tinh-trang": filters.status, "q": filters.query}
    return urlencode({k: v for k, v in params.items() if v})


@login_required
def register_page(request, pk):
    cell = cell_for_user(request.user, pk)
    filters = _filters(request)
    page = Paginator(register_rows(cell=cell, filters=filters), PAGE_SIZE).get_page(request.GET.get("trang"))
    query_string = _query_string(filters)
    years = register_years(cell=cell)
    if filters.year and filters.year not in years:  # a year asked for (dashboard link) stays selected
        years = sorted([*years, filters.year], reverse=True)
    return render(
        request,
        "meetings/register/page.html",
        {
            "cell": cell,
            "page": page,
            "filters": filters,
            "years": years,
            "kinds": list(KINDS.items()),
            "statuses": list(STATUSES.items()),
            "query_string": query_string,
            "export_url": reverse("minutes:register_export", args=[cell.pk])
            + (f"?{query_string}" if query_string else ""),
            "own_cell": access_for(request.user).cell_id == cell.pk,
        },
    )


EXPORT_HEADERS = [
    "STT",
    "Ngày họp",
    "Chuyên đề, nội dung",
    "Biên bản số",
    "Loại",
    "Nội dung",
    "Biểu quyết",
    "Người thực hiện",
    "Hạn hoàn thành",
    "Tình trạng",
    "Ghi chú tiến độ",
]
EXPORT_WIDTHS = [6, 12, 36, 12, 14, 70, 30, 24, 14, 18, 36]


@login_required
def register_export(request, pk):
    cell = cell_for_user(request.user, pk)
    filters = _filters(request)
    rows = [
        [
            index,
            row.date,
            row.topic,
            row.minutes_label,
            row.kind_label,
            row.text,
            row.votes,
            row.owner,
            row.due_on,
            row.status_label,
            row.progress_note,
        ]
        for index, row in enumerate(register_rows(cell=cell, filters=filters), start=1)
    ]
    data = workbook_bytes(title="Sổ nghị quyết, kết luận", headers=EXPORT_HEADERS, rows=rows, widths=EXPORT_WIDTHS)
    year = f" năm {filters.year}" if filters.year else ""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"Sổ nghị quyết, kết luận {cell.name}{year}.xlsx")
    return response
