"""The secretary's member list: add, edit, import from Excel (preview first) and export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from meetings.documents.spreadsheets import XLSX_CONTENT_TYPE
from meetings.forms import CellDocumentSettingsForm, FollowerForm, MemberForm, MemberImportForm
from meetings.models import DocumentKind, Member
from meetings.permissions import MANAGE, access_for, cell_for_user, member_for_user, require_level
from meetings.selectors.members import cell_members
from meetings.selectors.numbering import cell_document_series, cell_register
from meetings.services import imports
from meetings.services.exports import content_disposition, members_xlsx
from meetings.services.members import member_create, member_update
from meetings.services.numbering import cell_document_settings_update
from meetings.services.organizations import organization_follower_set
from meetings.uploads import validate_upload
from meetings.views._common import apply_errors, error_messages

SESSION_KEY = "chibo_member_import"


def _my_cell(request):
    access = access_for(request.user)
    if not access.cell_id:
        raise Http404
    require_level(request.user, MANAGE, access.cell_id)
    return cell_for_user(request.user, access.cell_id, level=MANAGE)


@login_required
def member_list(request):
    cell = _my_cell(request)
    members = cell_members(cell.pk)
    return render(request, "meetings/members/list.html", {"cell": cell, "members": members})


@login_required
def member_create_view(request):
    cell = _my_cell(request)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            member_create(cell=cell, full_name=data.pop("full_name"), **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Đã thêm đảng viên.")
            return redirect("members:list")
    return render(
        request,
        "meetings/members/form.html",
        {"form": form, "cell": cell, "member": None},
        status=400 if form.errors else 200,
    )


@login_required
def cell_follower(request, pk):
    """The secretary names the superior committee's member who follows the cell."""
    cell = cell_for_user(request.user, pk, level=MANAGE)
    form = FollowerForm(request.POST or None, cell=cell, initial={"follower": cell.follower_id})
    if request.method == "POST" and form.is_valid():
        try:
            organization_follower_set(cell=cell, follower=form.cleaned_data["follower"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Đã lưu cấp ủy viên phụ trách chi bộ.")
            return redirect("members:list")
    return render(
        request, "meetings/members/follower.html", {"form": form, "cell": cell}, status=400 if form.errors else 200
    )


@login_required
def cell_document_settings(request, pk):
    """The cell's document data: the committee term, the first numbers, the register."""
    cell = cell_for_user(request.user, pk, level=MANAGE)
    key, series = cell_document_series(cell)
    locked = {row.kind for row in series if row.locked}
    initial = {"term_started_on": cell.term_started_on, **{f"first_{row.kind}": row.first_number for row in series}}
    form = CellDocumentSettingsForm(request.POST or None, initial=initial, kinds=DocumentKind.choices, locked=locked)
    if request.method == "POST" and form.is_valid():
        try:
            cell_document_settings_update(
                cell=cell,
                actor=request.user,
                term_started_on=form.cleaned_data["term_started_on"],
                first_numbers=form.first_numbers(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin văn bản của chi bộ.")
            return redirect("members:document_settings", pk=cell.pk)
    return render(
        request,
        "meetings/members/document_settings.html",
        {"form": form, "cell": cell, "term_key": key, "series": series, "register": cell_register(cell)},
        status=400 if form.errors else 200,
    )


@login_required
def member_edit(request, pk):
    member = member_for_user(request.user, pk, level=MANAGE)
    form = MemberForm(request.POST or None, instance=Member.objects.get(pk=member.pk))
    if request.method == "POST" and form.is_valid():
        try:
            member_update(member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin đảng viên.")
            return redirect("members:list")
    return render(
        request,
        "meetings/members/form.html",
        {"form": form, "cell": member.cell, "member": member},
        status=400 if form.errors else 200,
    )


@login_required
def member_export(request):
    cell = _my_cell(request)
    members = cell_members(cell.pk)
    response = HttpResponse(members_xlsx(members=members), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"Danh sách đảng viên {cell.name}.xlsx")
    return response


@login_required
def member_import_template(request):
    _my_cell(request)
    response = HttpResponse(imports.template_xlsx(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-dang-vien.xlsx"'
    return response


@login_required
def member_import(request):
    """Upload → preview (nothing saved); the rows are kept in the session for the confirmation."""
    cell = _my_cell(request)
    form = MemberImportForm(request.POST or None, request.FILES or None)
    rows = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            validate_upload(upload, kinds=("xlsx",))
            rows = imports.members_import_preview(cell=cell, file=upload)
        except ValidationError as exc:
            for message in error_messages(exc):
                form.add_error("file", message)
        else:
            request.session[SESSION_KEY] = {"cell": cell.pk, "rows": imports.preview_to_session(rows)}
    return render(
        request,
        "meetings/members/import.html",
        {
            "form": form,
            "cell": cell,
            "rows": rows,
            "ok_count": sum(1 for r in rows if r.ok) if rows else 0,
            "bad_count": sum(1 for r in rows if not r.ok) if rows else 0,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def member_import_confirm(request):
    cell = _my_cell(request)
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("cell") != cell.pk:
        messages.error(request, "Phiên xem trước đã hết hạn. Vui lòng tải tệp lên lại.")
        return redirect("members:import")
    created, skipped = imports.members_import(cell=cell, rows=imports.rows_from_session(stored["rows"]))
    del request.session[SESSION_KEY]
    messages.success(request, f"Đã nhập {len(created)} đảng viên.")
    if skipped:
        messages.warning(
            request, f"Bỏ qua {len(skipped)} dòng có lỗi: dòng " + ", ".join(str(r.line) for r in skipped) + "."
        )
    return redirect("members:list")
