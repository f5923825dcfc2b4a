"""Import of a cell's member list from Excel: parse → preview with each row's problems → import.

Nothing is saved by `members_import_preview`; `members_import` saves the rows that have no
problem, each through `member_create`, so imported members pass the same checks as typed ones.
"""

import datetime
import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries
from openpyxl.utils.datetime import from_excel

from meetings.documents.spreadsheets import MEMBER_HEADERS, MEMBER_WIDTHS, workbook_bytes
from meetings.models import Gender, Member, MemberStatus, Position
from meetings.services.members import member_create
from meetings.text import fold

# --- Bounds of an import: each is checked before or while the file is read, never after ------
MAX_ROWS = 2000  # members per import
# Every row of the sheet counts, the header, titles and empty rows (even those only implied by
# a gap in the row numbers) included.
MAX_SHEET_ROWS = MAX_ROWS + 100
MAX_COLUMNS = 30
MAX_CELL_CHARS = 1000
MAX_PARTS = 200  # files inside the .xlsx (a ZIP archive)
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024  # all parts together, as declared by the archive
# A part that unpacks to more than RATIO_FROM_BYTES may be at most this many times its packed
# size: ordinary sheets compress 5-20x, a ZIP bomb thousands of times.
MAX_COMPRESSION_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
READ_CHUNK = 64 * 1024

UNREADABLE = "Không đọc được tệp Excel. Vui lòng dùng tệp .xlsx theo mẫu."

# Accepted column titles (folded), mapped to the field they fill.
COLUMNS = {
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "ngay sinh": "date_of_birth",
    "gioi tinh": "gender",
    "so the dang vien": "card_number",
    "so the": "card_number",
    "ngay vao dang": "joined_on",
    "ngay chinh thuc": "full_member_on",
    "dien thoai": "phone",
    "so dien thoai": "phone",
    "e mail": "email",
    "email": "email",
    "chuc vu": "position",
    "tinh trang": "status",
}
DATE_FIELDS = {"date_of_birth": "Ngày sinh", "joined_on": "Ngày vào Đảng", "full_member_on": "Ngày chính thức"}
GENDERS = {fold(label): value for value, label in Gender.choices}
POSITIONS = {fold(label): value for value, label in Position.choices}
STATUSES = {fold(label): value for value, label in MemberStatus.choices}


@dataclass
class ImportRow:
    line: int
    values: dict
    display: dict
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _date(value) -> datetime.date | None:
    """dd/mm/yyyy text, an Excel date cell, or an Excel serial number; ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value <= 2958465:
            raise ValueError
        return from_excel(value).date()
    text = _text(value).replace("-", "/").replace(".", "/")
    day, month, year = text.split("/")
    if len(year) != 4:
        raise ValueError
    return datetime.date(int(year), int(month), int(day))


def _header_map(header_row) -> dict[int, str]:
    mapping = {}
    for index, title in enumerate(header_row):
        key = COLUMNS.get(fold(_text(title)))
        if key and key not in mapping.values():
            mapping[index] = key
    return mapping


def members_import_preview(*, cell, file) -> list[ImportRow]:
    """Read the workbook and return every row with its problems (in Vietnamese).

    The file is refused, with the limit in the message, as soon as it passes one of the bounds
    above: its size, then the archive's declared sizes (before any XML is read), then the
    sheet's declared dimension, then each row, column and cell as the sheet is streamed."""
    limit = settings.CHIBO["UPLOAD_MAX_BYTES"]
    if file.size is not None and file.size > limit:
        raise ValidationError(
            f"Tệp quá lớn ({file.size / 1048576:.1f} MB). Dung lượng tối đa là {limit // 1048576} MB."
        )
    file.seek(0)
    with _open_archive(file.read(limit + 1)) as archive:
        rows_iter = _sheet_rows(archive)
        mapping = {}
        for _line, header in rows_iter:  # the first row that names the "Họ và tên" column is the header
            mapping = _header_map(header)
            if "full_name" in mapping.values():
                break
        if "full_name" not in mapping.values():
            raise ValidationError("Không tìm thấy cột “Họ và tên”. Vui lòng dùng tệp mẫu.")
        parsed: list[ImportRow] = []
        for line, raw in rows_iter:
            if all(v is None or _text(v) == "" for v in raw):
                continue
            if len(parsed) >= MAX_ROWS:
                raise ValidationError(
                    f"Tệp có quá {_n(MAX_ROWS)} đảng viên (tối đa {_n(MAX_ROWS)} đảng viên mỗi lần nhập). "
                    "Vui lòng chia thành nhiều tệp."
                )
            cells = {key: raw[i] if i < len(raw) else None for i, key in mapping.items()}
            parsed.append(_parse_row(line, cells))
    if not parsed:
        raise ValidationError("Tệp không có dòng dữ liệu nào.")
    _check_duplicates(parsed)
    return parsed


# --- A bounded .xlsx reader ----------------------------------------------------------------------
# openpyxl builds a whole row (every cell of it) before handing it over and reads the shared
# strings and styles with no size check, so the sheet is streamed here with expat instead: a
# bound is checked at the start tag of each row and cell and on each piece of text, and the
# reading stops right there. Only values are read (cached results of formulas, as data_only).

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships "
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships "
DIMENSION, SHEET_DATA, ROW, CELL = (SHEET_NS + t for t in ("dimension", "sheetData", "row", "c"))
VALUE_TAGS = (SHEET_NS + "v", SHEET_NS + "t")
PHONETIC = SHEET_NS + "rPh"


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _too_many_rows() -> ValidationError:
    return ValidationError(
        f"Tệp có quá {_n(MAX_SHEET_ROWS)} dòng (kể cả dòng tiêu đề và dòng trống). Mỗi lần nhập tối đa "
        f"{_n(MAX_ROWS)} đảng viên: vui lòng xóa các dòng trống thừa hoặc chia thành nhiều tệp."
    )


def _too_many_columns(where: str) -> ValidationError:
    return ValidationError(f"Tệp có quá {MAX_COLUMNS} cột ({where}). Vui lòng dùng tệp mẫu, xóa các cột không dùng.")


def _open_archive(data: bytes) -> zipfile.ZipFile:
    """Open the archive and check what its directory declares, before any part is unpacked.
    zipfile never unpacks more than a part's declared size (a lie ends in a CRC error), so
    these checks bound what the reader below can get."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(UNREADABLE) from exc
    try:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise ValidationError(f"Tệp Excel chứa quá {MAX_PARTS} thành phần. {UNREADABLE}")
        total = 0
        for part in parts:
            if part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_COMPRESSION_RATIO * max(
                part.compress_size, 1
            ):
                raise ValidationError(
                    f"Tệp Excel bị nén bất thường (một phần giải nén lớn gấp hơn {MAX_COMPRESSION_RATIO} lần), "
                    "không xử lý được. Vui lòng dùng tệp .xlsx theo mẫu."
                )
            total += part.file_size
            if total > MAX_UNCOMPRESSED_BYTES:
                raise ValidationError(
                    f"Tệp Excel khi giải nén vượt quá {MAX_UNCOMPRESSED_BYTES // 1048576} MB. Danh sách "
                    f"{_n(MAX_ROWS)} đảng viên theo mẫu chỉ khoảng 1 MB: vui lòng xóa các dòng, cột, hình ảnh thừa."
                )
    except ValidationError:
        archive.close()
        raise
    return archive


def _parse_xml(archive: zipfile.ZipFile, name: str, *, start=None, end=None, text=None, stop=None) -> Iterator[None]:
    """Stream one part through expat; yields after each chunk so that a caller can hand over
    what the handlers collected. A document type declaration (entities) is refused: no part of
    an .xlsx has one."""

    def no_dtd(*_args):
        raise ValidationError(UNREADABLE)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.buffer_text = True
    parser.buffer_size = READ_CHUNK
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    try:
        with archive.open(name) as stream:
            while not (stop and stop()):
                chunk = stream.read(READ_CHUNK)
                parser.Parse(chunk, not chunk)
                yield
                if not chunk:
                    break
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError, expat.ExpatError) as exc:
        raise ValidationError(UNREADABLE) from exc


def _relationships(archive: zipfile.ZipFile, name: str) -> dict[str, tuple[str, str]]:
    """{id: (type, target)} of a .rels part."""
    rels = {}

    def start(tag, attrs):
        if tag == PKG_REL_NS + "Relationship":
            rels[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))

    for _ in _parse_xml(archive, name, start=start):
        pass
    return rels


def _part_path(target: str) -> str:
    """A workbook relationship's target, as a name in the archive."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def _first_sheet_and_strings(archive: zipfile.ZipFile) -> tuple[str, str | None]:
    first = []

    def start(tag, attrs):
        if tag == SHEET_NS + "sheet" and not first:
            first.append(attrs.get(REL_NS + "id", ""))

    for _ in _parse_xml(archive, "xl/workbook.xml", start=start, stop=lambda: bool(first)):
        pass
    rels = _relationships(archive, "xl/_rels/workbook.xml.rels")
    names = set(archive.namelist())
    if not first or first[0] not in rels or _part_path(rels[first[0]][1]) not in names:
        raise ValidationError(UNREADABLE)
    strings = next((_part_path(t) for kind, t in rels.values() if kind.endswith("/sharedStrings")), None)
    return _part_path(rels[first[0]][1]), strings if strings in names else None


def _shared_strings(archive: zipfile.ZipFile, name: str | None) -> list[str]:
    """The shared string table (its size is bounded by the archive checks). Phonetic runs are
    left out, as Excel shows them."""
    strings: list[str] = []
    if name is None:
        return strings
    state = {"in_t": False, "skip": 0, "parts": []}

    def start(tag, attrs):
        if tag == SHEET_NS + "rPh":
            state["skip"] += 1
        elif tag == SHEET_NS + "t" and not state["skip"]:
            state["in_t"] = True

    def end(tag):
        if tag == SHEET_NS + "rPh":
            state["skip"] -= 1
        elif tag == SHEET_NS + "t":
            state["in_t"] = False
        elif tag == SHEET_NS + "si":
            strings.append("".join(state["parts"]))
            state["parts"] = []

    def text(data):
        if state["in_t"]:
            state["parts"].append(data)

    for _ in _parse_xml(archive, name, start=start, end=end, text=text):
        pass
    return strings


class _SheetReader:
    """Handlers for the sheet's XML; finished rows wait in `rows` until the caller takes them."""

    def __init__(self, strings: list[str]):
        self.strings = strings
        self.rows: list[tuple[int, tuple]] = []
        self.row_elements = 0
        self.row_number = 0
        self.cells: dict[int, object] = {}
        self.column = 0
        self.cell_ref = ""
        self.cell_type = ""
        self.buffer: list[str] | None = None
        self.buffered = 0
        self.value: str | None = None
        self.phonetic = 0
        self.done = False

    def start(self, tag, attrs):
        if tag == CELL:
            self.cell_ref = attrs.get("r", "")
            try:
                self.column = (
                    column_index_from_string(coordinate_from_string(self.cell_ref)[0])
                    if self.cell_ref
                    else self.column + 1
                )
            except ValueError as exc:
                raise ValidationError(UNREADABLE) from exc
            if self.column > MAX_COLUMNS or len(self.cells) >= MAX_COLUMNS:
                raise _too_many_columns(f"dòng {_n(self.row_number)}")
            self.cell_type = attrs.get("t", "n")
            self.value = None
        elif tag in VALUE_TAGS:
            if not self.phonetic and self.buffer is None:
                self.buffer = []
        elif tag == ROW:
            self.row_elements += 1
            try:
                self.row_number = int(attrs["r"]) if "r" in attrs else self.row_number + 1
            except ValueError as exc:
                raise ValidationError(UNREADABLE) from exc
            # Gaps in the numbering are empty rows too; repeated numbers still count.
            if max(self.row_number, self.row_elements) > MAX_SHEET_ROWS:
                raise _too_many_rows()
            self.cells, self.column = {}, 0
        elif tag == PHONETIC:
            self.phonetic += 1
        elif tag == DIMENSION:
            self._check_dimension(attrs.get("ref", ""))

    def text(self, data):
        if self.buffer is not None and not self.phonetic:
            self.buffered += len(data)
            if self.buffered > MAX_CELL_CHARS:
                raise self._too_long()
            self.buffer.append(data)

    def end(self, tag):
        if tag in VALUE_TAGS and self.buffer is not None and not self.phonetic:
            self.value = "".join(self.buffer)
        elif tag == PHONETIC:
            self.phonetic -= 1
        elif tag == CELL:
            if self.value is not None:
                self.cells[self.column] = self._cast(self.value)
            self.buffer, self.buffered, self.value = None, 0, None
        elif tag == ROW:
            width = max(self.cells, default=0)
            self.rows.append((self.row_number, tuple(self.cells.get(i) for i in range(1, width + 1))))
        elif tag == SHEET_DATA:
            self.done = True

    def _cast(self, raw: str):
        kind = self.cell_type
        if kind == "s":
            try:
                value = self.strings[int(raw)]
            except (ValueError, IndexError) as exc:
                raise ValidationError(UNREADABLE) from exc
            if len(value) > MAX_CELL_CHARS:
                raise self._too_long()
            return value
        if kind in ("str", "inlineStr", "e"):
            return raw
        if kind == "b":
            return raw.strip() == "1"
        if kind == "d":
            try:
                return datetime.datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        raw = raw.strip()
        if not raw:
            return None
        try:
            return float(raw) if any(ch in raw for ch in ".eE") else int(raw)
        except ValueError:
            return raw

    def _too_long(self) -> ValidationError:
        where = self.cell_ref or f"dòng {_n(self.row_number)}, cột {self.column}"
        return ValidationError(f"Ô {where} có quá {_n(MAX_CELL_CHARS)} ký tự. Vui lòng rút gọn nội dung ô này.")

    def _check_dimension(self, ref: str):
        """The used range the file declares, when it does: a sheet that says it is too big is
        refused before its rows are read."""
        try:
            _min_col, _min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            return  # unreadable or absent: the rows are counted as they come
        if max_row and max_row > MAX_SHEET_ROWS:
            raise _too_many_rows()
        if max_col and max_col > MAX_COLUMNS:
            raise _too_many_columns(f"vùng dữ liệu {ref}")


def _sheet_rows(archive: zipfile.ZipFile) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of the first sheet's rows that exist in the file, in order."""
    sheet, strings_part = _first_sheet_and_strings(archive)
    reader = _SheetReader(_shared_strings(archive, strings_part))
    for _ in _parse_xml(archive, sheet, start=reader.start, end=reader.end, text=reader.text, stop=lambda: reader.done):
        yield from reader.rows
        reader.rows.clear()


def _parse_row(line: int, cells: dict) -> ImportRow:
    values, display, problems = {}, {}, []
    full_name = _text(cells.get("full_name"))
    values["full_name"] = display["full_name"] = full_name
    if not full_name:
        problems.append("Thiếu họ và tên.")
    for key, label in DATE_FIELDS.items():
        raw = cells.get(key)
        try:
            value = _date(raw)
        except (ValueError, TypeError, OverflowError):
            problems.append(f"{label} “{_text(raw)}” không hợp lệ (định dạng ngày/tháng/năm, ví dụ 19/05/1990).")
            value = None
        values[key] = value.isoformat() if value else None
        display[key] = value.strftime("%d/%m/%Y") if value else _text(raw)
    if values["joined_on"] and values["full_member_on"] and values["full_member_on"] < values["joined_on"]:
        problems.append("Ngày chính thức không thể trước ngày vào Đảng.")
    card = _text(cells.get("card_number"))
    values["card_number"] = card or None
    display["card_number"] = card
    phone = _text(cells.get("phone"))
    values["phone"] = display["phone"] = phone[:32]
    email = _text(cells.get("email"))
    values["email"] = display["email"] = email
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"E-mail “{email}” không hợp lệ.")
    for key, choices, label, default in (
        ("gender", GENDERS, "Giới tính", ""),
        ("position", POSITIONS, "Chức vụ", Position.MEMBER),
        ("status", STATUSES, "Tình trạng", MemberStatus.ACTIVE),
    ):
        raw = _text(cells.get(key))
        display[key] = raw
        if not raw:
            values[key] = default
        elif fold(raw) in choices:
            values[key] = choices[fold(raw)]
        else:
            values[key] = default
            allowed = ", ".join(label for label in _labels(key))
            problems.append(f"{label} “{raw}” không hợp lệ (chọn một trong: {allowed}).")
    return ImportRow(line=line, values=values, display=display, problems=problems)


def _labels(key):
    return {"gender": Gender, "position": Position, "status": MemberStatus}[key].labels


def _check_duplicates(rows: list[ImportRow]) -> None:
    """Card numbers repeated within the file or already used in the database."""
    seen: dict[str, int] = {}
    for row in rows:
        card = row.values["card_number"]
        if not card:
            continue
        if card in seen:
            row.problems.append(f"Số thẻ đảng viên {card} trùng với dòng {seen[card]} trong tệp.")
        else:
            seen[card] = row.line
    existing = set(Member.objects.filter(card_number__in=list(seen)).values_list("card_number", flat=True))
    for row in rows:
        card = row.values["card_number"]
        if card in existing:
            row.problems.append(f"Số thẻ đảng viên {card} đã có trong hệ thống.")


def preview_to_session(rows: list[ImportRow]) -> list[dict]:
    return [asdict(r) for r in rows]


def rows_from_session(data: list[dict]) -> list[ImportRow]:
    return [ImportRow(**d) for d in data]


def members_import(*, cell, rows: list[ImportRow]) -> tuple[list[Member], list[ImportRow]]:
    """Create the members of the rows without problems; returns (created, skipped).

    Runs the duplicate check again: another import may have used a card number meanwhile."""
    good = [r for r in rows if r.ok]
    _check_duplicates(good)
    created, skipped = [], [r for r in rows if not r.ok]
    with transaction.atomic():
        for row in good:
            if row.problems:
                skipped.append(row)
                continue
            fields = {k: v for k, v in row.values.items() if k != "full_name"}
            for key in DATE_FIELDS:
                fields[key] = datetime.date.fromisoformat(fields[key]) if fields[key] else None
            try:
                with transaction.atomic():
                    created.append(member_create(cell=cell, full_name=row.values["full_name"], **fields))
            except ValidationError as exc:
                row.problems.extend(exc.messages)
                skipped.append(row)
    return created, skipped


def template_xlsx() -> bytes:
    """The sample file to download and fill in."""
    example = [
        [
            1,
            "Nguyễn Văn An",
            "19/05/1980",
            "Nam",
            "01.234567",
            "03/02/2005",
            "03/02/2006",
            "0912345678",
            "an.nv@example.vn",
            "Bí thư",
            "Đang sinh hoạt",
        ],
        [
            2,
            "Trần Thị Bình",
            "02/09/1985",
            "Nữ",
            "01.234568",
            "19/05/2010",
            "19/05/2011",
            "0987654321",
            "binh.tt@example.vn",
            "Đảng viên",
            "Đang sinh hoạt",
        ],
        [3, "Lê Văn Cường", "10/10/1990", "Nam", "01.234569", "07/11/2024", "", "", "", "Đảng viên", "Đang sinh hoạt"],
    ]
    return workbook_bytes(title="Danh sách đảng viên", headers=MEMBER_HEADERS, rows=example, widths=MEMBER_WIDTHS)
