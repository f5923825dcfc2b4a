"""The superior committee's compliance dashboard: committee staff (and superusers) only."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from meetings import pagecache
from meetings.models import Organization, OrgKind
from meetings.permissions import access_for, organization_for_user
from meetings.selectors import dashboard as selectors
from meetings.services.compliance import quarter_of
from meetings.services.exports import XLSX_CONTENT_TYPE, dashboard_xlsx


def _require_committee_staff(user):
    access = access_for(user)
    if not (access.superuser or access.committee_path):
        raise PermissionDenied("Trang tổng hợp chỉ dành cho cán bộ cấp ủy cấp trên.")
    return access


def _period(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("nam", today.year))
    except ValueError:
        year = today.year
    try:
        quarter = int(request.GET.get("quy", quarter_of(today)))
    except ValueError:
        quarter = quarter_of(today)
    if not 2000 <= year <= today.year + 1:
        year = today.year
    if quarter not in (1, 2, 3, 4):
        quarter = quarter_of(today)
    return year, quarter


def _home_committee(user, access) -> Organization:
    if access.committee_id:
        return get_object_or_404(Organization, pk=access.committee_id)
    root = Organization.objects.filter(parent__isnull=True, kind=OrgKind.COMMITTEE).order_by("pk").first()
    if root is None:
        raise Http404
    return root


def _breadcrumbs(user, access, org):
    crumbs = list(Organization.objects.ancestors_of(org).values("id", "name", "path"))
    if not access.superuser:
        crumbs = [c for c in crumbs if c["path"].startswith(access.committee_path)]
    return crumbs


@login_required
def dashboard_home(request):
    access = _require_committee_staff(request.user)
    org = _home_committee(request.user, access)
    return _render_dashboard(request, access, org)


@login_required
def dashboard_org(request, pk):
    access = _require_committee_staff(request.user)
    org = organization_for_user(request.user, pk)
    if org.kind == OrgKind.CELL:
        return redirect("dashboard_cell", pk=org.pk)
    if org.kind != OrgKind.COMMITTEE:
        raise Http404
    return _render_dashboard(request, access, org)


def _render_dashboard(request, access, org):
    return pagecache.cached_page(
        request, scopes=[pagecache.dashboard_scope(org.pk)], render=lambda: _dashboard_response(request, access, org)
    )


def _dashboard_response(request, access, org):
    year, quarter = _period(request)
    board = selectors.dashboard(committee=org, year=year, quarter=quarter)
    chart = {
        "children": {
            "labels": [r.org["name"] for r in board.rows],
            "compliance": [r.figures.compliance_pct or 0 for r in board.rows],
        },
        "quarters": {
            "labels": [f"Quý {q}" for q, _, _ in board.per_quarter],
            "compliance": [round(100 * n / total, 1) if total else 0 for _, n, total in board.per_quarter],
        },
        "grades": {
            "labels": ["Tốt", "Khá", "Trung bình", "Kém"],
            "values": [board.totals.grades[g] for g in selectors.GRADES],
        },
    }
    today = timezone.localdate()
    return render(
        request,
        "meetings/dashboard_page.html",
        {
            "board": board,
            "org": org,
            "year": year,
            "quarter": quarter,
            "years": list(range(today.year, today.year - 6, -1)),
            "quarters": [1, 2, 3, 4],
            "chart": chart,
            "crumbs": _breadcrumbs(request.user, access, org),
            "list_limit": selectors.LIST_LIMIT,
        },
    )


@login_required
def dashboard_export(request, pk):
    _require_committee_staff(request.user)
    org = organization_for_user(request.user, pk)
    if org.kind != OrgKind.COMMITTEE:
        raise Http404
    year, quarter = _period(request)
    board = selectors.dashboard(committee=org, year=year, quarter=quarter)
    response = HttpResponse(dashboard_xlsx(board=board), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="tong-hop-{org.pk}-quy{quarter}-{year}.xlsx"'
    return response


@login_required
def dashboard_cell(request, pk):
    """Drill-down to a cell: its quarters, meetings and minutes for the year."""
    access = _require_committee_staff(request.user)
    cell = organization_for_user(request.user, pk)
    if cell.kind != OrgKind.CELL:
        return redirect("dashboard_org", pk=cell.pk)
    year, quarter = _period(request)
    summaries = selectors.cell_summaries(cell=cell, year=year)
    return render(
        request,
        "meetings/dashboard_cell.html",
        {
            "cell": cell,
            "year": year,
            "quarter": quarter,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
            "quarter_rows": [(q, summaries.get(q)) for q in (1, 2, 3, 4)],
            "meetings": selectors.cell_meetings(cell=cell, year=year),
            "crumbs": _breadcrumbs(request.user, access, cell),
            "secretaries": cell.members.filter(position__in=["secretary", "deputy"]).exclude(status="moved_out"),
        },
    )
