import datetime
import hashlib
import os
import threading

import pytest
from django.db import connection, transaction

from meetings import models as m
from meetings.rules.votes import RULE_TEXT as VOTES_RULE_TEXT
from meetings.services import minutes as minutes_services
from meetings.services.minutes import (
    MinutesFileError,
    minutes_create,
    minutes_pdf_bytes,
    minutes_snapshot,
    minutes_verify_file,
)
from tests import factories as f
from tests.documents import pdfutil
from tests.documents.builders import recorded_meeting


@pytest.mark.django_db
class TestSnapshot:
    def test_freezes_names_counts_absentees_and_proceedings(self, cell, secretary):
        meeting = recorded_meeting(cell, secretary=secretary, n_members=8, n_speeches=3)
        snap = minutes_snapshot(meeting)
        assert snap["superior_name"] == "Đảng ủy Khối các cơ quan tỉnh"
        assert snap["cell_name"] == "Chi bộ Văn phòng"
        assert snap["place_name"] == "Hà Tĩnh"
        assert (snap["date"], snap["start"], snap["end"]) == ("2026-03-17", "08:00", "10:05")
        assert snap["topic_title"] == "Tự soi, tự sửa"
        assert snap["chair"]["name"] == "Nguyễn Văn Bí Thư"
        assert snap["clerk"]["name"] == "Nguyễn Văn An"
        assert snap["guests"] == [{"name": "Phan Đình Khách", "title": "Ủy viên Ban Thường vụ Đảng ủy Khối"}]
        assert snap["counts"] == {
            "total": 9,
            "full": 8,
            "probationary": 1,
            "exempt": 1,
            "elsewhere": 0,
            "expected": 8,
            "present": 6,
            "excused": 1,
            "unexcused": 1,
            "exempt_present": 0,
            "rate": 75.0,
        }
        assert [(a["name"], a["status"], a["reason"]) for a in snap["absentees"]] == [
            ("Hoàng Văn Đức", "unexcused", ""),
            ("Võ Thị Hà", "excused", "Đi công tác"),
        ]
        assert [s["position"] for s in snap["speeches"]] == [1, 2, 3]
        assert snap["speeches"][0]["speaker"] == "Nguyễn Văn Bí Thư"
        assert snap["lead"]["name"] == "Trần Thị Bình"
        assert snap["conclusion"]["quality_grade_label"] == "Tốt"
        assert snap["conclusion"]["quality_score"] == 92
        assert snap["resolution"] == {
            "text": "Chi bộ thống nhất ban hành nghị quyết chuyên đề.",
            "votes_for": 5,
            "votes_against": 0,
            "votes_abstain": 0,
            "eligible_voters": 7,
            "eligible_explanation": "8 đảng viên chính thức; trừ 1 miễn sinh hoạt vắng mặt → 7",
            "valid": True,
            "rule": VOTES_RULE_TEXT,
        }
        assert snap["combined"] is False

    def test_place_falls_back_to_the_superior_committee(self, committee):
        cell = f.CellFactory(name="Chi bộ Kho bạc", parent=committee, place="")
        meeting = recorded_meeting(cell, n_members=4, n_speeches=1, with_resolution=False)
        snap = minutes_snapshot(meeting)
        assert snap["place_name"] == "Hà Tĩnh"
        assert snap["resolution"] is None


@pytest.mark.django_db
class TestNumbering:
    def test_numbers_run_per_cell_per_year_without_gaps(self, cell, other_cell):
        numbers = []
        for day in (datetime.date(2026, 1, 10), datetime.date(2026, 4, 10), datetime.date(2026, 7, 10)):
            meeting = recorded_meeting(cell, n_members=3, n_speeches=1, day=day)
            numbers.append(minutes_create(meeting=meeting, actor=None).number)
        assert numbers == [1, 2, 3]
        other = minutes_create(meeting=recorded_meeting(other_cell, n_members=3, n_speeches=1), actor=None)
        assert other.number == 1
        next_year = recorded_meeting(cell, n_members=3, n_speeches=1, day=datetime.date(2027, 2, 1))
        first_2027 = minutes_create(meeting=next_year, actor=None)
        assert (first_2027.year, first_2027.number, first_2027.number_label) == (2027, 1, "01-BB/CB")

    def test_label_on_pdf_matches_the_number(self, cell):
        recorded = [recorded_meeting(cell, n_members=3, n_speeches=1) for _ in range(2)]
        second = [minutes_create(meeting=mt, actor=None) for mt in recorded][1]
        with second.pdf.open("rb") as fh:
            assert "Số 02-BB/CB" in pdfutil.text(fh.read())


@pytest.mark.django_db
class TestStoredPdf:
    def test_pdf_is_stored_once_with_its_hash_and_a_safe_name(self, cell, secretary):
        minutes = minutes_create(meeting=recorded_meeting(cell, secretary=secretary), actor=secretary.user)
        data = minutes_pdf_bytes(minutes)
        assert data.startswith(b"%PDF-")
        assert minutes.pdf_sha256 == hashlib.sha256(data).hexdigest()
        assert minutes.pdf.name.startswith(f"minutes/{minutes.finalized_at:%Y}/bien-ban-{cell.pk}-2026-01-")
        assert minutes.pdf.name.endswith(".pdf")
        assert minutes.finalized_by == secretary.user
        assert minutes.verification_code in pdfutil.text(data)
        minutes.refresh_from_db()
        assert minutes.snapshot["cell_name"] == "Chi bộ Văn phòng"

    def test_verify_file_accepts_the_stored_pdf_and_rejects_a_changed_one(self, cell):
        minutes = minutes_create(meeting=recorded_meeting(cell), actor=None)
        data = minutes_pdf_bytes(minutes)
        assert minutes_verify_file(minutes=minutes, data=data)
        assert not minutes_verify_file(minutes=minutes, data=data.replace(b"%%EOF", b"%%EOF\n%x"))

    def test_tampered_file_is_refused_and_logged(self, cell, caplog):
        minutes = minutes_create(meeting=recorded_meeting(cell), actor=None)
        path = minutes.pdf.path
        with open(path, "r+b") as fh:
            fh.seek(200)
            fh.write(b"X")
        with pytest.raises(MinutesFileError):
            minutes_pdf_bytes(minutes)
        assert any("does not match" in r.getMessage() for r in caplog.records)

    def test_missing_file_is_refused(self, cell):
        minutes = minutes_create(meeting=recorded_meeting(cell), actor=None)
        os.remove(minutes.pdf.path)
        with pytest.raises(MinutesFileError):
            minutes_pdf_bytes(minutes)

    def test_codes_are_short_and_unambiguous(self):
        codes = {minutes_services.minutes_new_code() for _ in range(200)}
        assert len(codes) == 200
        for code in codes:
            assert len(code) == 9 and code[4] == "-"
            assert not set(code) & set("01IO")
        assert minutes_services.normalize_code(" abcd efgh ") == "ABCD-EFGH"


def _require_postgres():
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but the database is not PostgreSQL")
        pytest.skip("needs PostgreSQL row locks (set DATABASE_URL to a PostgreSQL database)")


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_finalisations_get_consecutive_numbers():
    _require_postgres()
    for number, name in m.TOPIC_GROUPS:  # a previous transactional test may have flushed them
        m.TopicGroup.objects.get_or_create(number=number, defaults={"name": name})
    committee = f.CommitteeFactory(name="Đảng ủy Khối")
    cell = f.CellFactory(name="Chi bộ Song song", parent=committee)
    secretary = f.SecretaryFactory(cell=cell)
    meeting_ids = [recorded_meeting(cell, secretary=secretary, n_members=3, n_speeches=1).pk for _ in range(4)]
    barrier = threading.Barrier(len(meeting_ids))
    numbers, errors = [], []

    def finalize(meeting_id):
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                meeting = m.Meeting.objects.select_for_update().get(pk=meeting_id)
                numbers.append(minutes_create(meeting=meeting, actor=None).number)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=finalize, args=(pk,)) for pk in meeting_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4]
    assert sorted(m.Minutes.objects.filter(cell=cell).values_list("number", flat=True)) == [1, 2, 3, 4]
