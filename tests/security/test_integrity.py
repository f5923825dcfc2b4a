"""Finalised records cannot be changed or deleted, whatever the path (PostgreSQL triggers)."""

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.utils import timezone

from meetings import models as m
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.services]

REFUSED = (IntegrityError, InternalError)


@pytest.fixture
def finalized():
    meeting = f.MeetingFactory(stage="held")
    member = f.MemberFactory(cell=meeting.cell)
    m.Attendance.objects.create(meeting=meeting, member=member, status="present")
    m.Speech.objects.create(meeting=meeting, speaker=member, position=1, content="Ý kiến")
    m.Conclusion.objects.create(meeting=meeting, preparation_evaluation="Tốt", quality_evaluation="Tốt", adopted="…")
    minutes = m.Minutes.objects.create(
        meeting=meeting, cell=meeting.cell, year=2026, number=1, finalized_at=timezone.now()
    )
    minutes.pdf_sha256 = "a" * 64
    minutes.save()  # sealing the row is the last allowed update
    m.Meeting.objects.filter(pk=meeting.pk).update(stage="finalized")
    return meeting, member, minutes


def _refused(fn):
    with pytest.raises(REFUSED), transaction.atomic():
        fn()


def test_queryset_update_of_finalized_meeting_is_refused(finalized):
    meeting, _, _ = finalized
    _refused(lambda: m.Meeting.objects.filter(pk=meeting.pk).update(place="Nơi khác"))


def test_raw_sql_cannot_change_or_delete_finalized_meeting(finalized):
    meeting, _, _ = finalized

    def update():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE meetings_meeting SET place = 'x' WHERE id = %s", [meeting.pk])

    def delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM meetings_meeting WHERE id = %s", [meeting.pk])

    _refused(update)
    _refused(delete)


def test_attendance_speech_conclusion_of_finalized_meeting_are_frozen(finalized):
    meeting, member, _ = finalized
    _refused(lambda: m.Attendance.objects.filter(meeting=meeting).update(status="unexcused"))
    _refused(lambda: m.Attendance.objects.filter(meeting=meeting).delete())
    _refused(lambda: m.Speech.objects.filter(meeting=meeting).update(content="Sửa"))
    _refused(lambda: m.Speech.objects.create(meeting=meeting, speaker=member, position=2, content="Thêm"))
    _refused(lambda: m.Conclusion.objects.filter(meeting=meeting).update(adopted="Khác"))
    other = f.MemberFactory(cell=meeting.cell)
    _refused(lambda: m.Attendance.objects.create(meeting=meeting, member=other, status="present"))


def test_sealed_minutes_cannot_be_changed_or_deleted(finalized):
    _, _, minutes = finalized
    _refused(lambda: m.Minutes.objects.filter(pk=minutes.pk).update(number=2))
    _refused(lambda: m.Minutes.objects.filter(pk=minutes.pk).delete())


def test_addendum_is_still_possible(finalized):
    _, _, minutes = finalized
    m.MinutesAddendum.objects.create(minutes=minutes, version=1, text="Đính chính tên người phát biểu")
    assert minutes.addenda.count() == 1


def test_meeting_not_finalized_can_still_change():
    meeting = f.MeetingFactory(stage="held")
    m.Meeting.objects.filter(pk=meeting.pk).update(place="Hội trường")
    meeting.refresh_from_db()
    assert meeting.place == "Hội trường"


def test_history_records_who_changed_a_meeting(client, secretary):
    from chibo.history import events_for

    meeting = f.MeetingFactory(cell=secretary.cell)
    meeting.place = "Phòng họp số 2"
    meeting.save()
    events = events_for(meeting)
    assert [e.place for e in events][:2] == ["Phòng họp số 2", ""]
