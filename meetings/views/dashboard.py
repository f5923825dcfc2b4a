"""The superior committee's compliance dashboard: committee staff (and superusers) only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from meetings.documents.spreadsheets import XLSX_CONTENT_TYPE, workbook_bytes
from meetings.models import OrgKind
from meetings.periods import quarter_of
from meetings.permissions import organization_for_user, require_committee_staff
from meetings.selectors import action_figures
from meetings.selectors import dashboard as selectors
from meetings.services.exports import content_disposition, dashboard_filename, dashboard_xlsx

DASHBOARD_ONLY = "Trang tổng hợp chỉ dành cho cán bộ cấp ủy cấp trên."


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


def _years() -> list[int]:
    today = timezone.localdate()
    return list(range(today.year, today.year - 6, -1))


@login_required
def dashboard_home(request):
    access = require_committee_staff(request.user, DASHBOARD_ONLY)
    org = selectors.home_committee(access=access)
    return _render_dashboard(request, access, org)


@login_required
def dashboard_org(request, pk):
    access = require_committee_staff(request.user, DASHBOARD_ONLY)
    org = organization_for_user(request.user, pk)
    if org.kind == OrgKind.CELL:
        return redirect("dashboard:cell", pk=org.pk)
    if org.kind != OrgKind.COMMITTEE:
        raise Http404
    return _render_dashboard(request, access, org)


_MARKER_PK = 987654321987  # no organisation has this id; it only marks the pk in a reversed URL


def _links(name: str, suffix: str = ""):
    """`reverse(name, args=[pk]) + suffix` for every pk of a page's rows, reversing once: the
    pk is the only part that changes (160 reversals per page at the national root cost about
    2 ms, a tenth of the page). The view tests compare the links with `reverse()`."""
    before, after = reverse(name, args=[_MARKER_PK]).split(str(_MARKER_PK))
    return lambda pk: f"{before}{pk}{after}{suffix}"


def _render_dashboard(request, access, org):
    year, quarter = _period(request)
    board = selectors.dashboard(committee=org, year=year, quarter=quarter)
    # The selector's plain rows get their links here: the template then reads one dictionary
    # key per cell (the table and the lists were most of the page's time).
    period = f"?nam={year}&quy={quarter}"
    link = {OrgKind.CELL: _links("dashboard:cell", period), OrgKind.COMMITTEE: _links("dashboard:org", period)}
    actions_link = _links("dashboard:actions", period)
    for row in board.table:
        row["url"] = link[row["kind"]](row["id"])
        row["actions_url"] = actions_link(row["id"])
    for cell in [*board.non_compliant, *board.at_risk, *board.warned]:
        cell["url"] = link[OrgKind.CELL](cell["id"])
    chart = {
        "children": {
            "labels": [r.org["name"] for r in board.rows],
            # A child without cells has no rate: no bar, rather than a bar at 0.
            "compliance": [r.figures.compliance_pct for r in board.rows],
        },
        "quarters": board.quarter_chart,
        "grades": {
            "labels": ["Tốt", "Khá", "Trung bình", "Kém"],
            "values": [board.totals.grades[g] for g in selectors.GRADES],
        },
    }
    return render(
        request,
        "meetings/dashboard/page.html",
        {
            "board": board,
            "org": org,
            "year": year,
            "quarter": quarter,
            "years": _years(),
            "quarters": [1, 2, 3, 4],
            "chart": chart,
            "crumbs": selectors.breadcrumbs(access=access, org=org),
            "list_limit": selectors.LIST_LIMIT,
        },
    )


@login_required
def dashboard_export(request, pk):
    require_committee_staff(request.user, DASHBOARD_ONLY)
    org = organization_for_user(request.user, pk)
    if org.kind != OrgKind.COMMITTEE:
        raise Http404
    year, quarter = _period(request)
    board = selectors.dashboard(committee=org, year=year, quarter=quarter)
    response = HttpResponse(dashboard_xlsx(board=board), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(dashboard_filename(org=org, year=year, quarter=quarter))
    return response


@login_required
def dashboard_cell(request, pk):
    """Drill-down to a cell: its quarters, meetings and minutes for the year."""
    access = require_committee_staff(request.user, DASHBOARD_ONLY)
    cell = organization_for_user(request.user, pk)
    if cell.kind != OrgKind.CELL:
        return redirect("dashboard:org", pk=cell.pk)
    year, quarter = _period(request)
    summaries = selectors.cell_summaries(cell=cell, year=year)
    return render(
        request,
        "meetings/dashboard/cell.html",
        {
            "cell": cell,
            "year": year,
            "quarter": quarter,
            "years": _years(),
            "quarter_rows": [(q, summaries.get(q)) for q in (1, 2, 3, 4)],
            "meetings": selectors.cell_meetings(cell=cell, year=year),
            "crumbs": selectors.breadcrumbs(access=access, org=cell),
            "secretaries": selectors.cell_leaders(cell=cell),
        },
    )


# --- action items (issue 17, item 3) --------------------------------------------------------


def _actions_org(request, pk):
    """The organisation of a drill-down: a committee or a cell inside the user's scope."""
    access = require_committee_staff(request.user, DASHBOARD_ONLY)
    org = organization_for_user(request.user, pk)
    if org.kind not in (OrgKind.CELL, OrgKind.COMMITTEE):
        raise Http404
    return access, org


@login_required
def dashboard_actions(request, pk):
    """The action items behind the dashboard's "Thực hiện kết luận" figures: of a child's cells
    (or of the committee's whole subtree) due in the quarter, late ones marked, 50 a page."""
    access, org = _actions_org(request, pk)
    year, quarter = _period(request)
    late_only = request.GET.get("tre_han") == "1"
    today = timezone.localdate()
    page, rows = action_figures.items_page(
        org=org, year=year, quarter=quarter, page=request.GET.get("trang"), late_only=late_only, today=today
    )
    skipped = action_figures.review_skipped_cells(org=org, year=year, quarter=quarter)
    period = f"?nam={year}&quy={quarter}"
    cell_link = _links("dashboard:cell", period)
    for cell in skipped:
        cell["url"] = cell_link(cell["cell_id"])
    query = period + ("&tre_han=1" if late_only else "")
    return render(
        request,
        "meetings/dashboard/actions.html",
        {
            "org": org,
            "year": year,
            "quarter": quarter,
            "years": _years(),
            "quarters": [1, 2, 3, 4],
            "late_only": late_only,
            "figures": action_figures.org_figures(org=org, year=year, quarter=quarter),
            "page": page,
            "rows": rows,
            "skipped": skipped,
            "list_limit": selectors.LIST_LIMIT,
            "query": query,
            "crumbs": selectors.breadcrumbs(access=access, org=org),
            "back_url": (
                reverse("dashboard:cell", args=[org.pk])
                if org.kind == OrgKind.CELL
                else reverse("dashboard:org", args=[org.pk])
            )
            + period,
        },
    )


ACTIONS_HEADERS = [
    "STT",
    "Chi bộ",
    "Biên bản",
    "Ngày họp",
    "Số thứ tự",
    "Nội dung công việc",
    "Người thực hiện",
    "Hạn hoàn thành",
    "Tình trạng",
    "Hoàn thành ngày",
    "Đúng hạn",
    "Trễ hạn",
    "Ghi chú tiến độ",
]
ACTIONS_WIDTHS = [6, 28, 14, 12, 8, 60, 28, 14, 18, 14, 10, 10, 40]
FIGURES_HEADERS = [
    "Tổ chức",
    "Số chi bộ",
    "Việc đến hạn trong quý",
    "Hoàn thành đúng hạn",
    "Tỷ lệ đúng hạn (%)",
    "Trễ hạn",
    "Chi bộ không kiểm điểm",
]


def _figures_row(name: str, fig) -> list:
    return [
        name,
        fig.total_cells,
        fig.actions_due,
        fig.actions_on_time,
        fig.actions_on_time_pct,
        fig.actions_late,
        fig.review_skipped,
    ]


@login_required
def dashboard_actions_export(request, pk):
    """The drill-down as a workbook: the figures (per direct child for a committee), the items
    (at most EXPORT_LIMIT) and the cells that reviewed nothing."""
    _, org = _actions_org(request, pk)
    year, quarter = _period(request)
    late_only = request.GET.get("tre_han") == "1"
    today = timezone.localdate()
    figures = [_figures_row(org.name, action_figures.org_figures(org=org, year=year, quarter=quarter))]
    if org.kind == OrgKind.COMMITTEE:
        children, _ = selectors.child_rows(committee=org, year=year, quarter=quarter)
        figures += [_figures_row(row.org["name"], row.figures) for row in children]
    rows = action_figures.export_rows(org=org, year=year, quarter=quarter, late_only=late_only, today=today)
    items = [
        [
            index,
            row.cell_name,
            row.minutes,
            row.meeting_date,
            row.number,
            row.text,
            row.owner,
            row.due_on,
            row.status_label,
            row.done_on,
            "Có" if row.on_time else "",
            "Có" if row.late else "",
            row.progress_note,
        ]
        for index, row in enumerate(rows, start=1)
    ]
    skipped = [
        [c["name"], c["parent_name"]]
        for c in action_figures.review_skipped_cells(
            org=org, year=year, quarter=quarter, limit=action_figures.EXPORT_LIMIT
        )
    ]
    data = workbook_bytes(
        title="Việc thực hiện kết luận",
        headers=ACTIONS_HEADERS,
        rows=items,
        widths=ACTIONS_WIDTHS,
        sheets=[
            ("Tổng hợp", FIGURES_HEADERS, figures),
            ("Chi bộ không kiểm điểm", ["Chi bộ", "Trực thuộc"], skipped),
        ],
    )
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    late = " (trễ hạn)" if late_only else ""
    response["Content-Disposition"] = content_disposition(
        f"Thực hiện kết luận{late} {org.name} quý {quarter}-{year}.xlsx"
    )
    return response
