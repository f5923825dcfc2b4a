"""The outbox rows each event creates: the meeting notice and its reminders, a moved or
cancelled meeting, deadline reminders, the finalised meeting's study copy and report, a
correction addendum's report, the committee's answer to a report, the quarter watch and the daily safety net.

Every hook writes its rows in the caller's transaction; a unique `key` per message makes
creating one twice impossible. The due rows are handed to the worker once the caller's
transaction commits."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from meetings.models import (
    MANAGING_POSITIONS,
    AttendanceReply,
    Contribution,
    LeadPaperStatus,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    Notification,
    Organization,
    OrgKind,
    Position,
    Report,
    Topic,
    User,
)
from meetings.periods import current_quarter, quarter_bounds
from meetings.selectors.meeting_changes import change_notice_recipients, notice_went_out
from meetings.services.notifications.outbox import MEETING_KINDS, K, S, chunks, dispatch_is_paused, enqueue, utc_stamp
from meetings.workflow import ON_CALENDAR, Stage


def _morning(day: datetime.date) -> datetime.datetime:
    """Date-based reminders go out in the local morning of that day."""
    naive = datetime.datetime.combine(day, datetime.time(settings.NOTIFICATIONS["MORNING_HOUR"]))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _morning_before(day: datetime.date, days: int) -> datetime.datetime | None:
    """The morning `days` days before `day`; None for a date at the calendar's edge (a
    nonsense due date gets no reminder rather than an error)."""
    try:
        return _morning(day - datetime.timedelta(days=days))
    except OverflowError:
        return None


def _row(*, key, kind, email, name="", user_id=None, cell_id=None, meeting_id=None, context=None, due_at):
    return Notification(
        key=key[:255],
        kind=kind,
        recipient_email=email.strip(),
        recipient_name=(name or "")[:150],
        recipient_user_id=user_id,
        cell_id=cell_id,
        meeting_id=meeting_id,
        context=context or {},
        due_at=due_at,
        status=S.PENDING,
    )


def _member_row(member, *, key, kind, cell_id, due_at, meeting_id=None, context=None):
    """A row addressed to a party member (their e-mail, name and account)."""
    return _row(
        key=key,
        kind=kind,
        email=member.email,
        name=member.full_name,
        user_id=member.user_id,
        cell_id=cell_id,
        meeting_id=meeting_id,
        due_at=due_at,
        context=context,
    )


def _store(rows: list[Notification]) -> int:
    """Insert the rows that do not exist yet (unique key) and trigger sending of the due ones
    once the caller's transaction commits. Returns how many rows were new."""
    if not rows:
        return 0
    unique = {r.key: r for r in rows}
    keys = list(unique)
    existing = set()
    for chunk in chunks(keys, 500):
        existing.update(Notification.objects.filter(key__in=chunk).values_list("key", flat=True))
    Notification.objects.bulk_create(list(unique.values()), ignore_conflicts=True, batch_size=500)
    now = timezone.now()
    due_keys = [k for k, r in unique.items() if k not in existing and r.due_at <= now]
    ids = []
    for chunk in chunks(due_keys, 500):
        ids.extend(Notification.objects.filter(key__in=chunk, status=S.PENDING).values_list("pk", flat=True))
    if ids and not dispatch_is_paused():
        ids.sort()
        transaction.on_commit(lambda: enqueue(ids), robust=True)
    return len(keys) - len(existing)


def _expected_with_email(cell_id: int):
    return (
        Member.objects.filter(cell_id=cell_id)
        .expected()
        .exclude(email="")
        .only("pk", "full_name", "email", "user_id", "cell_id")
        .order_by("sort_key", "pk")
    )


def _load_meeting(meeting) -> Meeting:
    return Meeting.objects.select_related("cell", "cell__parent", "cell__follower", "topic").get(pk=meeting.pk)


# --- hooks called by the workflow services ---------------------------------------------------


def _reminder_rows(meeting: Meeting, members: list[Member], now: datetime.datetime) -> list[Notification]:
    """Meeting and reply reminders for the meeting's current time; none for a past time."""
    if meeting.stage == Stage.CANCELLED or meeting.starts_at is None or meeting.starts_at <= now:
        return []
    stamp = utc_stamp(meeting.starts_at)
    replied = set(AttendanceReply.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    schedules = (
        (K.MEETING_REMINDER, settings.CHIBO["MEETING_REMINDER_DAYS"], set()),
        (
            K.REPLY_REMINDER,
            settings.NOTIFICATIONS["REPLY_REMINDER_DAYS"],
            replied,
        ),  # only to those who have not replied
    )
    rows = []
    for kind, days_list, skip in schedules:
        for days in days_list:
            due = meeting.starts_at - datetime.timedelta(days=days)
            if due <= now:
                continue
            rows += [
                _member_row(
                    m,
                    key=f"{kind}:{meeting.pk}:{m.pk}:{days}d:{stamp}",
                    kind=kind,
                    cell_id=meeting.cell_id,
                    meeting_id=meeting.pk,
                    due_at=due,
                    context={"starts_at": stamp, "days": days, "member_id": m.pk},
                )
                for m in members
                if m.pk not in skip
            ]
    return rows


def _notice_rows(meeting: Meeting, members: list[Member], now, *, change: str = "") -> list[Notification]:
    stamp = utc_stamp(meeting.starts_at)
    suffix = f"v{meeting.version}" if not change or change == "moved" else change
    return [
        _member_row(
            m,
            key=f"notice:{meeting.pk}:{m.pk}:{suffix}",
            kind=K.NOTICE,
            cell_id=meeting.cell_id,
            meeting_id=meeting.pk,
            due_at=now,
            context={"starts_at": stamp, "version": meeting.version, "member_id": m.pk, "change": change},
        )
        for m in members
    ]


def _outside_notice_rows(meeting: Meeting, members: list[Member], now, *, change: str = "") -> list[Notification]:
    """The notice to the committee member who follows the cell (HD 42; not twice when also a
    member) and the invitation to each guest with an e-mail address."""
    suffix = f"v{meeting.version}" if not change or change == "moved" else change
    base = {"starts_at": utc_stamp(meeting.starts_at), "version": meeting.version, "change": change}
    common = {"kind": K.NOTICE, "cell_id": meeting.cell_id, "meeting_id": meeting.pk, "due_at": now}
    rows = []
    follower = meeting.cell.follower
    if (
        follower is not None
        and follower.email
        and follower.pk not in {m.user_id for m in members}
        and follower.email.lower() not in {m.email.lower() for m in members}
    ):
        rows.append(
            _row(
                key=f"notice:{meeting.pk}:f{follower.pk}:{suffix}",
                email=follower.email,
                name=follower.display_name,
                user_id=follower.pk,
                context={**base, "follower_id": follower.pk},
                **common,
            )
        )
    for guest in meeting.guests.exclude(email=""):
        rows.append(
            _row(
                key=f"notice:{meeting.pk}:g{guest.pk}:{suffix}",
                email=guest.email,
                name=guest.name,
                context={**base, "guest_id": guest.pk},
                **common,
            )
        )
    return rows


def notifications_for_notice(*, meeting, actor=None) -> int:
    """Meeting notice to every expected member with an e-mail address, the committee member
    who follows the cell and the guests, plus the members' meeting and reply reminders."""
    meeting = _load_meeting(meeting)
    now = timezone.now()
    members = list(_expected_with_email(meeting.cell_id))
    rows = _notice_rows(meeting, members, now) + _outside_notice_rows(meeting, members, now)
    rows += _reminder_rows(meeting, members, now)
    return _store(rows)


def _change_rows(meeting: Meeting, now, *, change: str, key_suffix: str, previous: str = "") -> list[Notification]:
    """The change notice to everyone who had the notice and everyone expected now."""
    base = {"starts_at": utc_stamp(meeting.starts_at), "version": meeting.version, "change": change}
    if previous:
        base["previous"] = previous
    return [
        _row(
            key=f"notice:{meeting.pk}:{r.who}:{key_suffix}",
            kind=K.NOTICE,
            email=r.email,
            name=r.name,
            user_id=r.user_id,
            cell_id=meeting.cell_id,
            meeting_id=meeting.pk,
            due_at=now,
            context={**base, **r.ids},
        )
        for r in change_notice_recipients(meeting)
    ]


def notifications_for_schedule_change(*, meeting, previous: str = "") -> int:
    """The meeting moved (date, time or place) or was cancelled: pending reminders follow it
    (re-timed or cancelled) and, once the notice went out, its recipients get a change notice
    with the new .ics. `previous` is the old time and place, quoted in the message. Returns
    how many change notices were queued."""
    meeting = _load_meeting(meeting)
    now = timezone.now()
    pending = Notification.objects.filter(meeting=meeting, status=S.PENDING, kind__in=list(MEETING_KINDS))
    was_noticed = notice_went_out(meeting)
    if meeting.stage not in ON_CALENDAR or meeting.starts_at is None:
        pending.update(
            status=S.CANCELLED,
            claimed_at=None,
            last_error="Buổi sinh hoạt đã hủy." if meeting.stage == Stage.CANCELLED else "Buổi sinh hoạt đã hoãn.",
        )
        if not was_noticed:
            return 0
        change = "cancelled" if meeting.stage == Stage.CANCELLED else "postponed"
        # A postponed meeting may be postponed again later: keep each announcement distinct.
        change_key = change if change == "cancelled" else f"postponed-v{meeting.version}"
        return _store(_change_rows(meeting, now, change=change, key_suffix=change_key))
    stamp = utc_stamp(meeting.starts_at)
    pending.exclude(context__starts_at=stamp).update(
        status=S.CANCELLED, claimed_at=None, last_error="Lịch họp đã thay đổi; đã tạo thư theo lịch mới."
    )
    if not was_noticed:
        return 0
    rows = _change_rows(meeting, now, change="moved", key_suffix=f"v{meeting.version}", previous=previous)
    count = _store(rows)
    _store(_reminder_rows(meeting, list(_expected_with_email(meeting.cell_id)), now))
    return count


def _deadline_rows(topic: Topic, now: datetime.datetime) -> list[Notification]:
    meeting_id = Meeting.objects.filter(topic=topic).values_list("pk", flat=True).first()
    rows = []
    days_list = settings.CHIBO["DEADLINE_REMINDER_DAYS"]
    author = topic.lead_author
    if (
        topic.lead_paper_due
        and author is not None
        and author.email
        and topic.lead_paper_status in (LeadPaperStatus.UNASSIGNED, LeadPaperStatus.ASSIGNED)
    ):
        for days in days_list:
            due = _morning_before(topic.lead_paper_due, days)
            if due is None or due <= now:
                continue
            rows.append(
                _member_row(
                    author,
                    key=f"deadline:{topic.pk}:lead:{author.pk}:{topic.lead_paper_due:%Y%m%d}:{days}d",
                    kind=K.DEADLINE_REMINDER,
                    cell_id=topic.cell_id,
                    meeting_id=meeting_id,
                    due_at=due,
                    context={
                        "what": "lead",
                        "topic_id": topic.pk,
                        "member_id": author.pk,
                        "due_on": topic.lead_paper_due.isoformat(),
                        "days": days,
                    },
                )
            )
    contributions = (
        Contribution.objects.filter(topic=topic, submitted_at__isnull=True, due_on__isnull=False)
        .exclude(member__email="")
        .select_related("member")
    )
    for c in contributions:
        for days in days_list:
            due = _morning_before(c.due_on, days)
            if due is None or due <= now:
                continue
            rows.append(
                _member_row(
                    c.member,
                    key=f"deadline:{topic.pk}:c{c.pk}:{c.due_on:%Y%m%d}:{days}d",
                    kind=K.DEADLINE_REMINDER,
                    cell_id=topic.cell_id,
                    meeting_id=meeting_id,
                    due_at=due,
                    context={
                        "what": "contribution",
                        "topic_id": topic.pk,
                        "contribution_id": c.pk,
                        "member_id": c.member_id,
                        "due_on": c.due_on.isoformat(),
                        "days": days,
                    },
                )
            )
    return rows


def notifications_for_deadlines(*, topic) -> int:
    """(Re)create the reminders before the lead-paper and contribution deadlines of a topic."""
    topic = Topic.objects.select_related("lead_author").get(pk=topic.pk)
    rows = _deadline_rows(topic, timezone.now())
    keys = [r.key for r in rows]
    # Reminders for a date, author or assignment that no longer holds are dropped.
    Notification.objects.filter(key__startswith=f"deadline:{topic.pk}:", status=S.PENDING).exclude(key__in=keys).update(
        status=S.CANCELLED, last_error="Hạn nộp hoặc phân công đã thay đổi."
    )
    return _store(rows)


def _committee_recipients(committee_ids) -> dict[int, list[tuple[str, str, int | None]]]:
    """Per committee: its configured address and its staff users with an e-mail address."""
    out: dict[int, list[tuple[str, str, int | None]]] = defaultdict(list)
    seen: dict[int, set[str]] = defaultdict(set)
    for org in Organization.objects.filter(pk__in=committee_ids).exclude(email="").values("pk", "name", "email"):
        out[org["pk"]].append((org["email"], org["name"], None))
        seen[org["pk"]].add(org["email"].lower())
    staff = (
        User.objects.filter(committee_id__in=committee_ids, is_active=True)
        .exclude(email="")
        .values("pk", "email", "full_name", "username", "committee_id")
        .order_by("pk")
    )
    for u in staff:
        if u["email"].lower() not in seen[u["committee_id"]]:
            out[u["committee_id"]].append((u["email"], u["full_name"] or u["username"], u["pk"]))
            seen[u["committee_id"]].add(u["email"].lower())
    return out


def notifications_for_finalized(*, meeting, minutes, report=None) -> int:
    """Study copy to the members and the report to the superior committee's e-mail address."""
    meeting = _load_meeting(meeting)
    now = timezone.now()
    rows = [
        _member_row(
            m,
            key=f"study:{meeting.pk}:{m.pk}:m{minutes.pk}",
            kind=K.STUDY,
            cell_id=meeting.cell_id,
            meeting_id=meeting.pk,
            due_at=now,
            context={"minutes_id": minutes.pk, "member_id": m.pk},
        )
        for m in _expected_with_email(meeting.cell_id)
    ]
    committee_id = report.committee_id if report is not None else meeting.cell.parent_id
    if committee_id:
        rows += _report_rows(meeting=meeting, minutes=minutes, report=report, committee_id=committee_id, now=now)
    return _store(rows)


def _report_rows(*, meeting, minutes, report, committee_id, now, key_suffix: str = "", **extra) -> list[Notification]:
    """The report e-mail to each recipient of the committee (`extra` goes into the context)."""
    ref = (f"r{report.pk}" if report is not None else f"m{minutes.pk}") + key_suffix
    context = {
        "minutes_id": minutes.pk,
        "report_id": report.pk if report is not None else None,
        "report_version": report.version if report is not None else 1,
        "committee_id": committee_id,
        **extra,
    }
    return [
        _row(
            key=f"report:{ref}:{email.lower()}",
            kind=K.REPORT,
            email=email,
            name=name,
            user_id=user_id,
            cell_id=meeting.cell_id,
            meeting_id=meeting.pk,
            due_at=now,
            context=dict(context),
        )
        for email, name, user_id in _committee_recipients([committee_id]).get(committee_id, [])
    ]


def notifications_for_addendum(*, minutes, addendum, report) -> int:
    """The committee gets the new report version with the addendum PDF attached (the
    existing report e-mail; `addendum_id` in the context adds the addendum)."""
    if report is None:
        return 0
    meeting = _load_meeting(minutes.meeting)
    rows = _report_rows(
        meeting=meeting,
        minutes=minutes,
        report=report,
        committee_id=report.committee_id,
        now=timezone.now(),
        addendum_id=addendum.pk,
        addendum_version=addendum.version,
    )
    return _store(rows)


def notifications_for_signed(*, minutes, signature) -> int:
    """Once the chair and the clerk have both signed, the committee that received the report
    gets the signed file: the report e-mail again, saying it is the signed copy (the PDF it
    attaches is always the latest signed revision)."""
    report = Report.objects.filter(minutes=minutes).order_by("-version").first()
    if report is None:
        return 0
    rows = _report_rows(
        meeting=_load_meeting(minutes.meeting),
        minutes=minutes,
        report=report,
        committee_id=report.committee_id,
        now=timezone.now(),
        key_suffix=f":signed{signature.revision}",
        signed_sha256=signature.pdf_sha256,
    )
    return _store(rows)


def notifications_for_report_answer(*, report) -> int:
    """Tell the cell's secretary that the committee accepted or returned its report."""
    report = Report.objects.select_related("minutes", "minutes__meeting").get(pk=report.pk)
    cell_id = report.minutes.cell_id
    managers = Member.objects.filter(cell_id=cell_id, position__in=MANAGING_POSITIONS).current().exclude(email="")
    now = timezone.now()
    rows = [
        _member_row(
            m,
            key=f"report_answer:{report.pk}:{report.status}:{m.pk}",
            kind=K.REPORT_ANSWER,
            cell_id=cell_id,
            meeting_id=report.minutes.meeting_id,
            due_at=now,
            context={"report_id": report.pk, "status": report.status, "minutes_id": report.minutes_id},
        )
        for m in managers
    ]
    return _store(rows)


def notifications_for_quarter_watch(*, today: datetime.date | None = None) -> int:
    """N days before the quarter ends, warn the secretary of every cell with no thematic
    meeting on the calendar for the quarter, and send each committee one summary."""
    today = today or timezone.localdate()
    year, quarter = current_quarter(today)
    _start, end = quarter_bounds(year, quarter)
    if (end - today).days > settings.CHIBO["QUARTER_WATCH_DAYS"]:
        return 0
    now = timezone.now()
    on_calendar = Meeting.objects.filter(
        cell=OuterRef("pk"), kind=MeetingKind.THEMATIC, year=year, quarter=quarter, stage__in=list(ON_CALENDAR)
    )
    at_risk = Organization.objects.filter(kind=OrgKind.CELL, is_active=True).exclude(Exists(on_calendar))
    period = f"{year}Q{quarter}"
    context = {"year": year, "quarter": quarter, "end": end.isoformat()}
    rows = []
    secretaries = (
        Member.objects.filter(cell__in=at_risk, position=Position.SECRETARY)
        .exclude(status=MemberStatus.MOVED_OUT)
        .exclude(email="")
        .values("pk", "full_name", "email", "user_id", "cell_id")
    )
    for s in secretaries.iterator(chunk_size=2000):
        rows.append(
            _row(
                key=f"quarter_warning:{period}:{s['cell_id']}:{s['pk']}",
                kind=K.QUARTER_WARNING,
                email=s["email"],
                name=s["full_name"],
                user_id=s["user_id"],
                cell_id=s["cell_id"],
                due_at=now,
                context={**context, "member_id": s["pk"]},
            )
        )
    by_committee: dict[int, list[str]] = defaultdict(list)
    for c in (
        at_risk.filter(parent__isnull=False)
        .values("parent_id", "name")
        .order_by("parent_id", "name")
        .iterator(chunk_size=5000)
    ):
        by_committee[c["parent_id"]].append(c["name"])
    recipients = {}
    for chunk in chunks(list(by_committee), 2000):
        recipients.update(_committee_recipients(chunk))
    for committee_id, cells in by_committee.items():
        for email, name, user_id in recipients.get(committee_id, []):
            rows.append(
                _row(
                    key=f"quarter_summary:{period}:{committee_id}:{email.lower()}",
                    kind=K.QUARTER_SUMMARY,
                    email=email,
                    name=name,
                    user_id=user_id,
                    cell_id=committee_id,
                    due_at=now,
                    context={**context, "committee_id": committee_id, "cells": cells},
                )
            )
    return _store(rows)


def notifications_for_upcoming(*, now: datetime.datetime | None = None) -> int:
    """Daily safety net: make sure the reminders of noticed meetings and open deadlines in
    the coming days exist (idempotent thanks to the unique keys)."""
    now = now or timezone.now()
    horizon_days = (
        max([*settings.CHIBO["MEETING_REMINDER_DAYS"], *settings.NOTIFICATIONS["REPLY_REMINDER_DAYS"], 0]) + 1
    )
    created = 0
    meetings = Meeting.objects.filter(
        stage=Stage.NOTICED, starts_at__gt=now, starts_at__lte=now + datetime.timedelta(days=horizon_days)
    ).select_related("cell", "topic")
    for meeting in meetings.iterator(chunk_size=500):
        created += _store(_reminder_rows(meeting, list(_expected_with_email(meeting.cell_id)), now))
    deadline_days = max([*settings.CHIBO["DEADLINE_REMINDER_DAYS"], 0]) + 1
    today = timezone.localdate(now)
    window = (today, today + datetime.timedelta(days=deadline_days))
    topics = Topic.objects.filter(
        Q(lead_paper_due__range=window) | Q(contributions__due_on__range=window, contributions__submitted_at=None)
    ).distinct()
    for topic in topics.select_related("lead_author").iterator(chunk_size=500):
        created += _store(_deadline_rows(topic, now))
    return created
