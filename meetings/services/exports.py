"""Excel exports of the dashboard and of a cell's member list."""

from meetings.documents.spreadsheets import MEMBER_HEADERS, MEMBER_WIDTHS, workbook_bytes


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
