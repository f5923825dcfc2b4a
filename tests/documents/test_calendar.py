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


# --- alarms (issue 17, item 7) ---------------------------------------------------------------


def _noticed(member):
    starts = timezone.make_aware(datetime.datetime(2026, 12, 10, 8, 0))
    return f.MeetingFactory(
        cell=member.cell,
        stage=Stage.NOTICED,
        scheduled_date=starts.date(),
        start_time=starts.time(),
        starts_at=starts,
    )


def _alarms(event):
    return [(str(a["action"]), a.decoded("trigger"), str(a["description"])) for a in event.walk("VALARM")]


def _both(meeting, member):
    return (
        _meeting_event(meeting_ics(meeting, url="https://chibo.example.vn/buoi-sinh-hoat/1/")),
        _meeting_event(member_feed_ics(member=member, meetings=[meeting], lead_papers=[], contributions=[])),
    )


def test_attachment_and_feed_remind_a_day_and_an_hour_before_by_default(member):
    meeting = _noticed(member)
    for event in _both(meeting, member):
        alarms = _alarms(event)
        assert [(action, trigger) for action, trigger, _ in alarms] == [
            ("DISPLAY", -datetime.timedelta(days=1)),
            ("DISPLAY", -datetime.timedelta(hours=1)),
        ]
        assert all(meeting.title in text for _, _, text in alarms)


def test_alarms_follow_the_setting(member, settings):
    settings.CHIBO = {**settings.CHIBO, "CALENDAR_ALARMS": [2880, 30]}
    meeting = _noticed(member)
    for event in _both(meeting, member):
        assert [trigger for _, trigger, _ in _alarms(event)] == [
            -datetime.timedelta(days=2),
            -datetime.timedelta(minutes=30),
        ]


def test_an_empty_setting_gives_no_alarm(member, settings):
    settings.CHIBO = {**settings.CHIBO, "CALENDAR_ALARMS": []}
    meeting = _noticed(member)
    for event in _both(meeting, member):
        assert _alarms(event) == []


def test_a_cancelled_meeting_carries_no_alarm(member):
    meeting = _noticed(member)
    cancelled = _meeting_event(meeting_ics(meeting, url="https://chibo.example.vn/", cancelled=True))
    assert _alarms(cancelled) == []
    meeting.stage = Stage.CANCELLED
    feed = _meeting_event(member_feed_ics(member=member, meetings=[meeting], lead_papers=[], contributions=[]))
    assert _alarms(feed) == []


# --- meeting mode in the calendar (issue 17, item 6) ----------------------------------------


@pytest.mark.parametrize(
    ("mode", "place", "room", "location", "url"),
    [
        ("in_person", "Hội trường A", "", "Hội trường A", None),
        ("online", "", "https://hop.example.vn/cb1", "https://hop.example.vn/cb1", "https://hop.example.vn/cb1"),
        (
            "hybrid",
            "Hội trường A",
            "https://hop.example.vn/cb1",
            "Hội trường A · Trực tuyến: https://hop.example.vn/cb1",
            "https://hop.example.vn/cb1",
        ),
        ("online", "", "Phòng họp Zoom của Đảng ủy", "Phòng họp Zoom của Đảng ủy", None),
    ],
)
def test_the_event_says_where_to_join_by_mode(member, mode, place, room, location, url):
    meeting = _noticed(member)
    meeting.mode, meeting.place, meeting.online_room = mode, place, room
    for event in _both(meeting, member):
        assert str(event["location"]) == location
        assert (str(event["url"]) if "url" in event else None) == url
