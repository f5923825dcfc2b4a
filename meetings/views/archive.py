"""A cell's or a committee's year as one ZIP: every minutes and topic PDF plus an xlsx index."""

import tempfile
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from meetings.models import Minutes, OrgKind
from meetings.permissions import access_for, cell_for_user, organization_for_user
from meetings.services.exports import workbook_bytes

MAX_MINUTES = 1000  # a larger subtree is archived level by level


def _year(request) -> int:
    try:
        return int(request.GET.get("nam", timezone.localdate().year))
    except ValueError:
        return timezone.localdate().year


def _zip_response(minutes_qs, *, filename: str):
    from meetings.documents.topics import render_topic_pdf  # written by the documents work

    index = []
    spool = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 - handed to FileResponse
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for minutes in minutes_qs:
            meeting = minutes.meeting
            folder = f"{minutes.cell_id:06d}-{minutes.year}-{minutes.number:02d}"
            minutes_name = topic_name = ""
            if minutes.pdf:
                minutes_name = f"{folder}/bien-ban-{minutes.number:02d}.pdf"
                with minutes.pdf.open("rb") as fh:
                    archive.writestr(minutes_name, fh.read())
            if meeting.topic_id:
                topic_name = f"{folder}/chuyen-de.pdf"
                archive.writestr(topic_name, render_topic_pdf(meeting.topic))
            grade = getattr(getattr(meeting, "conclusion", None), "quality_grade", "")
            index.append(
                [
                    minutes.cell.name,
                    minutes.number_label,
                    meeting.title,
                    meeting.scheduled_date,
                    meeting.get_kind_display(),
                    grade,
                    minutes_name,
                    topic_name,
                    minutes.pdf_sha256,
                    minutes.verification_code,
                ]
            )
        archive.writestr(
            "muc-luc.xlsx",
            workbook_bytes(
                title="Mục lục",
                headers=[
                    "Chi bộ",
                    "Số biên bản",
                    "Chuyên đề",
                    "Ngày họp",
                    "Loại",
                    "Xếp loại",
                    "Tệp biên bản",
                    "Tệp chuyên đề",
                    "SHA-256 biên bản",
                    "Mã xác thực",
                ],
                rows=index,
                widths=[30, 14, 45, 12, 20, 10, 32, 32, 66, 12],
            ),
        )
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type="application/zip")


def _minutes(qs, year):
    return (
        qs.filter(year=year)
        .select_related("cell", "meeting", "meeting__topic", "meeting__topic__group", "meeting__conclusion")
        .order_by("cell__path", "number")
    )


@login_required
def archive_cell(request, pk):
    cell = cell_for_user(request.user, pk)
    year = _year(request)
    return _zip_response(_minutes(Minutes.objects.filter(cell=cell), year), filename=f"luu-tru-{cell.pk}-{year}.zip")


@login_required
def archive_org(request, pk):
    access = access_for(request.user)
    if not (access.superuser or access.committee_path):
        raise PermissionDenied("Chỉ cán bộ cấp ủy cấp trên được tải lưu trữ của cấp ủy.")
    org = organization_for_user(request.user, pk)
    if org.kind == OrgKind.CELL:
        return redirect(f"{reverse('archive_cell', args=[org.pk])}?nam={_year(request)}")
    if org.kind != OrgKind.COMMITTEE:
        raise Http404
    year = _year(request)
    qs = _minutes(Minutes.objects.filter(cell__path__startswith=org.path), year)
    if qs.count() > MAX_MINUTES:
        messages.error(request, f"Có hơn {MAX_MINUTES} biên bản; vui lòng tải lưu trữ theo từng tổ chức trực thuộc.")
        return redirect("dashboard_org", pk=org.pk)
    return _zip_response(qs, filename=f"luu-tru-{org.pk}-{year}.zip")
