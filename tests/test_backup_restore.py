"""A backup restored into a fresh database and a fresh media folder holds every finalised
meeting with its stored minutes PDF unchanged (PostgreSQL only)."""

import datetime
import hashlib
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from meetings import models as m
from meetings.workflow import Stage
from tests import factories as f

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _admin_connection():
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        dbname="postgres",
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
    )
    conn.autocommit = True
    return conn


@pytest.fixture
def restore_database():
    """A fresh empty database `<testdb>_restore`, dropped afterwards."""
    db = settings.DATABASES["default"]
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = _admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{db['USER']}@" if db.get("USER") else ""
    url = f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"
    yield name, url
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _finalised_meeting(cell, number: int, pdf_bytes: bytes) -> m.Minutes:
    group, _ = m.TopicGroup.objects.get_or_create(number=2, defaults={"name": "Nhóm chuyên đề số 2"})
    topic = f.TopicFactory(cell=cell, group=group, title=f"Chuyên đề số {number}")
    meeting = f.MeetingFactory(
        cell=cell,
        topic=topic,
        stage=Stage.FINALIZED,
        scheduled_date=datetime.date(2026, 3, number),
        actual_start=timezone.now() - datetime.timedelta(hours=3),
        actual_end=timezone.now() - datetime.timedelta(hours=1),
    )
    minutes = m.Minutes(
        meeting=meeting,
        cell=cell,
        year=meeting.year,
        number=number,
        snapshot={"title": topic.title},
        finalized_at=timezone.now(),
        pdf_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
    )
    minutes.pdf.save(f"bien-ban-{number:02d}.pdf", ContentFile(pdf_bytes), save=False)
    minutes.save()
    return minutes


def _fake_pdf(seed: int) -> bytes:
    # Distinct content per file, with bytes a text-mode copy would corrupt.
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + hashlib.sha512(str(seed).encode()).digest() * 200 + b"\r\n%%EOF\n"


def test_backup_restores_every_finalised_meeting_with_matching_pdf_hash(tmp_path, restore_database):
    cell = f.CellFactory()
    other_cell = f.CellFactory()
    minutes = [_finalised_meeting(cell, n, _fake_pdf(n)) for n in (1, 2, 3)]
    minutes.append(_finalised_meeting(other_cell, 1, _fake_pdf(99)))
    f.MeetingFactory(cell=cell)  # not finalised: restored too, but not part of the check
    upload = Path(settings.MEDIA_ROOT) / "uploads" / "2026" / "tai-lieu.docx"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"PK\x03\x04 tai lieu")
    expected = {
        mi.meeting_id: (mi.meeting.topic.title, mi.pdf.name, mi.pdf_sha256)
        for mi in m.Minutes.objects.select_related("meeting__topic")
    }
    assert len(expected) == 4

    call_command("backup", output=str(tmp_path / "backups"))
    (backup_dir,) = (tmp_path / "backups").iterdir()
    assert {p.name for p in backup_dir.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}

    name, url = restore_database
    fresh_media = tmp_path / "fresh-media"
    call_command("restore", source=str(backup_dir), database_url=url, media_root=str(fresh_media), noinput=True)

    db = settings.DATABASES["default"]
    with (
        psycopg2.connect(
            dbname=name,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
        ) as conn,
        conn.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT mt.id, t.title, mi.pdf, mi.pdf_sha256 FROM meetings_meeting mt "
            "JOIN meetings_topic t ON t.id = mt.topic_id "
            "JOIN meetings_minutes mi ON mi.meeting_id = mt.id WHERE mt.stage = %s",
            [Stage.FINALIZED.value],
        )
        restored = {row[0]: (row[1], row[2], row[3]) for row in cursor.fetchall()}
        cursor.execute("SELECT count(*) FROM meetings_meeting")
        (meeting_count,) = cursor.fetchone()
    conn.close()

    assert restored == expected
    assert meeting_count == 5
    for _title, pdf_name, digest in restored.values():
        assert hashlib.sha256((fresh_media / pdf_name).read_bytes()).hexdigest() == digest
    assert (fresh_media / "uploads" / "2026" / "tai-lieu.docx").read_bytes() == b"PK\x03\x04 tai lieu"


def test_restore_refuses_a_tampered_backup(tmp_path, restore_database):
    f.CellFactory()
    call_command("backup", output=str(tmp_path / "backups"))
    (backup_dir,) = (tmp_path / "backups").iterdir()
    with (backup_dir / "database.dump").open("ab") as fh:
        fh.write(b"x")
    _name, url = restore_database
    with pytest.raises(CommandError, match="không khớp mã băm"):
        call_command("restore", source=str(backup_dir), database_url=url, media_root=str(tmp_path / "m"), noinput=True)
