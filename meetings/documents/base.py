"""Shared plumbing of the PDF documents: a locked-down URL fetcher, the page CSS built from
settings, Vietnamese date helpers and the HTML → PDF call itself."""

import datetime
import logging
import mimetypes
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# WeasyPrint logs every rendering step at INFO; keep the app's logs readable.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

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
    html = render_to_string(template, context)
    # The margins come after the template's CSS so settings win over the template.
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher()).render(
        stylesheets=[page_css()], font_config=FontConfiguration()
    )


def render_pdf(template: str, context: dict) -> bytes:
    """Render a Django template under templates/documents/ to PDF bytes."""
    return render_document(template, context).write_pdf()


# --- Vietnamese date and time wording -------------------------------------------------------


def date_line(place: str, day: datetime.date | None) -> str:
    """`Hà Tĩnh, ngày 03 tháng 08 năm 2023` (leaves dots to fill by hand when no date)."""
    text = long_date(day)
    return f"{place}, {text}" if place else text.capitalize()


def long_date(day: datetime.date | None) -> str:
    if day is None:
        return "ngày …… tháng …… năm ……"
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def clock(value: datetime.time | None) -> str:
    if value is None:
        return "…… giờ …… phút"
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
    return ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"][day.weekday()]
