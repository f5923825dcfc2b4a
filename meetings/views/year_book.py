"""The year's book of minutes of a cell: one PDF (cover, contents, every sealed minutes and
addendum in order)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from meetings.documents.base import PdfRenderTimeout
from meetings.documents.year_book import build_year_book
from meetings.permissions import access_for, cell_for_user
from meetings.selectors.year_book import year_book_parts
from meetings.services.exports import content_disposition


def _year(request) -> int:
    today = timezone.localdate()
    raw = request.GET.get("nam", "")
    year = int(raw) if raw.isascii() and raw.isdigit() and len(raw) == 4 else today.year
    return year if 2000 <= year <= today.year + 1 else today.year


@login_required
def year_book_pdf(request, pk):
    cell = cell_for_user(request.user, pk)
    year = _year(request)
    try:
        data = build_year_book(cell=cell, year=year, parts=year_book_parts(cell=cell, year=year))
    except PdfRenderTimeout as exc:  # said on the page the link was on, not a 500
        messages.error(request, exc.messages[0])
        if access_for(request.user).cell_id == cell.pk:
            return redirect("plans:index")
        return redirect(f"{reverse('dashboard:cell', args=[cell.pk])}?nam={year}")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"Sổ biên bản {cell.name} năm {year}.pdf", disposition="inline"
    )
    return response
