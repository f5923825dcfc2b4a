"""Excel exports of the dashboard and of a cell's member list, and their file names."""

from urllib.parse import quote

from django.utils.text import slugify

from meetings.documents.spreadsheets import MEMBER_HEADERS, MEMBER_WIDTHS, workbook_bytes
from meetings.text import fold


def dashboard_filename(*, org, year: int, quarter: int) -> str:
    """E.g. "Tổng hợp Đảng ủy Khối các cơ quan tỉnh quý 4-2026.xlsx": what the file is, the
    committee it is for and the period, readable in a downloads folder."""
    return f"Tổng hợp {org.committee_display or org.name} quý {quarter}-{year}.xlsx"


def content_disposition(filename: str, *, disposition: str = "attachment") -> str:
    """An attachment header every browser reads: an ASCII fallback without diacritics
    ("tong-hop-dang-uy-khoi-cac-co-quan-tinh-quy-4-2026.xlsx") and the Vietnamese name as
    RFC 5987 `filename*`."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    fallback = (slugify(fold(stem)) or "tep")[:120].strip("-") + (f".{extension}" if extension else "")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def dashboard_xlsx(*, board) -> bytes:
    """The dashboard's table (one row per direct child) plus the lists of cells, each cell in
    one of them as on the page (not scheduled, while the quarter is open, wins)."""
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
    contact = ["Chi bộ", "Trực thuộc", "Bí thư", "Điện thoại", "E-mail"]
    sheets = [
        (
            "Chưa sinh hoạt" if not board.quarter_open else "Đã lên lịch, chưa hoàn tất",
            contact,
            _contacts(board.non_compliant),
        )
    ]
    if board.quarter_open:
        sheets.append(("Chưa lên lịch (nguy cơ)", contact, _contacts(board.at_risk)))
    return workbook_bytes(
        title=f"Quý {board.quarter}-{board.year}",
        headers=headers,
        rows=rows,
        widths=[40, 10, 14, 12, 10, 12, 8, 8, 10, 8, 12],
        sheets=sheets,
    )


def _contacts(cells: list[dict]) -> list[list]:
    return [
        [c["name"], c["parent_name"], c["secretary_name"], c["secretary_phone"], c["secretary_email"] or c["email"]]
        for c in cells
    ]


def members_xlsx(*, members) -> bytes:
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
    # The import template's columns: an export can be edited and imported again.
    return workbook_bytes(title="Danh sách đảng viên", headers=MEMBER_HEADERS, rows=rows, widths=MEMBER_WIDTHS)
