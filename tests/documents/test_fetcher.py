import pytest

from meetings.documents.base import STATIC_DIR, DocumentFetchRefused, StaticOnlyURLFetcher, date_line


def test_serves_the_shipped_font():
    response = StaticOnlyURLFetcher()((STATIC_DIR / "fonts" / "Tinos-Regular.ttf").as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.css",
        "https://127.0.0.1/",
        "file:///etc/passwd",
        (STATIC_DIR / ".." / "chibo" / "settings.py").as_uri(),
        "data:text/css,body{}",
        "ftp://example.com/a",
    ],
)
def test_refuses_anything_outside_static(url):
    with pytest.raises((DocumentFetchRefused, ValueError)):
        StaticOnlyURLFetcher()(url)


def test_a_document_cannot_pull_a_local_file(settings):
    from weasyprint import HTML

    from meetings.documents.base import BASE_URL

    html = '<img src="file:///etc/hostname"><link rel="stylesheet" href="http://127.0.0.1:9/x.css"><p>x</p>'
    doc = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher()).render()
    # Nothing fetched: the image has no intrinsic content and rendering still succeeds.
    assert len(doc.pages) == 1


def test_date_line_pads_the_day_under_ten_and_months_one_and_two_only():
    import datetime

    assert date_line("Hà Tĩnh", datetime.date(2023, 8, 3)) == "Hà Tĩnh, ngày 03 tháng 8 năm 2023"
