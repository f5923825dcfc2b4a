"""Hostile sizes for the member import: at each limit (accepted), one over, a hundred times over
(refused with the limit in Vietnamese), ZIP bombs and crafted sheets. The files are built here,
as raw XML in a ZIP archive when they are big, so that the tests stay fast; the refusal time is
measured in bench/bench_import.py, not here."""

import io
import os
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from meetings.documents.spreadsheets import MEMBER_HEADERS
from meetings.models import Member
from meetings.services import imports
from meetings.services.imports import members_import_preview
from meetings.views.members import SESSION_KEY
from tests.conftest import login

pytestmark = pytest.mark.django_db

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c></row>'


def member_row(r: int) -> str:
    return f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Đảng viên số {r}</t></is></c></row>'


def sheet(rows: str = "", *, dimension: str | None = None, before: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{before}{SHEET_START}{dim}<sheetData>{HEADER_ROW}{rows}</sheetData></worksheet>"


def xlsx(sheet_xml: str | bytes, *, extra: dict[str, bytes] | None = None, stored=False) -> SimpleUploadedFile:
    """A minimal workbook around one sheet; `extra` adds parts (padding, media). `stored`
    (not compressed) gets a repetitive sheet past the ratio check, to the reader's own bounds."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return SimpleUploadedFile("ds.xlsx", buf.getvalue())


def refused(file) -> str:
    with pytest.raises(ValidationError) as exc:
        members_import_preview(cell=None, file=file)
    return " ".join(exc.value.messages)


def preview(file, cell):
    return members_import_preview(cell=cell, file=file)


# --- members (data rows) -------------------------------------------------------------------------


def test_members_at_the_limit_are_accepted(cell):
    rows = preview(xlsx(sheet("".join(member_row(r) for r in range(2, imports.MAX_ROWS + 2)))), cell)
    assert len(rows) == imports.MAX_ROWS
    assert rows[-1].line == imports.MAX_ROWS + 1  # the sheet's own row number
    assert Member.objects.count() == 0


@pytest.mark.parametrize("members", [imports.MAX_ROWS + 1, imports.MAX_SHEET_ROWS - 1])
def test_one_member_over_the_limit_is_refused(cell, members):
    message = refused(xlsx(sheet("".join(member_row(r) for r in range(2, members + 2)))))
    assert "Tệp có quá 2.000 đảng viên" in message


# --- rows of the sheet, empty ones included ------------------------------------------------------


def test_sheet_rows_at_the_limit_are_accepted_empty_ones_included(cell):
    last = imports.MAX_SHEET_ROWS
    rows = "".join(member_row(r) for r in range(2, 12)) + "".join(f'<row r="{r}"/>' for r in range(12, last + 1))
    result = preview(xlsx(sheet(rows, dimension=f"A1:K{last}")), cell)
    assert len(result) == 10


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(f'<row r="{imports.MAX_SHEET_ROWS + 1}"/>', id="one-over-by-number"),
        pytest.param("<row/>" * imports.MAX_SHEET_ROWS, id="one-over-unnumbered"),
        pytest.param('<row r="2"/>' * imports.MAX_SHEET_ROWS, id="one-over-same-number-repeated"),
        pytest.param("".join(f'<row r="{r}"/>' for r in range(2, 100 * imports.MAX_SHEET_ROWS)), id="hundred-times"),
        pytest.param('<row r="1048576"/>', id="millions-of-empty-rows-by-a-gap"),
    ],
)
def test_too_many_rows_are_refused_empty_ones_included(rows):
    message = refused(xlsx(sheet(member_row(2) + rows)))
    assert "Tệp có quá 2.100 dòng (kể cả dòng tiêu đề và dòng trống)" in message


@pytest.mark.parametrize("dimension", [f"A1:K{imports.MAX_SHEET_ROWS + 1}", "A1:K1048576", "A1:XFD1048576"])
def test_a_declared_dimension_over_the_limit_is_refused_before_the_rows(dimension):
    # The rows themselves are unreadable: the dimension alone must refuse the file.
    message = refused(xlsx(sheet("<row r='x'/>", dimension=dimension)))
    assert "Tệp có quá" in message
    assert "Không đọc được" not in message


def test_millions_of_empty_rows_in_a_few_mb_are_refused(cell):
    """The benchmark's workbook, smaller: explicit empty rows, refused by the archive's declared
    size before any XML is read."""
    rows = "".join(f'<row r="{r}"/>' for r in range(2, 1_500_000))
    upload = xlsx(sheet(rows))
    assert upload.size < 10 * 1024 * 1024
    message = refused(upload)
    assert "khi giải nén vượt quá 20 MB" in message


# --- columns --------------------------------------------------------------------------------------


def cell_at(column: int, text: str = "x", row: int = 2) -> str:
    return f'<c r="{get_column_letter(column)}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_a_cell_in_the_last_allowed_column_is_accepted(cell):
    rows = f'<row r="2"><c r="A2" t="inlineStr"><is><t>Nguyễn Văn An</t></is></c>{cell_at(imports.MAX_COLUMNS)}</row>'
    result = preview(xlsx(sheet(rows, dimension=f"A1:{get_column_letter(imports.MAX_COLUMNS)}2")), cell)
    assert [r.values["full_name"] for r in result] == ["Nguyễn Văn An"]


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(f'<row r="2">{cell_at(imports.MAX_COLUMNS + 1)}</row>', id="one-over"),
        pytest.param(f'<row r="2">{cell_at(100 * imports.MAX_COLUMNS)}</row>', id="hundred-times"),
        pytest.param(
            '<row r="2">' + '<c t="inlineStr"><is><t>x</t></is></c>' * (imports.MAX_COLUMNS + 1) + "</row>",
            id="unnumbered-cells",
        ),
        pytest.param('<row r="2">' + "<c/>" * 1_000_000 + "</row>", id="a-million-cells-in-one-row"),
    ],
)
def test_too_many_columns_are_refused(row):
    message = refused(xlsx(sheet(row), stored=True))
    assert "Tệp có quá 30 cột (dòng 2)" in message


# --- cell text ------------------------------------------------------------------------------------


def test_a_cell_at_the_length_limit_is_accepted(cell):
    name = '<c r="A2" t="inlineStr"><is><t>Nguyễn Văn An</t></is></c>'
    rows = f'<row r="2">{name}{cell_at(12, "x" * imports.MAX_CELL_CHARS)}</row>'
    assert len(preview(xlsx(sheet(rows)), cell)) == 1


@pytest.mark.parametrize("length", [imports.MAX_CELL_CHARS + 1, 100 * imports.MAX_CELL_CHARS, 8_000_000])
def test_a_cell_over_the_length_limit_is_refused(length):
    message = refused(xlsx(sheet(f'<row r="2">{cell_at(12, "x" * length)}</row>'), stored=True))
    assert "Ô L2 có quá 1.000 ký tự" in message


def test_a_long_shared_string_is_refused_too():
    """openpyxl (like Excel) writes text as shared strings."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(MEMBER_HEADERS)
    ws.append([1, "y" * (imports.MAX_CELL_CHARS + 1)])
    buf = io.BytesIO()
    wb.save(buf)
    assert "Ô B2 có quá 1.000 ký tự" in refused(SimpleUploadedFile("ds.xlsx", buf.getvalue()))


# --- the archive ----------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_its_xml_is_read():
    # 50 MB of sheet packed into ~50 KB; the padding would also break the XML if read.
    bomb = sheet(member_row(2)).encode() + b" " * (50 * 1024 * 1024)
    upload = xlsx(bomb)
    assert upload.size < 1024 * 1024
    assert "Tệp Excel bị nén bất thường" in refused(upload)


def test_a_zip_bomb_just_over_the_ratio_threshold_is_refused():
    upload = xlsx(sheet(member_row(2)), extra={"xl/media/pad.bin": b"\0" * (imports.RATIO_FROM_BYTES + 1)})
    assert "nén bất thường" in refused(upload)


def padding(total: int) -> dict[str, bytes]:
    """Parts of at most RATIO_FROM_BYTES each (their ratio is not checked) adding up to `total`."""
    parts, n = {}, 0
    while total > 0:
        size = min(total, imports.RATIO_FROM_BYTES)
        parts[f"xl/media/pad{n}.bin"] = b"\0" * size
        total -= size
        n += 1
    return parts


def base_size(upload) -> int:
    with zipfile.ZipFile(upload) as archive:
        return sum(i.file_size for i in archive.infolist())


@pytest.mark.parametrize(("over", "accepted"), [(0, True), (1, False)], ids=["at", "one-over"])
def test_uncompressed_size_limit(cell, over, accepted):
    total = imports.MAX_UNCOMPRESSED_BYTES - base_size(xlsx(sheet(member_row(2)))) + over
    upload = xlsx(sheet(member_row(2)), extra=padding(total))
    if accepted:
        assert len(preview(upload, cell)) == 1
    else:
        assert "khi giải nén vượt quá 20 MB" in refused(upload)


def test_a_declared_size_a_hundred_times_over_is_refused_without_unpacking():
    """The archive's directory is what is checked: a part declaring 2 GB is refused even though
    it holds nothing (reading it would end in a CRC error anyway)."""
    upload = xlsx(sheet(member_row(2)), extra={"xl/media/big.bin": b""})
    data = bytearray(upload.read())
    entry = data.find(b"PK\x01\x02")  # central directory entries
    while data[entry + 46 : entry + 46 + len(b"xl/media/big.bin")] != b"xl/media/big.bin":
        entry = data.find(b"PK\x01\x02", entry + 4)
    declared = 100 * imports.MAX_UNCOMPRESSED_BYTES
    struct.pack_into("<II", data, entry + 20, declared, declared)  # packed and unpacked sizes
    assert "khi giải nén vượt quá 20 MB" in refused(SimpleUploadedFile("ds.xlsx", bytes(data)))


def test_too_many_parts_are_refused():
    extra = {f"xl/media/p{i}.bin": b"" for i in range(imports.MAX_PARTS)}
    assert "quá 200 thành phần" in refused(xlsx(sheet(member_row(2)), extra=extra))


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.CHIBO = {**settings.CHIBO, "UPLOAD_MAX_BYTES": 1024 * 1024}
    upload = xlsx(sheet(member_row(2)), extra={"xl/media/photo.jpg": os.urandom(1024 * 1024)})
    assert "Dung lượng tối đa là 1 MB" in refused(upload)


def test_entities_are_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        + SHEET_START
        + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    assert "Không đọc được tệp Excel" in refused(xlsx(laughs))


@pytest.mark.parametrize(
    "mutilate",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data.replace(b"worksheets/sheet1.xml", b"worksheets/sheet9.xml"), id="missing-sheet"),
    ],
)
def test_a_broken_archive_gets_the_plain_message(mutilate):
    upload = xlsx(sheet(member_row(2)))
    assert "Không đọc được tệp Excel" in refused(SimpleUploadedFile("ds.xlsx", mutilate(upload.read())))


# --- through the page -----------------------------------------------------------------------------


def test_the_page_shows_the_refusal_and_keeps_nothing(client, cell, secretary):
    login(client, secretary.user)
    rows = "".join(f'<row r="{r}"/>' for r in range(2, 3 * imports.MAX_SHEET_ROWS))
    response = client.post(reverse("members:import"), {"file": xlsx(sheet(member_row(2) + rows))})
    assert response.status_code == 400
    assert "Tệp có quá 2.100 dòng" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert Member.objects.filter(cell=cell).count() == 1  # the secretary only
