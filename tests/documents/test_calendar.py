"""The meeting as an iCalendar event: the same in the e-mail attachment and in the feed."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from meetings.documents.calendar import meeting_ics, member_feed_ics
from meetings.workflow import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


def _meeting_event(data: bytes):
    return next(c for c in Calendar.from_ical(data).walk("VEVENT") if str(c["uid"]).startswith("meeting-"))


@pytest.mark.parametrize(("combined", "minutes"), [(False, 90), (True, 120)])
def test_attachment_and_feed_give_the_meeting_the_same_time_and_length(member, combined, minutes):
    starts = timezone.make_aware(datetime.datetime(2026, 12, 10, 8, 0))
    meeting = f.MeetingFactory(
        cell=member.cell,
        stage=Stage.NOTICED,
        scheduled_date=starts.date(),
        start_time=starts.time(),
        starts_at=starts,
        combined_with_regular=combined,
        combined_order="regular_first" if combined else "",
    )
    mail = _meeting_event(meeting_ics(meeting, url="https://chibo.example.vn/buoi-sinh-hoat/1/"))
    feed = _meeting_event(member_feed_ics(member=member, meetings=[meeting], lead_papers=[], contributions=[]))
    for event in (mail, feed):
        assert str(event["uid"]) == f"meeting-{meeting.pk}@chibo"
        assert event.decoded("dtstart") == starts
        assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(minutes=minutes)


def test_a_meeting_without_a_time_is_a_whole_day_in_the_feed(member):
    meeting = f.MeetingFactory(cell=member.cell, stage=Stage.SCHEDULED, scheduled_date=datetime.date(2026, 12, 10))
    event = _meeting_event(member_feed_ics(member=member, meetings=[meeting], lead_papers=[], contributions=[]))
    assert event.decoded("dtstart") == datetime.date(2026, 12, 10)
    assert "dtend" not in event
