"""The year's book of minutes: cover, contents, then each sealed minutes and addendum as
stored (never re-rendered), each after a page with its number and SHA-256."""

import datetime
import hashlib
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from meetings import models as m
from meetings.documents.year_book import build_year_book
from meetings.selectors.year_book import year_book_parts
from meetings.services.meetings import minutes_addendum_create
from meetings.services.minutes import minutes_create
from tests import factories as f
from tests.documents import pdfutil
from tests.documents.builders import recorded_meeting

pytestmark = pytest.mark.django_db


def _pdf(lines_per_page: list[str]) -> bytes:
    """A small PDF with one line of text per page (Helvetica): stands in for sealed minutes
    where only the binding is tested."""
    writer = PdfWriter()
    for line in lines_per_page:
        page = writer.add_blank_page(595, 842)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 14 Tf 72 720 Td ({line}) Tj ET".encode("ascii"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stored_minutes(cell, number: int, *, pages: int = 2, year: int = 2026, tamper: bool = False) -> m.Minutes:
    day = datetime.date(year, 1, 1) + datetime.timedelta(days=number * 7)
    meeting = f.MeetingFactory(cell=cell, stage="held", year=year, quarter=(day.month - 1) // 3 + 1, scheduled_date=day)
    data = _pdf([f"SEALED MINUTES {number:02d} PAGE {p + 1}" for p in range(pages)])
    minutes = m.Minutes.objects.create(
        meeting=meeting,
        cell=cell,
        year=year,
        number=number,
        snapshot={"kind": "thematic", "date": day.isoformat(), "topic_title": f"Chuyên đề số {number}"},
        finalized_at=timezone.now(),
        verification_code=f"CODE{number:04d}",
    )
    minutes.pdf.save(f"bien-ban-{number}.pdf", ContentFile(data), save=False)
    minutes.pdf_sha256 = hashlib.sha256(b"other bytes" if tamper else data).hexdigest()
    minutes.save()
    m.Meeting.objects.filter(pk=meeting.pk).update(stage="finalized")
    return minutes


def _book(cell, year=2026) -> bytes:
    return build_year_book(cell=cell, year=year, parts=year_book_parts(cell=cell, year=year))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- With real sealed minutes and an addendum --------------------------------------------------


@pytest.fixture
def real_year(cell, secretary):
    first = minutes_create(meeting=recorded_meeting(cell, secretary=secretary, n_members=5), actor=secretary.user)
    m.Meeting.objects.filter(pk=first.meeting_id).update(stage="finalized")
    second_meeting = recorded_meeting(
        cell, secretary=secretary, n_members=5, day=datetime.date(2026, 5, 12), topic_title="Học tập và làm theo Bác"
    )
    second = minutes_create(meeting=second_meeting, actor=secretary.user)
    m.Meeting.objects.filter(pk=second.meeting_id).update(stage="finalized")
    addendum = minutes_addendum_create(
        minutes=first, actor=secretary.user, text="Đính chính: giờ kết thúc là 10 giờ 10."
    )
    return [first, addendum, second]


def _stored(obj) -> bytes:
    with obj.pdf.open("rb") as fh:
        return fh.read()


def test_book_is_cover_contents_and_each_sealed_pdf_after_its_separator(cell, real_year, tmp_path):
    book = _book(cell)
    reader = PdfReader(io.BytesIO(book))
    stored = [_stored(part) for part in real_year]
    parts_pages = [len(PdfReader(io.BytesIO(data)).pages) for data in stored]
    # Cover + one page of contents + (separator + stored pages) per part.
    assert len(reader.pages) == 1 + 1 + sum(1 + n for n in parts_pages)
    texts = pdfutil.page_texts(book)
    page = 3  # the first separator, counted from 1
    for part, data, n in zip(real_year, stored, parts_pages, strict=True):
        separator = _flat(texts[page - 1])
        assert part.pdf_sha256 in separator
        assert _flat(f"Trang {page} của sổ") in separator
        label = part.number_label if isinstance(part, m.Minutes) else part.minutes.number_label
        assert label in separator
        # The stored pages follow unchanged (same text, page by page).
        for i, original in enumerate(pdfutil.page_texts(data)):
            assert texts[page + i] == original
        page += 1 + n
    (tmp_path / "book.pdf").write_bytes(book)


def test_cover_and_contents_name_the_cell_the_year_and_the_pages(cell, committee, real_year):
    book = _book(cell)
    texts = pdfutil.page_texts(book)
    cover = pdfutil.flat(texts[0])
    assert "SỔ BIÊN BẢN" in cover
    assert "SINH HOẠT CHUYÊN ĐỀ NĂM 2026" in cover
    assert "CHI BỘ VĂN PHÒNG" in cover
    assert "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH" in cover
    assert "Gồm 2 biên bản (từ số 01-BB/CB đến số 02-BB/CB) và 1 phụ lục đính chính" in cover
    assert f"Tổng số {len(PdfReader(io.BytesIO(book)).pages)} trang" in cover
    contents = pdfutil.flat(texts[1])
    assert "MỤC LỤC" in contents
    first_pages = len(PdfReader(io.BytesIO(_stored(real_year[0]))).pages)
    addendum_pages = len(PdfReader(io.BytesIO(_stored(real_year[1]))).pages)
    assert re.search(r"1 01-BB/CB 17/03/2026 Tự soi, tự sửa 3\b", contents)
    assert re.search(rf"Đính chính, bổ sung biên bản: Tự soi, tự sửa {3 + 1 + first_pages}\b", contents)
    assert re.search(
        rf"3 02-BB/CB 12/05/2026 Học tập và làm theo Bác {3 + 2 + first_pages + addendum_pages}\b", contents
    )


def test_sealed_minutes_are_not_rendered_again(cell, real_year, monkeypatch):
    import meetings.documents.minutes as minutes_documents

    def refuse(*args, **kwargs):
        raise AssertionError("sealed minutes must not be re-rendered")

    monkeypatch.setattr(minutes_documents, "render_minutes_pdf", refuse)
    assert _book(cell)


# --- The binding with many parts -------------------------------------------------------------


def test_contents_over_several_pages_keep_page_numbers_right(cell):
    all_minutes = [stored_minutes(cell, n, pages=1 + n % 3) for n in range(1, 41)]
    book = _book(cell)
    reader = PdfReader(io.BytesIO(book))
    texts = pdfutil.page_texts(book)
    total_parts = sum(1 + 1 + n % 3 for n in range(1, 41))
    toc_pages = len(reader.pages) - 1 - total_parts
    assert toc_pages >= 2
    contents = pdfutil.flat(" ".join(texts[1 : 1 + toc_pages]))
    page = 1 + toc_pages + 1
    for minutes in all_minutes:
        n = minutes.number
        assert re.search(rf"\b{n} {minutes.number_label} \S+ Chuyên đề số {n} {page}\b", contents), n
        assert minutes.pdf_sha256 in _flat(texts[page - 1])
        assert f"SEALED MINUTES {n:02d} PAGE 1" in texts[page]
        page += 1 + 1 + n % 3
    assert page - 1 == len(reader.pages)


def test_a_stored_file_that_does_not_match_its_hash_is_flagged(cell):
    stored_minutes(cell, 1)
    stored_minutes(cell, 2, tamper=True)
    texts = pdfutil.page_texts(_book(cell))
    assert "không khớp mã SHA-256" not in pdfutil.flat(texts[2])
    assert "không khớp mã SHA-256" in pdfutil.flat(texts[5])


def test_an_empty_year_is_a_cover_and_empty_contents(cell):
    texts = pdfutil.page_texts(_book(cell, year=2025))
    assert len(texts) == 2
    assert "chưa có biên bản nào" in pdfutil.flat(texts[0])


# --- The download: scope and queries ---------------------------------------------------------


def _url(cell, year=2026):
    return reverse("archive:year_book", args=[cell.pk]) + f"?nam={year}"


def test_secretary_and_committee_staff_download_the_book(client, cell, secretary, staff):
    stored_minutes(cell, 1)
    for user in (secretary.user, staff):
        client.force_login(user)
        response = client.get(_url(cell))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "filename*=UTF-8''S%E1%BB%95%20bi%C3%AAn%20b%E1%BA%A3n" in response["Content-Disposition"]
        assert len(PdfReader(io.BytesIO(response.content)).pages) == 1 + 1 + 1 + 2


def test_other_cell_and_unrelated_committee_get_404(client, cell, other_secretary):
    stored_minutes(cell, 1)
    client.force_login(other_secretary.user)
    assert client.get(_url(cell)).status_code == 404
    unrelated = f.StaffUserFactory(committee=f.CommitteeFactory(name="Đảng ủy phường"))
    client.force_login(unrelated)
    assert client.get(_url(cell)).status_code == 404
    client.logout()
    assert client.get(_url(cell)).status_code == 302  # to the login page


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_number_of_minutes(client, cell, secretary):
    client.force_login(secretary.user)
    stored_minutes(cell, 1)
    _count_queries(client, _url(cell))  # the session's first request records the login
    one = _count_queries(client, _url(cell))
    for n in range(2, 7):
        minutes = stored_minutes(cell, n)
        m.MinutesAddendum.objects.create(
            minutes=minutes, version=1, text="Đính chính", pdf=minutes.pdf.name, pdf_sha256=minutes.pdf_sha256
        )
    assert _count_queries(client, _url(cell)) == one


def test_links_on_the_plan_and_the_committee_cell_page(client, cell, secretary, staff):
    plan = f.PlanFactory(cell=cell, year=2026)
    client.force_login(secretary.user)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert f"{reverse('archive:year_book', args=[cell.pk])}?nam=2026" in page
    client.force_login(staff)
    page = client.get(reverse("dashboard:cell", args=[cell.pk]) + "?nam=2026").content.decode()
    assert f"{reverse('archive:year_book', args=[cell.pk])}?nam=2026" in page
