"""A cell's or a committee's year as one ZIP: every minutes and topic PDF plus an xlsx index."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from meetings.documents.archive import build_archive
from meetings.models import OrgKind
from meetings.permissions import cell_for_user, organization_for_user, require_committee_staff
from meetings.selectors.meetings import archive_minutes

MAX_MINUTES = 1000  # a larger subtree is archived level by level


def _year(request) -> int:
    try:
        return int(request.GET.get("nam", timezone.localdate().year))
    except ValueError:
        return timezone.localdate().year


def _zip_response(minutes_qs, *, filename: str):
    return FileResponse(
        build_archive(minutes_qs), as_attachment=True, filename=filename, content_type="application/zip"
    )


@login_required
def archive_cell(request, pk):
    cell = cell_for_user(request.user, pk)
    year = _year(request)
    return _zip_response(
        archive_minutes(cell_filter=Q(cell=cell), year=year), filename=f"Lưu trữ biên bản {cell.name} năm {year}.zip"
    )


@login_required
def archive_org(request, pk):
    require_committee_staff(request.user, "Chỉ cán bộ cấp ủy cấp trên được tải lưu trữ của cấp ủy.")
    org = organization_for_user(request.user, pk)
    if org.kind == OrgKind.CELL:
        return redirect(f"{reverse('archive:cell', args=[org.pk])}?nam={_year(request)}")
    if org.kind != OrgKind.COMMITTEE:
        raise Http404
    year = _year(request)
    qs = archive_minutes(cell_filter=Q(cell__path__startswith=org.path), year=year)
    if qs.count() > MAX_MINUTES:
        messages.error(request, f"Có hơn {MAX_MINUTES} biên bản; vui lòng tải lưu trữ theo từng tổ chức trực thuộc.")
        return redirect("dashboard:org", pk=org.pk)
    return _zip_response(qs, filename=f"Lưu trữ biên bản {org.name} năm {year}.zip")
