"""Import of a cell's member list from Excel: parse → preview with each row's problems → import.

Nothing is saved by `members_import_preview`; `members_import` saves the rows that have no
problem, each through `member_create`, so imported members pass the same checks as typed ones.
"""

import datetime
import io
import zipfile
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from meetings.documents.spreadsheets import MEMBER_HEADERS, MEMBER_WIDTHS, workbook_bytes
from meetings.models import Gender, Member, MemberStatus, Position
from meetings.services.members import member_create
from meetings.text import fold

MAX_ROWS = 2000

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
    """Read the workbook and return every row with its problems (in Vietnamese)."""
    file.seek(0)
    data = file.read()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError("Không đọc được tệp Excel. Vui lòng dùng tệp .xlsx theo mẫu.") from exc
    sheet = workbook.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    mapping = {}
    for header in rows_iter:  # the first row that names the "Họ và tên" column is the header
        mapping = _header_map(header or ())
        if "full_name" in mapping.values():
            break
    if "full_name" not in mapping.values():
        workbook.close()
        raise ValidationError("Không tìm thấy cột “Họ và tên”. Vui lòng dùng tệp mẫu.")

    parsed: list[ImportRow] = []
    line = 1
    for raw in rows_iter:
        line += 1
        if raw is None or all(v is None or _text(v) == "" for v in raw):
            continue
        if len(parsed) >= MAX_ROWS:
            workbook.close()
            raise ValidationError(f"Tệp có quá nhiều dòng (tối đa {MAX_ROWS} đảng viên mỗi lần nhập).")
        cells = {key: raw[i] if i < len(raw) else None for i, key in mapping.items()}
        parsed.append(_parse_row(line, cells))
    workbook.close()
    if not parsed:
        raise ValidationError("Tệp không có dòng dữ liệu nào.")
    _check_duplicates(parsed)
    return parsed


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
