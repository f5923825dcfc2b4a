import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from meetings.documents.spreadsheets import MEMBER_HEADERS
from meetings.models import Member
from meetings.services.imports import members_import, members_import_preview, template_xlsx
from tests import factories as f

pytestmark = pytest.mark.django_db


def xlsx(rows):
    wb = Workbook()
    wb.active.append(MEMBER_HEADERS)
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("ds.xlsx", buf.getvalue())


def test_preview_reports_each_rows_problems_in_vietnamese(cell):
    f.MemberFactory(cell=cell, card_number="999")
    rows = members_import_preview(
        cell=cell,
        file=xlsx(
            [
                [
                    1,
                    "Nguyễn Văn An",
                    "19/05/1980",
                    "Nam",
                    "111",
                    datetime.datetime(2005, 2, 3),
                    None,
                    "",
                    "an@example.vn",
                ],
                [2, "", "01/01/1990", "Nữ", "112"],
                [3, "Trần Thị Bình", "31/02/1990", "Nữ", "111"],
                [4, "Lê Văn Cường", 33000, "Nam", "999", None, None, "", "sai-email"],
            ]
        ),
    )
    assert [r.ok for r in rows] == [True, False, False, False]
    assert "Thiếu họ và tên." in rows[1].problems
    assert any("Ngày sinh" in p for p in rows[2].problems)
    assert any("trùng với dòng 2" in p for p in rows[2].problems)
    assert any("đã có trong hệ thống" in p for p in rows[3].problems)
    assert any("E-mail" in p for p in rows[3].problems)
    assert rows[3].values["date_of_birth"] == "1990-05-07"  # Excel serial date
    assert Member.objects.count() == 1  # preview saves nothing


def test_import_saves_only_good_rows(cell):
    rows = members_import_preview(
        cell=cell,
        file=xlsx(
            [
                [1, "Nguyễn Văn An", "19/05/1980", "Nam", "111"],
                [2, "", "01/01/1990"],
            ]
        ),
    )
    created, skipped = members_import(cell=cell, rows=rows)
    assert [m.full_name for m in created] == ["Nguyễn Văn An"]
    assert created[0].date_of_birth == datetime.date(1980, 5, 19)
    assert len(skipped) == 1


def test_template_file_imports_cleanly(cell):
    rows = members_import_preview(cell=cell, file=SimpleUploadedFile("mau.xlsx", template_xlsx()))
    assert len(rows) == 3
    assert all(r.ok for r in rows), [r.problems for r in rows]
