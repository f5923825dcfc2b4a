"""The year's book of minutes of a cell (issue 17, item 9): a cover and a table of contents
rendered like every official document, then each minutes and addendum exactly as sealed
(the stored PDF, never re-rendered), each preceded by a page naming its number and the
SHA-256 of the stored file, so that the book can be checked against the register."""

import dataclasses
import datetime
import hashlib
import io

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from meetings.documents.base import document_place, header_name, local, render_pdf

# Enough rounds for the contents' own length to settle (it shifts every page number).
MAX_LAYOUT_ROUNDS = 4


@dataclasses.dataclass
class Part:
    """One sealed PDF of the book with what its separator page and the contents say."""

    kind: str  # "minutes" or "addendum"
    label: str
    short: str  # the contents' number column
    title: str
    day: datetime.date | None
    stored_sha256: str
    verification_code: str = ""
    data: bytes | None = None
    pages: int = 0
    sha256: str = ""
    problem: str = ""
    first_page: int = 0  # the separator's page in the book, from 1


def _read(field) -> bytes | None:
    if not field:
        return None
    try:
        with field.open("rb") as fh:
            return fh.read()
    except (FileNotFoundError, OSError):
        return None


def _part(kind: str, *, label: str, short: str, title: str, day, field, stored_sha256: str, code: str = "") -> Part:
    part = Part(
        kind=kind, label=label, short=short, title=title, day=day, stored_sha256=stored_sha256, verification_code=code
    )
    part.data = _read(field)
    if part.data is None:
        part.problem = "Không tìm thấy tệp PDF đã lưu của văn bản này."
        return part
    part.sha256 = hashlib.sha256(part.data).hexdigest()
    try:
        part.pages = len(PdfReader(io.BytesIO(part.data)).pages)
    except (PdfReadError, ValueError):
        part.data, part.pages = None, 0
        part.problem = "Tệp PDF đã lưu bị hỏng, không đọc được."
        return part
    if part.sha256 != stored_sha256:
        part.problem = "Tệp PDF đã lưu không khớp mã SHA-256 ghi khi hoàn tất: cần kiểm tra lại bản lưu trữ."
    return part


def book_parts(minutes_list) -> list[Part]:
    """Each minutes (number order) followed by its addenda (version order)."""
    parts = []
    for minutes in minutes_list:
        s = minutes.snapshot or {}
        day = datetime.date.fromisoformat(s["date"]) if s.get("date") else minutes.meeting.scheduled_date
        title = s.get("topic_title") or minutes.meeting.title
        kind_label = s.get("kind_label") or minutes.meeting.get_kind_display()
        parts.append(
            _part(
                "minutes",
                label=f"Biên bản số {minutes.number_label}",
                short=minutes.number_label,
                title=f"{kind_label}: {title}" if s.get("kind") not in ("thematic", None) else title,
                day=day,
                field=minutes.pdf,
                stored_sha256=minutes.pdf_sha256,
                code=minutes.verification_code,
            )
        )
        for addendum in minutes.addenda.all():
            created = local(addendum.created_at)
            parts.append(
                _part(
                    "addendum",
                    label=f"Phụ lục đính chính số {addendum.version} kèm Biên bản số {minutes.number_label}",
                    short=f"{minutes.number_label}, phụ lục\u00a0{addendum.version}",
                    title=title,
                    day=created.date() if created else None,
                    field=addendum.pdf,
                    stored_sha256=addendum.pdf_sha256,
                )
            )
    return parts


def _number_pages(parts: list[Part], *, toc_pages: int) -> int:
    """Page numbers in the book (cover and contents first); returns the book's page count."""
    page = 1 + toc_pages + 1
    for part in parts:
        part.first_page = page
        page += 1 + part.pages
    return page - 1


def _context(*, cell, year: int, parts: list[Part], toc_pages: int) -> dict:
    total = _number_pages(parts, toc_pages=toc_pages)
    superior = cell.parent
    minutes = [p for p in parts if p.kind == "minutes"]
    return {
        "title": f"Sổ biên bản sinh hoạt chuyên đề năm {year} – {cell.name}",
        "superior_html": header_name(superior.name) if superior else "",
        "issuer_html": header_name(cell.name),
        "cell_name": cell.name,
        "superior_name": superior.committee_display if superior else "",
        "place": document_place(cell),
        "year": year,
        "parts": parts,
        "minutes_count": len(minutes),
        "addenda_count": len(parts) - len(minutes),
        "first_label": minutes[0].short if minutes else "",
        "last_label": minutes[-1].short if minutes else "",
        "total_pages": total,
    }


def build_year_book(*, cell, year: int, parts) -> bytes:
    """The book as PDF bytes. `parts` are the year's minutes with their addenda loaded
    (meetings/selectors/year_book.py). The cover, contents and separators are one small
    WeasyPrint document (within the PDF time budget); the sealed PDFs are appended by pypdf."""
    book = book_parts(parts)
    toc_pages = 1
    for _ in range(MAX_LAYOUT_ROUNDS):
        front = PdfReader(
            io.BytesIO(
                render_pdf("documents/year_book.html", _context(cell=cell, year=year, parts=book, toc_pages=toc_pages))
            )
        )
        # Cover (one page), contents, then one separator page per part.
        laid_out = len(front.pages) - 1 - len(book)
        if laid_out == toc_pages:
            break
        toc_pages = laid_out
    writer = PdfWriter()
    for page in front.pages[: 1 + toc_pages]:
        writer.add_page(page)
    writer.add_outline_item(title="Bìa", page_number=0)
    writer.add_outline_item(title="Mục lục", page_number=1)
    for index, part in enumerate(book):
        writer.add_page(front.pages[1 + toc_pages + index])
        writer.add_outline_item(title=part.label, page_number=part.first_page - 1)
        if part.data:
            writer.append(io.BytesIO(part.data), import_outline=False)
    writer.add_metadata({"/Title": f"Sổ biên bản sinh hoạt chuyên đề năm {year} – {cell.name}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
