"""The hash chain of sealed records (issue 18, item 4): each seal appends one link to its cell's
chain in the sealing transaction, the report carries the head, and two seals of one cell at
once take consecutive links instead of forking the chain."""

import datetime
import hashlib
import importlib
import threading
import time

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, InternalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings import models as m
from meetings.models.ledger import GENESIS_HASH, record_digest
from meetings.services import meetings as svc
from meetings.services.integrity_check import integrity_check
from meetings.services.ledger import ledger_append, ledger_head
from meetings.services.reports import report_review, report_submit
from tests import factories as f
from tests.services.test_meetings import (  # noqa: F401 - the autouse fixture keeps "yesterday" in this quarter
    _yesterday_in_this_quarter,
    make_meeting,
    prepare,
    run_all,
)

pytestmark = [pytest.mark.django_db, pytest.mark.services]


def sealed_minutes(cell, *, number: int, data: bytes | None = None, chain: bool = True) -> m.Minutes:
    """Minutes sealed the way `minutes_create` seals them (row, then file and hash, then the
    link), with a small stand-in PDF instead of a rendered one."""
    data = data or f"%PDF-1.4 biên bản số {number} của {cell.name}".encode()
    for group_number, name in m.TOPIC_GROUPS:  # a previous transactional test may have flushed them
        m.TopicGroup.objects.get_or_create(number=group_number, defaults={"name": name})
    with transaction.atomic():
        meeting = f.MeetingFactory(cell=cell, stage="finalized")
        minutes = m.Minutes.objects.create(
            meeting=meeting,
            cell=cell,
            year=2026,
            number=number,
            snapshot={"cell_name": cell.name, "topic_title": f"Chuyên đề {number}", "rate": 85.7},
            finalized_at=timezone.now(),
            verification_code=f"T{cell.pk}-{number}",
        )
        minutes.pdf.save(f"bien-ban-{cell.pk}-{number}.pdf", ContentFile(data), save=False)
        minutes.pdf_sha256 = hashlib.sha256(data).hexdigest()
        minutes.save(update_fields=["pdf", "pdf_sha256"])
        if chain:
            ledger_append(cell=cell, kind="minutes", obj=minutes, sha256=minutes.pdf_sha256)
            report_submit(minutes=minutes)
    return minutes


def sealed_addendum(minutes, *, version: int = 1, chain: bool = True) -> m.MinutesAddendum:
    data = f"%PDF-1.4 phụ lục {version} của biên bản {minutes.pk}".encode()
    with transaction.atomic():
        addendum = m.MinutesAddendum(minutes=minutes, version=version, text=f"Đính chính lần {version}")
        addendum.pdf.save(f"phu-luc-{minutes.pk}-{version}.pdf", ContentFile(data), save=False)
        addendum.pdf_sha256 = hashlib.sha256(data).hexdigest()
        addendum.save(force_insert=True)
        if chain:
            ledger_append(cell=minutes.cell, kind="addendum", obj=addendum, sha256=addendum.pdf_sha256)
            report_submit(minutes=minutes, addendum=addendum)
    return addendum


@pytest.fixture
def held(cell, secretary):
    day = timezone.localdate() - datetime.timedelta(days=1)
    meeting = prepare(make_meeting(cell, secretary.user, date=day), secretary.user, secretary, day)
    return run_all(meeting, secretary.user)


# --- the chain built by the services ----------------------------------------------------------


def test_finalise_appends_the_minutes_and_the_report_carries_the_head(held, secretary, cell):
    minutes = svc.meeting_finalize(meeting=held, actor=secretary.user)
    link = m.SealedRecord.objects.get(cell=cell)
    assert (link.seq, link.kind, link.object_id) == (1, "minutes", minutes.pk)
    assert link.document_sha256 == minutes.pdf_sha256
    assert link.prev_hash == GENESIS_HASH
    assert link.record_hash == link.compute_hash()
    report = m.Report.objects.get(minutes=minutes)
    assert (report.document_sha256, report.chain_seq, report.chain_head) == (
        minutes.pdf_sha256,
        1,
        link.record_hash,
    )


def test_addendum_is_the_next_link_and_its_report_carries_the_new_head(held, secretary, cell):
    minutes = svc.meeting_finalize(meeting=held, actor=secretary.user)
    addendum = svc.minutes_addendum_create(minutes=minutes, actor=secretary.user, text="Đính chính mục III.")
    first, second = m.SealedRecord.objects.filter(cell=cell).order_by("seq")
    assert (second.seq, second.kind, second.object_id) == (2, "addendum", addendum.pk)
    assert second.prev_hash == first.record_hash
    assert second.document_sha256 == addendum.pdf_sha256
    report = m.Report.objects.get(minutes=minutes, version=2)
    assert (report.document_sha256, report.chain_seq, report.chain_head) == (
        addendum.pdf_sha256,
        2,
        second.record_hash,
    )
    assert integrity_check(cell_id=cell.pk).ok


def test_a_refused_addendum_leaves_no_link(held, secretary, cell):
    minutes = svc.meeting_finalize(meeting=held, actor=secretary.user)
    with pytest.raises(ValidationError):
        svc.minutes_addendum_create(minutes=minutes, actor=secretary.user, text="   ")
    assert m.SealedRecord.objects.filter(cell=cell).count() == 1


def test_each_cell_has_its_own_chain(cell, other_cell):
    a1 = sealed_minutes(cell, number=1)
    b1 = sealed_minutes(other_cell, number=1)
    a2 = sealed_minutes(cell, number=2)
    links = {(r.cell_id, r.seq): r for r in m.SealedRecord.objects.all()}
    assert links[(cell.pk, 1)].object_id == a1.pk
    assert links[(cell.pk, 2)].object_id == a2.pk
    assert links[(other_cell.pk, 1)].object_id == b1.pk
    assert links[(cell.pk, 2)].prev_hash == links[(cell.pk, 1)].record_hash
    assert links[(other_cell.pk, 1)].prev_hash == GENESIS_HASH
    assert ledger_head(cell_id=cell.pk).seq == 2


def test_the_record_hash_follows_the_documented_serialisation(cell):
    sealed_minutes(cell, number=1)
    link = m.SealedRecord.objects.get(cell=cell)
    text = "\n".join(
        [
            "chibo-ledger/1",
            f"cell:{cell.pk}",
            "seq:1",
            "kind:minutes",
            f"object:{link.object_id}",
            f"document:{link.document_sha256}",
            f"content:{link.content_sha256}",
            f"sealed_at:{link.sealed_at.astimezone(datetime.UTC):%Y-%m-%dT%H:%M:%S.%fZ}",
            f"prev:{'0' * 64}",
        ]
    )
    assert link.record_hash == hashlib.sha256(text.encode()).hexdigest()


# --- what ledger_append refuses ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_append_refuses_outside_a_transaction():
    cell = f.CellFactory()
    minutes = sealed_minutes(cell, number=1, chain=False)
    with pytest.raises(RuntimeError, match="inside the sealing transaction"):
        ledger_append(cell=cell, kind="minutes", obj=minutes, sha256=minutes.pdf_sha256)


def test_append_refuses_a_hash_other_than_the_stored_one(cell):
    minutes = sealed_minutes(cell, number=1, chain=False)
    with pytest.raises(ValueError, match="another SHA-256"), transaction.atomic():
        ledger_append(cell=cell, kind="minutes", obj=minutes, sha256="b" * 64)


def test_append_refuses_an_unknown_kind_and_another_cell(cell, other_cell):
    minutes = sealed_minutes(cell, number=1, chain=False)
    with pytest.raises(ValueError, match="unknown sealed kind"), transaction.atomic():
        ledger_append(cell=cell, kind="letter", obj=minutes, sha256=minutes.pdf_sha256)
    with pytest.raises(ValueError, match="does not belong"), transaction.atomic():
        ledger_append(cell=other_cell, kind="minutes", obj=minutes, sha256=minutes.pdf_sha256)


def test_one_record_gets_one_link(cell):
    minutes = sealed_minutes(cell, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ledger_append(cell=cell, kind="minutes", obj=minutes, sha256=minutes.pdf_sha256)


# --- the database refuses changes ---------------------------------------------------------------


def test_links_cannot_be_changed_or_deleted(cell):
    sealed_minutes(cell, number=1)
    for change in (
        lambda: m.SealedRecord.objects.filter(cell=cell).update(prev_hash="1" * 64),
        lambda: m.SealedRecord.objects.filter(cell=cell).delete(),
    ):
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            change()


def test_the_committees_copy_on_a_report_cannot_be_changed_but_review_can(cell, staff):
    minutes = sealed_minutes(cell, number=1)
    report = m.Report.objects.get(minutes=minutes)
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        m.Report.objects.filter(pk=report.pk).update(chain_head="1" * 64)
    report_review(report=report, actor=staff, accept=True)
    report.refresh_from_db()
    assert report.status == m.ReportStatus.ACCEPTED and report.chain_seq == 1


# --- two seals of one cell at the same time -------------------------------------------------------


def test_append_locks_the_cells_row():
    cell = f.CellFactory()
    minutes = sealed_minutes(cell, number=1, chain=False)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        ledger_append(cell=cell, kind="minutes", obj=minutes, sha256=minutes.pdf_sha256)
    locks = [q["sql"] for q in queries if "FOR NO KEY UPDATE" in q["sql"]]
    assert locks and all(m.Organization._meta.db_table in sql for sql in locks)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_seals_of_one_cell_take_consecutive_links():
    """The second seal waits on the first one's lock (seen in pg_stat_activity, not guessed
    with a sleep), then chains onto the first one's link."""
    cell = f.CellFactory()
    first = sealed_minutes(cell, number=1, chain=False)
    second = sealed_minutes(cell, number=2, chain=False)
    appended, release = threading.Event(), threading.Event()
    pids, errors = {}, []

    def seal(minutes, name):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pids[name] = cursor.fetchone()[0]
            with transaction.atomic():
                ledger_append(cell=cell, kind="minutes", obj=minutes, sha256=minutes.pdf_sha256)
                if name == "a":
                    appended.set()
                    assert release.wait(10)
        except Exception as exc:  # reported to the test's thread below
            errors.append(exc)
        finally:
            connection.close()

    a = threading.Thread(target=seal, args=(first, "a"))
    a.start()
    assert appended.wait(10)
    b = threading.Thread(target=seal, args=(second, "b"))
    b.start()
    waiting = False
    deadline = time.monotonic() + 10
    while not waiting and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pids.get("b", 0)])
            row = cursor.fetchone()
        waiting = bool(row and row[0] == "Lock")
        time.sleep(0.02)
    release.set()
    a.join(10)
    b.join(10)
    assert waiting, "the second seal did not wait for the first one's lock"
    assert not errors, errors
    links = list(m.SealedRecord.objects.filter(cell=cell).order_by("seq"))
    assert [(x.seq, x.object_id) for x in links] == [(1, first.pk), (2, second.pk)]
    assert links[1].prev_hash == links[0].record_hash


# --- the data migration ---------------------------------------------------------------------------


def test_migration_chains_records_sealed_before_it_in_sealed_order(cell, other_cell):
    old = sealed_minutes(cell, number=1, chain=False)
    newer = sealed_minutes(cell, number=2, chain=False)
    addendum = sealed_addendum(old, chain=False)
    other = sealed_minutes(other_cell, number=1, chain=False)
    migration = importlib.import_module("meetings.migrations.0024_ledger")
    migration.build_chain(apps, None)
    order = [(r.cell_id, r.seq, r.kind, r.object_id) for r in m.SealedRecord.objects.order_by("cell_id", "seq")]
    assert order == sorted(
        [
            (cell.pk, 1, "minutes", old.pk),
            (cell.pk, 2, "minutes", newer.pk),
            (cell.pk, 3, "addendum", addendum.pk),
            (other_cell.pk, 1, "minutes", other.pk),
        ]
    )
    first = m.SealedRecord.objects.get(kind="minutes", object_id=old.pk)
    assert first.sealed_at == old.finalized_at
    assert first.record_hash == record_digest(
        cell_id=cell.pk,
        seq=1,
        kind="minutes",
        object_id=old.pk,
        document_sha256=old.pdf_sha256,
        content_sha256=first.content_sha256,
        sealed_at=old.finalized_at,
        prev_hash=GENESIS_HASH,
    )
    result = integrity_check()
    assert result.problems == [] and result.links == 4 and result.files == 4
