"""Excel writers. Every cell value passes through `safe_cell` so that text coming from users
(names, topics, comments) can never become a formula when the file is opened."""

import datetime
import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from meetings.services.imports import TEMPLATE_HEADERS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """Prefix text that a spreadsheet would read as a formula with an apostrophe. Control
    characters a worksheet cannot hold (typed or pasted into a name) are dropped first."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def workbook_bytes(
    *,
    title: str,
    headers: list[str],
    rows,
    widths: list[int] | None = None,
    sheets: list[tuple[str, list[str], list]] | None = None,
) -> bytes:
    """One sheet (or several) with a bold header row; dates shown dd/mm/yyyy."""
    wb = Workbook()
    all_sheets = [(title, headers, rows), *(sheets or [])]
    for index, (sheet_title, sheet_headers, sheet_rows) in enumerate(all_sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = sheet_title[:31]
        _fill(ws, sheet_headers, sheet_rows, widths if index == 0 else None)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fill(ws, headers, rows, widths):
    ws.append([safe_cell(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B3151B")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        ws.append([safe_cell(v) for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    for i, header in enumerate(headers, start=1):
        width = widths[i - 1] if widths and i <= len(widths) else max(12, min(40, len(str(header)) + 4))
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def dashboard_xlsx(*, board) -> bytes:
    """The dashboard's table (one row per direct child) plus the non-compliant list."""
    headers = [
        "Tổ chức trực thuộc",
        "Số chi bộ",
        "Đã sinh hoạt chuyên đề",
        "Chưa sinh hoạt",
        "Tỷ lệ (%)",
        "Tỷ lệ dự họp (%)",
        "Tốt",
        "Khá",
        "Trung bình",
        "Kém",
        "Báo cáo đã nhận",
    ]
    rows = []
    for row in [*board.rows, None]:
        fig = board.totals if row is None else row.figures
        name = "Tổng cộng" if row is None else row.org["name"]
        rows.append(
            [
                name,
                fig.total_cells,
                fig.compliant,
                fig.non_compliant,
                fig.compliance_pct,
                fig.attendance_pct,
                fig.grades["good"],
                fig.grades["fair"],
                fig.grades["average"],
                fig.grades["poor"],
                fig.reports,
            ]
        )
    missing = [
        [c["name"], c["parent_name"], c["secretary_name"], c["secretary_phone"], c["secretary_email"] or c["email"]]
        for c in board.non_compliant
    ]
    return workbook_bytes(
        title=f"Quý {board.quarter}-{board.year}",
        headers=headers,
        rows=rows,
        widths=[40, 10, 14, 12, 10, 12, 8, 8, 10, 8, 12],
        sheets=[("Chưa sinh hoạt", ["Chi bộ", "Trực thuộc", "Bí thư", "Điện thoại", "E-mail"], missing)],
    )


def members_xlsx(*, members) -> bytes:
    # The import template's columns: an export can be edited and imported again.
    headers = TEMPLATE_HEADERS
    rows = [
        [
            i,
            m.full_name,
            m.date_of_birth,
            m.get_gender_display(),
            m.card_number,
            m.joined_on,
            m.full_member_on,
            m.phone,
            m.email,
            m.get_position_display(),
            m.get_status_display(),
        ]
        for i, m in enumerate(members, start=1)
    ]
    return workbook_bytes(
        title="Danh sách đảng viên", headers=headers, rows=rows, widths=[6, 28, 12, 9, 16, 14, 14, 14, 28, 14, 22]
    )
