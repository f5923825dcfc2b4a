"""Shared plumbing of the PDF documents: a locked-down URL fetcher, the page CSS built from
settings, Vietnamese date helpers and the HTML → PDF call itself."""

import datetime
import logging
import mimetypes
import multiprocessing
import time
import unicodedata
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html_join
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from meetings.selectors.members import cell_signer

# WeasyPrint logs every rendering step at INFO; keep the app's logs readable.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logger = logging.getLogger(__name__)

STATIC_DIR = Path(settings.BASE_DIR, "static").resolve()
# Documents reference their assets as static:/fonts/… so nothing resolves against the network
# or the working directory.
BASE_URL = STATIC_DIR.as_uri() + "/"


class DocumentFetchRefused(ValueError):
    """A document asked for something outside static/: refused."""


class StaticOnlyURLFetcher(URLFetcher):
    """Serves files below static/ and refuses everything else (http, data, other paths)."""

    def __init__(self):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=False)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise DocumentFetchRefused(f"Chỉ dùng tệp tĩnh của ứng dụng: {url}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(STATIC_DIR) or not path.is_file():
            raise DocumentFetchRefused(f"Chỉ dùng tệp tĩnh của ứng dụng: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".ttf":
            content_type = "font/ttf"
        return URLFetcherResponse(path.as_uri(), _read_static(str(path)), headers={"Content-Type": content_type})


@lru_cache(maxsize=32)
def _read_static(path: str) -> bytes:
    # Fonts are ~0.5 MB each and never change while the process runs.
    return Path(path).read_bytes()


def page_css() -> CSS:
    m = settings.CHIBO["PDF_MARGINS_MM"]
    return CSS(
        string=f"@page {{ size: A4; margin: {m['top']}mm {m['right']}mm {m['bottom']}mm {m['left']}mm; }}",
        url_fetcher=StaticOnlyURLFetcher(),
    )


def render_document(template: str, context: dict):
    """Lay out a Django template under templates/documents/ (a WeasyPrint Document)."""
    return _layout(printable(render_to_string(template, context)))


def _layout(html: str):
    # The margins come after the template's CSS so settings win over the template.
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher()).render(
        stylesheets=[page_css()], font_config=FontConfiguration()
    )


class PdfRenderTimeout(ValidationError):
    """WeasyPrint did not finish within the budget. A ValidationError, so every caller that
    already shows refusals on the page shows this one too, and a transaction around it rolls
    back."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        shown = f"{seconds:g}".replace(".", ",")  # Vietnamese decimal comma
        super().__init__(
            f"Không tạo được tệp PDF trong {shown} giây: văn bản quá dài hoặc máy chủ đang bận. "
            "Chưa có gì thay đổi; đồng chí vui lòng thử lại sau ít phút.",
            code="pdf_timeout",
        )


def render_pdf(template: str, context: dict, *, timeout: float | None = None) -> bytes:
    """Render a Django template under templates/documents/ to PDF bytes, within `timeout`
    seconds (default CHIBO["PDF_RENDER_SECONDS"]) or raise PdfRenderTimeout."""
    if timeout is None:
        timeout = settings.CHIBO["PDF_RENDER_SECONDS"]
    # The template (and any database read it does) runs here; only the layout is bounded.
    html = printable(render_to_string(template, context))
    return write_pdf_within(html, timeout=timeout)


def _write_pdf(html: str) -> bytes:
    return _layout(html).write_pdf()


def _fork_context():
    """The "fork" start method when this process may start a child: not in a daemonic process
    (a Celery prefork worker, where multiprocessing refuses children) nor where fork does not
    exist."""
    if multiprocessing.current_process().daemon or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def _child(conn, html: str) -> None:
    try:
        conn.send(("ok", _write_pdf(html)))
    except BaseException as exc:  # reported to the parent, which raises it there
        try:
            conn.send(("error", exc))
        except Exception:  # an exception that cannot be pickled
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        conn.close()


def write_pdf_within(html: str, *, timeout: float) -> bytes:
    """Lay out printable HTML and write the PDF in a forked child killed at the deadline.

    Why a child process: WeasyPrint cannot be interrupted from inside (no check points, long
    C calls in Pango), a signal alarm works only in the main thread (not in runserver's
    threads) and would leave the library's state half-built in a worker that lives on. A
    killed child leaves nothing behind; fork costs a few milliseconds (copy-on-write of a
    process that has already imported WeasyPrint) and the child touches neither the database
    nor any lock of the parent's other threads (logging re-creates its locks after fork).
    In a Celery prefork worker (daemonic: no children allowed) the layout runs in-process and
    the task's soft and hard time limits bound it instead."""
    ctx = _fork_context()
    if ctx is None:
        return _write_pdf(html)
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, html), daemon=True)
    started = time.monotonic()
    child.start()
    send.close()
    try:
        # The result is read before joining: a large PDF does not fit in the pipe's buffer.
        if not receive.poll(max(timeout - (time.monotonic() - started), 0)):
            logger.warning("PDF rendering stopped after %s s (budget)", timeout)
            raise PdfRenderTimeout(timeout)
        try:
            status, value = receive.recv()
        except EOFError as exc:  # the child died without a word (killed, out of memory)
            child.join()
            raise RuntimeError(f"PDF rendering process ended with code {child.exitcode}") from exc
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if status == "error":
        raise value
    return value


# --- What may reach a PDF -------------------------------------------------------------------

# Kept although they are controls: they shape the text (white-space: pre-line).
_KEPT_CONTROLS = frozenset("\n\t")
# The soft hyphen is a format character that Tinos draws only where it breaks a line.
_KEPT_FORMAT = frozenset("\u00ad")


@lru_cache(maxsize=1)
def _drawable() -> frozenset[int]:
    """Code points every shipped Tinos face can draw (read once from the fonts' cmaps)."""
    from fontTools.ttLib import TTFont

    faces = sorted((STATIC_DIR / "fonts").glob("Tinos-*.ttf"))
    points = [set(TTFont(str(path), lazy=True).getBestCmap()) for path in faces]
    return frozenset(set.intersection(*points))


def printable(text: str) -> str:
    """The text as the PDF may show it: Vietnamese composed (NFC, so each letter is one glyph
    of the font); control and bidirectional-override characters removed (they could reorder
    or hide what the paper says); characters the font cannot draw (emoji, other scripts)
    dropped instead of printed as empty boxes. Applied once to every rendered document."""
    text = unicodedata.normalize("NFC", text)
    drawable = _drawable()
    dropped = {
        ord(ch): None
        for ch in set(text)
        if ch not in _KEPT_CONTROLS
        and (
            ord(ch) not in drawable
            or unicodedata.category(ch) == "Cc"
            or (unicodedata.category(ch) == "Cf" and ch not in _KEPT_FORMAT)
        )
    }
    return text.translate(dropped) if dropped else text


# --- Names of bodies in the header ----------------------------------------------------------

# Heads of the word groups that make up the names of party bodies and of the units they sit
# in. A Vietnamese word is several space-separated syllables, so ordinary wrapping may cut
# "MẶT / TRẬN"; a name may wrap only before one of these heads. Longest match wins, so
# "ỦY BAN" is one head and its "BAN" is not another.
GROUP_HEADS = (
    "BAN THƯỜNG VỤ",
    "BAN CHẤP HÀNH",
    "BỆNH VIỆN",
    "CHI BỘ",
    "CHI CỤC",
    "CÔNG AN",
    "CÔNG TY",
    "CƠ QUAN",
    "CỤC",
    "ĐẢNG BỘ",
    "ĐẢNG ỦY",
    "ĐOÀN",
    "HỘI",
    "HỘI ĐỒNG",
    "HUYỆN",
    "KHO BẠC",
    "KHỐI",
    "KHU PHỐ",
    "LIÊN ĐOÀN",
    "MẶT TRẬN",
    "NGÂN HÀNG",
    "NHÀ MÁY",
    "PHÒNG",
    "PHƯỜNG",
    "QUẬN",
    "SỞ",
    "BAN",
    "THÀNH PHỐ",
    "THỊ TRẤN",
    "THỊ XÃ",
    "THÔN",
    "TỈNH",
    "TÒA ÁN",
    "TỔ ĐẢNG",
    "TỔ DÂN PHỐ",
    "TỔNG CÔNG TY",
    "TRUNG TÂM",
    "TRƯỜNG",
    "ỦY BAN",
    "VĂN PHÒNG",
    "VIỆN",
    "VIỆN KIỂM SÁT",
    "XÃ",
    "XÍ NGHIỆP",
)
_HEADS = sorted((tuple(h.split()) for h in GROUP_HEADS), key=len, reverse=True)
# "CÁC CƠ QUAN": the plural word belongs to the group it introduces.
_LEADING_WORDS = frozenset({"CÁC", "NHỮNG"})
# Inside a group too long for one line of the header, the least bad places to wrap.
_FALLBACK_HEADS = (("VIỆT", "NAM"), ("VÀ",), ("TỔ", "QUỐC"))
# About one line of the header's left column (14 pt capitals, ~77 mm).
HEADER_LINE_CHARS = 25


def _head_at(words: list[str], i: int, heads) -> int:
    """Length (in syllables) of the head starting at words[i], 0 when none does."""
    for head in heads:
        if tuple(words[i : i + len(head)]) == head:
            return len(head)
    return 0


def _split_before(words: list[str], heads) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    i = 0
    while i < len(words):
        size = _head_at(words, i, heads)
        # A head that ends the name ("… CÁC CƠ QUAN TỈNH") qualifies what precedes it.
        if size and groups[-1] and i + size < len(words):
            if groups[-1][-1] not in _LEADING_WORDS:
                groups.append([])
            elif len(groups[-1]) > 1:
                groups.append([groups[-1].pop()])
        step = max(size, 1)
        groups[-1].extend(words[i : i + step])
        i += step
    return [g for g in groups if g]


def _text_len(words: list[str]) -> int:
    return len(" ".join(words))


def name_groups(name: str, *, line_chars: int = HEADER_LINE_CHARS) -> list[str]:
    """The name in capitals, cut into the groups a line may break between ("CHI BỘ",
    "CƠ QUAN", "ỦY BAN", "MẶT TRẬN TỔ QUỐC", …). A group longer than a line is cut again,
    before "VIỆT NAM", then a conjunction, then "TỔ QUỐC", only as far as needed to fit."""
    words = unicodedata.normalize("NFC", name or "").upper().split()
    out: list[list[str]] = []
    for group in _split_before(words, _HEADS):
        parts = [group]
        for head in _FALLBACK_HEADS:
            if all(_text_len(p) <= line_chars for p in parts):
                break
            parts = [q for p in parts for q in (_split_before(p, (head,)) if _text_len(p) > line_chars else [p])]
        out.extend(parts)
    return [" ".join(g) for g in out]


def header_name(name: str) -> str:
    """HTML of a header name: each group unbreakable, breaks allowed only between groups."""
    groups = name_groups(name)
    return format_html_join(
        " ",
        '<span class="{}">{}</span>',
        (("nobr" if len(g) <= HEADER_LINE_CHARS else "", g) for g in groups),
    )


# --- Vietnamese date and time wording -------------------------------------------------------


# HD 36: a leading zero only for days under 10 and for months 1 and 2 ("tháng 02", "tháng 11").
BLANK = "……"


def date_line(place: str, day: datetime.date | None, *, year: int | None = None) -> str:
    """`Hà Tĩnh, ngày 03 tháng 8 năm 2026`. A draft has no date yet: day and month are left
    blank to be filled in when it is issued, as on paper (`ngày …… tháng …… năm 2026`)."""
    text = long_date(day, year=year)
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]


def long_date(day: datetime.date | None, *, year: int | None = None) -> str:
    if day is None:
        return f"ngày {BLANK} tháng {BLANK} năm {year or BLANK}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def clock(value: datetime.time | None) -> str:
    if value is None:
        return f"{BLANK} giờ {BLANK} phút"
    return f"{value.hour:02d} giờ {value.minute:02d} phút"


def local(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value) if value else None


def document_place(org) -> str:
    """Place name of the date line: the organisation's own, else the nearest superior's."""
    node = org
    while node is not None:
        if node.place:
            return node.place
        node = node.parent
    return ""


def weekday(day: datetime.date) -> str:
    """Lower case: it stands inside a sentence ("…, thứ tư, ngày 05 tháng 8 năm 2026")."""
    return ["thứ hai", "thứ ba", "thứ tư", "thứ năm", "thứ sáu", "thứ bảy", "chủ nhật"][day.weekday()]


def roman(quarter: int) -> str:
    """Quarters are written in Roman numerals in documents (quý IV)."""
    return {1: "I", 2: "II", 3: "III", 4: "IV"}[quarter]


# --- Who signs ------------------------------------------------------------------------------

# "T/M CHI BỘ" (on behalf of the cell) stands only above the secretary's or the deputy's title.
_ON_BEHALF_TITLES = {"secretary": "BÍ THƯ", "deputy": "PHÓ BÍ THƯ"}
# Minutes frozen before the position code was kept carry only its label.
_POSITION_BY_LABEL = {
    "bí thư": "secretary",
    "bí thư chi bộ": "secretary",
    "phó bí thư": "deputy",
    "chi ủy viên": "committee",
    "đảng viên": "member",
}


def signature(position: str | None, *, name: str = "") -> dict:
    """The right-hand signature: `T/M CHI BỘ` + `BÍ THƯ`/`PHÓ BÍ THƯ` for the cell's secretary
    or deputy; `CHỦ TRÌ` alone for a chair who is neither."""
    title = _ON_BEHALF_TITLES.get(position or "")
    if title:
        return {"on_behalf": "T/M CHI BỘ", "title": title, "name": name}
    return {"on_behalf": "", "title": "CHỦ TRÌ", "name": name}


# Titles keep their capitals in documents (DOMAIN.md §12).
_TITLES = {"secretary": "Bí thư Chi bộ", "deputy": "Phó Bí thư Chi bộ", "committee": "Chi ủy viên"}


def position_title(position: str | None) -> str:
    """`Bí thư Chi bộ`, `Phó Bí thư Chi bộ`, `Chi ủy viên`; a plain member: `đảng viên`."""
    return _TITLES.get(position or "", "đảng viên")


def snapshot_position(person: dict | None) -> str:
    """The position code of a person frozen in a minutes snapshot, old snapshots included."""
    if not person:
        return ""
    if person.get("position"):
        return person["position"]
    return _POSITION_BY_LABEL.get((person.get("position_label") or "").strip().casefold(), "")


# --- The header and the signer of a cell's document -----------------------------------------


def header_context(
    *,
    superior_name: str,
    issuer_name: str,
    place: str,
    day: datetime.date | None,
    year: int | None,
    draft: bool,
    number_label: str = "",
    number_suffix: str = "",
) -> dict:
    """What `_header.html` shows. A draft carries `DỰ THẢO`, a date line with the day and
    month left blank, and its `Số` line with the digits left empty (`Số      -TB/CB`), as a
    paper draft waits for the office to fill in the number when it is issued: the header keeps
    the same shape, and no number that could later be given to another document is printed."""
    if not draft and day is None:
        # Issued before the issue date was recorded (older data): dated when printed, never blank.
        day = timezone.localdate()
    return {
        "superior_html": header_name(superior_name),
        "issuer_html": header_name(issuer_name),
        "draft": draft,
        "number_label": "" if draft else number_label,
        "number_suffix": number_suffix if draft else "",
        "date_line": date_line(place, None if draft else day, year=year),
    }


def cell_signature(cell) -> dict:
    signer = cell_signer(cell)
    if signer is None:
        # Nobody can sign yet (a draft): the cell's title stays, the name is left to fill in.
        return {"on_behalf": "T/M CHI BỘ", "title": "BÍ THƯ", "name": ""}
    return signature(signer.position, name=signer.full_name)


def recipients(superior) -> list[str]:
    """The "Nơi nhận" block of HD 36, addressed to the superior's standing committee."""
    return [
        *([f"{superior.addressee_name} (để báo cáo)"] if superior else []),
        "Các đồng chí đảng viên trong chi bộ",
        "Lưu chi bộ",
    ]
