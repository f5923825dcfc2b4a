"""Excel workbooks: one builder for every export, the import template and the archive index.
Every cell value passes through `safe_cell` so that text coming from users (names, topics,
comments) can never become a formula when the file is opened."""

import datetime
import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The member list's columns, shared by the export and the import template, so that an
# exported list can be edited and imported again.
MEMBER_HEADERS = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số thẻ đảng viên",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Điện thoại",
    "E-mail",
    "Chức vụ",
    "Tình trạng",
]
MEMBER_WIDTHS = [6, 28, 12, 9, 16, 14, 14, 14, 28, 14, 22]


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
