"""iCalendar documents: the .ics attached to a meeting's e-mails and the member's feed.

Both describe a meeting with the same event (uid ``meeting-<id>@chibo``, the configured
minimum duration as its length), so a calendar that receives the e-mail and subscribes to
the feed holds one consistent entry."""

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from meetings.models.meetings import MeetingMode
from meetings.workflow import Stage


def meeting_duration(meeting) -> datetime.timedelta:
    """The rule's minimum length (DOMAIN.md): longer when combined with the regular meeting."""
    key = "MIN_DURATION_COMBINED_MINUTES" if meeting.combined_with_regular else "MIN_DURATION_MINUTES"
    return datetime.timedelta(minutes=settings.CHIBO[key])


def _meeting_event(meeting, *, summary: str, description: str, now) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@chibo")
    event.add("dtstamp", now)
    event.add("summary", summary)
    start = meeting.starts_at
    if start is None and meeting.scheduled_date and meeting.start_time:
        start = datetime.datetime.combine(
            meeting.scheduled_date, meeting.start_time, tzinfo=timezone.get_current_timezone()
        )
    if start is not None:
        event.add("dtstart", start)
        event.add("dtend", start + meeting_duration(meeting))
    else:
        event.add("dtstart", meeting.scheduled_date)  # a day without a time yet
    location = meeting_location(meeting)
    if location:
        event.add("location", location)
    if meeting.online_room_link:
        # Calendars show URL as a tappable link to join.
        event.add("url", meeting.online_room_link)
    event.add("description", description)
    return event


def meeting_location(meeting) -> str:
    """Where to go: the room for an in-person meeting, the online room for an online one,
    both for a hybrid one (a member may join either way)."""
    place = (meeting.place or "").strip()
    room = (meeting.online_room or "").strip()
    if meeting.mode == MeetingMode.ONLINE:
        return room or place
    if meeting.mode == MeetingMode.HYBRID and room:
        return f"{place} · Trực tuyến: {room}" if place else room
    return place


def alarm_minutes() -> list[int]:
    """Minutes before the start at which calendars remind (CHIBO["CALENDAR_ALARMS"]; empty: none)."""
    return [int(m) for m in settings.CHIBO.get("CALENDAR_ALARMS", [1440, 60]) if int(m) > 0]


def _add_alarms(event: Event, summary: str) -> None:
    """Display reminders, so a member who adds the meeting to a phone's calendar is told the day
    before and an hour before without asking the calendar app for it."""
    for minutes in alarm_minutes():
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Nhắc lịch: {summary}")
        alarm.add("trigger", datetime.timedelta(minutes=-minutes))
        event.add_component(alarm)


def _deadline_event(uid: str, summary: str, day: datetime.date, now) -> Event:
    event = Event()
    event.add("uid", f"{uid}@chibo")
    event.add("dtstamp", now)
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    return event


def meeting_ics(meeting, *, url: str, cancelled: bool = False) -> bytes:
    """The invitation (or its cancellation) attached to the meeting's e-mails."""
    cal = Calendar()
    cal.add("prodid", "-//chibo//sinh hoat chuyen de//VI")
    cal.add("version", "2.0")
    # REQUEST/CANCEL with an organiser, the same UID and a growing SEQUENCE (the meeting's
    # version goes up with every change): calendar apps update or remove the event they
    # already hold instead of adding a second one.
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = _meeting_event(
        meeting,
        summary=f"Sinh hoạt chuyên đề: {meeting.title}",
        description=f"{meeting.cell.name} – {meeting.title}\n{url}",
        now=timezone.now(),
    )
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = vText(meeting.cell.name)
    event.add("organizer", organizer)
    event.add("sequence", meeting.version)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if not cancelled:
        _add_alarms(event, f"Sinh hoạt chuyên đề: {meeting.title}")
    cal.add_component(event)
    return cal.to_ical()


def member_feed_ics(*, member, meetings, lead_papers, contributions) -> bytes:
    """The member's subscribed calendar: the cell's meetings and the member's deadlines."""
    now = timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//chibo//Lich sinh hoat chi bo//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Lịch sinh hoạt – {member.cell.name}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        event = _meeting_event(
            meeting,
            summary=f"Sinh hoạt chuyên đề: {meeting.title}" if meeting.topic_id else meeting.title,
            description=f"{member.cell.name} · {meeting.get_stage_display()}",
            now=now,
        )
        if meeting.stage == Stage.CANCELLED:
            event.add("status", "CANCELLED")
        elif meeting.stage != Stage.FINALIZED:  # a meeting already held needs no reminder
            _add_alarms(event, str(event["summary"]))
        cal.add_component(event)
    for topic in lead_papers:
        cal.add_component(
            _deadline_event(f"lead-{topic.pk}", f"Hạn nộp đề dẫn: {topic.title}", topic.lead_paper_due, now)
        )
    for contribution in contributions:
        cal.add_component(
            _deadline_event(
                f"contribution-{contribution.pk}",
                f"Hạn nộp tham luận: {contribution.subject}",
                contribution.due_on,
                now,
            )
        )
    return cal.to_ical()
