"""A sealed addendum cannot be changed or deleted, whatever the path (PostgreSQL triggers),
and its creation is kept in the history."""

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.utils import timezone

from meetings import models as m
from meetings.services.meetings import minutes_addendum_create
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.services]

REFUSED = (IntegrityError, InternalError)


@pytest.fixture
def addendum(secretary):
    meeting = f.MeetingFactory(cell=secretary.cell, stage="finalized")
    minutes = m.Minutes.objects.create(
        meeting=meeting, cell=meeting.cell, year=2026, number=1, finalized_at=timezone.now()
    )
    minutes.pdf_sha256 = "a" * 64
    minutes.save()
    return minutes_addendum_create(minutes=minutes, actor=secretary.user, text="Đính chính tên người phát biểu")


def _refused(fn):
    with pytest.raises(REFUSED), transaction.atomic():
        fn()


def test_service_writes_the_addendum_sealed_in_one_insert(addendum):
    stored = m.MinutesAddendum.objects.get(pk=addendum.pk)
    assert len(stored.pdf_sha256) == 64 and stored.pdf


def test_sealed_addendum_cannot_be_changed_or_deleted_by_queryset(addendum):
    _refused(lambda: m.MinutesAddendum.objects.filter(pk=addendum.pk).update(text="Sửa"))
    _refused(lambda: m.MinutesAddendum.objects.filter(pk=addendum.pk).update(pdf_sha256="b" * 64))
    _refused(lambda: m.MinutesAddendum.objects.filter(pk=addendum.pk).delete())


def test_sealed_addendum_cannot_be_changed_or_deleted_by_raw_sql(addendum):
    def update():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE meetings_minutesaddendum SET text = 'x' WHERE id = %s", [addendum.pk])

    def delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM meetings_minutesaddendum WHERE id = %s", [addendum.pk])

    _refused(update)
    _refused(delete)
    assert m.MinutesAddendum.objects.get(pk=addendum.pk).text == "Đính chính tên người phát biểu"


def test_sealed_addendum_save_from_python_is_refused(addendum):
    addendum.text = "Sửa qua model"
    _refused(addendum.save)


def test_addendum_creation_is_kept_in_history(addendum):
    events = list(m.MinutesAddendum.objects.get(pk=addendum.pk).events.all())
    assert [e.pgh_label for e in events] == ["insert"]
    assert events[0].pdf_sha256 == addendum.pdf_sha256
