"""The outbox. Owned by the background-jobs work (issue 5).

Every `notifications_for_*` hook writes Notification rows in the caller's transaction; a
unique `key` per message makes creating one twice impossible. Celery tasks are only
triggers (enqueued on commit); the periodic sweeper (`notifications_send_due`) sends every
due, unsent row, so nothing is lost while Redis or the worker is down. Sending claims each
row with a conditional UPDATE (pending → sending), so two workers never send the same row.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import hashlib
import json
import logging
import random
import re
import secrets
import smtplib
import time
from collections import defaultdict
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.policy import Compat32
from email.utils import formatdate
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import forbid_multi_line_headers, sanitize_address
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import conditional_escape

from meetings.documents import calendar as calendar_documents
from meetings.models import (
    MANAGING_POSITIONS,
    AttendanceReply,
    Contribution,
    LeadPaperStatus,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    Minutes,
    Notification,
    NotificationKind,
    NotificationStatus,
    Organization,
    OrgKind,
    Position,
    Report,
    Topic,
    User,
)
from meetings.periods import current_quarter, quarter_bounds
from meetings.workflow import ON_CALENDAR, Stage

log = logging.getLogger(__name__)

K = NotificationKind
S = NotificationStatus

MEETING_KINDS = {K.NOTICE, K.MEETING_REMINDER, K.REPLY_REMINDER}
REMINDER_KINDS = {K.MEETING_REMINDER, K.REPLY_REMINDER}
ICS_KINDS = {K.NOTICE, K.MEETING_REMINDER, K.REPLY_REMINDER}
UNSENT = (S.PENDING, S.SENDING)

_DEFAULTS = {
    "MAX_ATTEMPTS": 5,
    "RETRY_BASE_SECONDS": 60.0,
    "RETRY_MAX_SECONDS": 3600.0,
    "CLAIM_TIMEOUT_SECONDS": 300,
    "BATCH_SIZE": 100,
    "SWEEP_LIMIT": 20000,
    "REPLY_REMINDER_DAYS": [3],
    "MORNING_HOUR": 7,
}


def conf(name: str):
    return getattr(settings, "NOTIFICATIONS", {}).get(name, _DEFAULTS[name])


_dispatch_paused: contextvars.ContextVar[bool] = contextvars.ContextVar("notifications_dispatch_paused", default=False)


@contextlib.contextmanager
def notifications_dispatch_paused():
    """Within the block rows are still written, but none is handed to the worker (e.g. demo
    history created with past dates). The rows stay pending, so the sweeper would still send
    them: the caller cancels them (`notifications_cancel_unsent`) or lets them go."""
    token = _dispatch_paused.set(True)
    try:
        yield
    finally:
        _dispatch_paused.reset(token)


def notifications_cancel_unsent(*, meeting_ids, reason: str, after_id: int = 0) -> int:
    """Cancel the pending rows of the given meetings (only rows with pk > after_id)."""
    return Notification.objects.filter(meeting_id__in=meeting_ids, status=S.PENDING, pk__gt=after_id).update(
        status=S.CANCELLED, claimed_at=None, next_attempt_at=None, last_error=reason[:2000]
    )


# --- helpers --------------------------------------------------------------------------------


def _stamp(value: datetime.datetime | None) -> str:
    """A compact UTC timestamp that identifies "the time this message was made for"."""
    if value is None:
        return ""
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%MZ")


def _morning(day: datetime.date) -> datetime.datetime:
    """Date-based reminders go out in the local morning of that day."""
    naive = datetime.datetime.combine(day, datetime.time(conf("MORNING_HOUR")))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


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
    for chunk in _chunks(keys, 500):
        existing.update(Notification.objects.filter(key__in=chunk).values_list("key", flat=True))
    Notification.objects.bulk_create(list(unique.values()), ignore_conflicts=True, batch_size=500)
    now = timezone.now()
    due_keys = [k for k, r in unique.items() if k not in existing and r.due_at <= now]
    ids = []
    for chunk in _chunks(due_keys, 500):
        ids.extend(Notification.objects.filter(key__in=chunk, status=S.PENDING).values_list("pk", flat=True))
    if ids and not _dispatch_paused.get():
        ids.sort()
        transaction.on_commit(lambda: enqueue(ids), robust=True)
    return len(keys) - len(existing)


def enqueue(ids: list[int]) -> bool:
    """Hand rows to the worker. A trigger only: if the broker is down the rows stay pending
    and the sweeper sends them. Returns False when publishing failed."""
    from kombu.exceptions import OperationalError

    from meetings import tasks

    if _dispatch_paused.get():
        return True  # deliberately not dispatched; the rows stay in the outbox
    for chunk in _chunks(list(ids), conf("BATCH_SIZE")):
        try:
            tasks.send_notifications.delay(chunk)
        except (OperationalError, OSError) as exc:
            log.warning("Broker unavailable, %d notifications left for the sweeper: %s", len(ids), exc)
            return False
    return True


def _expected_with_email(cell_id: int):
    return (
        Member.objects.filter(cell_id=cell_id)
        .expected()
        .exclude(email="")
        .only("pk", "full_name", "email", "user_id", "cell_id")
        .order_by("sort_key", "pk")
    )


def _load_meeting(meeting) -> Meeting:
    return Meeting.objects.select_related("cell", "cell__parent", "topic").get(pk=meeting.pk)


# --- hooks called by the workflow services ---------------------------------------------------


def _reminder_rows(meeting: Meeting, members: list[Member], now: datetime.datetime) -> list[Notification]:
    """Meeting and reply reminders for the meeting's current time; none for a past time."""
    if meeting.stage == Stage.CANCELLED or meeting.starts_at is None or meeting.starts_at <= now:
        return []
    stamp = _stamp(meeting.starts_at)
    replied = set(AttendanceReply.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    schedules = (
        (K.MEETING_REMINDER, settings.CHIBO["MEETING_REMINDER_DAYS"], set()),
        (K.REPLY_REMINDER, conf("REPLY_REMINDER_DAYS"), replied),  # only to those who have not replied
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
    stamp = _stamp(meeting.starts_at)
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


def notifications_for_notice(*, meeting, actor=None) -> int:
    """Meeting notice to every expected member with an e-mail address, plus the meeting
    reminders and the reply reminders for the meeting."""
    meeting = _load_meeting(meeting)
    now = timezone.now()
    members = list(_expected_with_email(meeting.cell_id))
    rows = _notice_rows(meeting, members, now) + _reminder_rows(meeting, members, now)
    return _store(rows)


def notifications_for_schedule_change(*, meeting) -> int:
    """The meeting moved or was cancelled: pending reminders follow it (re-timed or cancelled)."""
    meeting = _load_meeting(meeting)
    now = timezone.now()
    pending = Notification.objects.filter(meeting=meeting, status=S.PENDING, kind__in=list(MEETING_KINDS))
    was_noticed = Notification.objects.filter(meeting=meeting, kind=K.NOTICE).exclude(context__change="cancelled")
    was_noticed = was_noticed.exclude(context__change="postponed").exists()
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
        rows = _notice_rows(meeting, list(_expected_with_email(meeting.cell_id)), now, change=change)
        for r in rows:
            r.key = r.key.rsplit(":", 1)[0] + f":{change_key}"
        return _store(rows)
    stamp = _stamp(meeting.starts_at)
    pending.exclude(context__starts_at=stamp).update(
        status=S.CANCELLED, claimed_at=None, last_error="Lịch họp đã thay đổi; đã tạo thư theo lịch mới."
    )
    if meeting.stage != Stage.NOTICED and not was_noticed:
        return 0
    members = list(_expected_with_email(meeting.cell_id))
    rows = _notice_rows(meeting, members, now, change="moved") + _reminder_rows(meeting, members, now)
    return _store(rows)


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
            due = _morning(topic.lead_paper_due - datetime.timedelta(days=days))
            if due <= now:
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
            due = _morning(c.due_on - datetime.timedelta(days=days))
            if due <= now:
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
        ref = f"r{report.pk}" if report is not None else f"m{minutes.pk}"
        for email, name, user_id in _committee_recipients([committee_id]).get(committee_id, []):
            rows.append(
                _row(
                    key=f"report:{ref}:{email.lower()}",
                    kind=K.REPORT,
                    email=email,
                    name=name,
                    user_id=user_id,
                    cell_id=meeting.cell_id,
                    meeting_id=meeting.pk,
                    due_at=now,
                    context={
                        "minutes_id": minutes.pk,
                        "report_id": report.pk if report is not None else None,
                        "report_version": report.version if report is not None else 1,
                        "committee_id": committee_id,
                    },
                )
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
    for chunk in _chunks(list(by_committee), 2000):
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
    horizon_days = max([*settings.CHIBO["MEETING_REMINDER_DAYS"], *conf("REPLY_REMINDER_DAYS"), 0]) + 1
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


# --- sending ----------------------------------------------------------------------------------


def _site_url(name: str | None = None, *args) -> str:
    base = settings.SITE_URL.rstrip("/")
    if name:
        try:
            return base + reverse(name, args=args)
        except NoReverseMatch:
            pass
    return base + "/"


def _meeting_state(meeting_id: int) -> dict | None:
    return Meeting.objects.filter(pk=meeting_id).values("stage", "starts_at").first()


def _has_replied(meeting_id: int, member_id) -> bool:
    return AttendanceReply.objects.filter(meeting_id=meeting_id, member_id=member_id).exists()


def _obsolete_reason(
    n: Notification, now: datetime.datetime, meeting_state=_meeting_state, has_replied=_has_replied
) -> str:
    """Checked again at send time: never remind about an old time, a cancelled meeting,
    a time already past, or a deadline that no longer holds."""
    ctx = n.context or {}
    if n.kind in MEETING_KINDS and n.meeting_id:
        meeting = meeting_state(n.meeting_id)
        if meeting is None:
            return "Buổi sinh hoạt không còn."
        change = ctx.get("change", "")
        if change in ("cancelled", "postponed"):
            return ""
        if meeting["stage"] == Stage.CANCELLED:
            return "Buổi sinh hoạt đã hủy."
        if ctx.get("starts_at") and ctx["starts_at"] != _stamp(meeting["starts_at"]):
            return "Lịch họp đã thay đổi."
        if meeting["starts_at"] is None or meeting["starts_at"] <= now:
            return "Buổi sinh hoạt đã diễn ra."
        if n.kind in REMINDER_KINDS and meeting["stage"] not in (Stage.SCHEDULED, Stage.NOTICED):
            return "Buổi sinh hoạt không còn ở giai đoạn chờ họp."
        if n.kind == K.REPLY_REMINDER and has_replied(n.meeting_id, ctx.get("member_id")):
            return "Đảng viên đã trả lời tham dự."
    if n.kind == K.DEADLINE_REMINDER:
        due_on = ctx.get("due_on", "")
        if due_on < timezone.localdate(now).isoformat():
            return "Đã quá hạn nộp."
        if ctx.get("what") == "lead":
            ok = Topic.objects.filter(
                pk=ctx.get("topic_id"),
                lead_author_id=ctx.get("member_id"),
                lead_paper_due=due_on,
                lead_paper_status__in=[LeadPaperStatus.UNASSIGNED, LeadPaperStatus.ASSIGNED],
            ).exists()
        else:
            ok = Contribution.objects.filter(
                pk=ctx.get("contribution_id"), due_on=due_on, submitted_at__isnull=True
            ).exists()
        if not ok:
            return "Hạn nộp đã thay đổi hoặc đã nộp."
    return ""


def meeting_ics(meeting: Meeting, *, cancelled: bool = False) -> bytes:
    return calendar_documents.meeting_ics(meeting, url=_site_url("meeting_detail", meeting.pk), cancelled=cancelled)


class _Sender:
    """Sends claimed rows over one SMTP connection; caches per-batch attachments (a fan-out
    of 200 renders the topic PDF once, not 200 times)."""

    # Hook changes cancel rows before the claim; this send-time check is the second net,
    # so a meeting's state may be a few seconds old within one batch.
    STATE_TTL = 5.0

    # Kinds whose three parts depend only on (meeting, context without the member) plus the
    # recipient's name: rendered once per batch, the name substituted per message. Their
    # templates must use no other per-recipient value (a test compares both ways).
    RENDER_ONCE_KINDS = REMINDER_KINDS

    def __init__(self):
        self.connection = None
        self.cache: dict = {}
        self.states: dict[int, tuple[float, dict | None]] = {}
        self.replies: dict[int, tuple[float, set]] = {}
        self.renders: dict = {}
        self.name_mark = f"CHIBORECIPIENT{secrets.token_hex(8)}"
        self.templates: dict = {}

    def meeting_state(self, meeting_id: int) -> dict | None:
        hit = self.states.get(meeting_id)
        if hit is None or time.monotonic() - hit[0] > self.STATE_TTL:
            hit = (time.monotonic(), _meeting_state(meeting_id))
            self.states[meeting_id] = hit
        return hit[1]

    def has_replied(self, meeting_id: int, member_id) -> bool:
        """One query per meeting (per STATE_TTL) instead of one per reply reminder."""
        hit = self.replies.get(meeting_id)
        if hit is None or time.monotonic() - hit[0] > self.STATE_TTL:
            replied = set(AttendanceReply.objects.filter(meeting_id=meeting_id).values_list("member_id", flat=True))
            hit = (time.monotonic(), replied)
            self.replies[meeting_id] = hit
        return member_id in hit[1]

    def _assignments(self, topic_id: int, member_id) -> list[dict]:
        """A notice's assignments: the topic's contributions fetched once per batch."""
        by_member = self.cache.get(("assignments", topic_id))
        if by_member is None:
            by_member = defaultdict(list)
            for row in Contribution.objects.filter(topic_id=topic_id).values("member_id", "subject", "due_on"):
                by_member[row.pop("member_id")].append(row)
            self.cache[("assignments", topic_id)] = by_member
        return list(by_member.get(member_id, []))

    def _url(self, name: str | None = None, *args) -> str:
        key = ("url", name, *args)
        url = self.cache.get(key)
        if url is None:
            url = self.cache[key] = _site_url(name, *args)
        return url

    @staticmethod
    def _render_key(n: Notification) -> tuple:
        ctx = {k: v for k, v in (n.context or {}).items() if k != "member_id"}
        return (n.kind, n.meeting_id, n.cell_id, json.dumps(ctx, sort_keys=True, default=str))

    def raw(self, n: Notification) -> bytes | None:
        """The message as sent over SMTP, from this batch's serialised template of its
        (kind, meeting, context), or None when it must be built on its own."""
        if n.kind not in self.RENDER_ONCE_KINDS:
            return None
        key = self._render_key(n)
        if key not in self.templates:
            self.templates[key] = _Template.build(self, n)
        template = self.templates[key]
        return template.fill(n) if template is not None else None

    def _render(self, n: Notification, context: dict) -> tuple[str, str, str]:
        """Subject (raw), text and HTML of a message."""
        kind = n.kind
        if kind not in self.RENDER_ONCE_KINDS:
            return (
                render_to_string(f"emails/{kind}.subject.txt", context),
                render_to_string(f"emails/{kind}.txt", context),
                render_to_string(f"emails/{kind}.html", context),
            )
        key = self._render_key(n)
        parts = self.renders.get(key)
        if parts is None:
            marked = {**context, "recipient_name": self.name_mark}
            parts = self.renders[key] = (
                render_to_string(f"emails/{kind}.subject.txt", marked),
                render_to_string(f"emails/{kind}.txt", marked),
                render_to_string(f"emails/{kind}.html", marked),
            )
        name = n.recipient_name or ""
        subject, text, html = parts
        return (
            subject.replace(self.name_mark, name),
            text.replace(self.name_mark, name),
            html.replace(self.name_mark, str(conditional_escape(name))),
        )

    def smtp(self) -> smtplib.SMTP | None:
        """The open SMTP connection when mail goes out over SMTP (not console or locmem)."""
        smtp = getattr(self._conn(), "connection", None)
        return smtp if isinstance(smtp, smtplib.SMTP) else None

    def _deliver_raw(self, data: bytes, email: str) -> None:
        sender = self.cache.get(("from", settings.DEFAULT_FROM_EMAIL))
        if sender is None:
            sender = self.cache[("from", settings.DEFAULT_FROM_EMAIL)] = sanitize_address(
                settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET
            )
        self.smtp().sendmail(sender, [email], data)

    def _deliver(self, msg: EmailMultiAlternatives, envelope: list[str] | None = None) -> None:
        """`envelope`: the recipients' bare addresses; plain ASCII ones are what sanitising
        `Name <address>` would reduce to in RCPT TO, so they skip that work."""
        connection = self._conn()
        smtp = getattr(connection, "connection", None)
        if isinstance(smtp, smtplib.SMTP):
            # What Django's SMTP backend does per message, without re-checking the
            # connection and re-sanitising for every one of a batch's messages.
            encoding = msg.encoding or settings.DEFAULT_CHARSET
            sender = self.cache.get(("from", msg.from_email))
            if sender is None:
                sender = self.cache[("from", msg.from_email)] = sanitize_address(msg.from_email, encoding)
            if envelope and all(_PLAIN_ADDRESS.match(a) for a in envelope):
                rcpts = envelope
            else:
                rcpts = [sanitize_address(a, encoding) for a in msg.recipients()]
            smtp.sendmail(sender, rcpts, _as_bytes(msg))
        else:
            connection.send_messages([msg])

    def _conn(self):
        if self.connection is None:
            connection = get_connection(fail_silently=False)
            # Opened here, send_messages() keeps it open for the whole batch.
            connection.open()
            self.connection = connection
        return self.connection

    def _reset(self):
        if self.connection is not None:
            with contextlib.suppress(Exception):  # a broken connection is simply dropped
                self.connection.close()
            self.connection = None

    def close(self):
        self._reset()

    def _cached(self, key, build):
        if key not in self.cache:
            try:
                self.cache[key] = build()
            except Exception:  # a missing or failing document degrades to a link
                log.exception("Attachment %s unavailable", key)
                self.cache[key] = None
        return self.cache[key]

    def _minutes(self, minutes_id):
        return self._cached(
            ("minutes", minutes_id),
            lambda: Minutes.objects.select_related("meeting", "meeting__topic", "cell").filter(pk=minutes_id).first(),
        )

    def _file_bytes(self, field):
        if not field:
            return None
        with field.open("rb") as fh:
            return fh.read()

    def _topic_pdf(self, topic):
        def build():
            try:
                from meetings.documents.topics import render_topic_pdf
            except ImportError:
                return None
            return render_topic_pdf(topic)

        return self._cached(("topic_pdf", topic.pk), build)

    def build(self, n: Notification) -> EmailMultiAlternatives:
        ctx = n.context or {}
        meeting = n.meeting
        topic = meeting.topic if meeting is not None and meeting.topic_id else None
        minutes = self._minutes(ctx["minutes_id"]) if ctx.get("minutes_id") else None
        report = None
        if ctx.get("report_id"):
            report = self._cached(
                ("report", ctx["report_id"]), lambda: Report.objects.filter(pk=ctx["report_id"]).first()
            )
        deadline_topic = None
        contribution = None
        if n.kind == K.DEADLINE_REMINDER:
            deadline_topic = self._cached(
                ("topic", ctx.get("topic_id")),
                lambda: Topic.objects.select_related("cell").filter(pk=ctx.get("topic_id")).first(),
            )
            if ctx.get("contribution_id"):
                contribution = Contribution.objects.filter(pk=ctx["contribution_id"]).first()
        assignments = []
        if n.kind == K.NOTICE and topic is not None and ctx.get("member_id"):
            assignments = self._assignments(topic.pk, ctx["member_id"])
        attachments: list[tuple[str, bytes, str]] = []
        if n.kind in ICS_KINDS and meeting is not None and meeting.starts_at is not None:
            cancelled = ctx.get("change") in ("cancelled", "postponed")
            ics = self._cached(("ics", meeting.pk, cancelled), lambda: meeting_ics(meeting, cancelled=cancelled))
            if ics:
                attachments.append(("sinh-hoat-chuyen-de.ics", ics, "text/calendar"))
        lead_attached = False
        if n.kind == K.NOTICE and topic is not None and ctx.get("change") not in ("cancelled", "postponed"):
            if topic.lead_paper_file:
                data = self._cached(("lead_file", topic.pk), lambda: self._file_bytes(topic.lead_paper_file))
                name = topic.lead_paper_file.name.rsplit("/", 1)[-1]
            elif topic.lead_paper_text:
                data, name = self._topic_pdf(topic), f"de-dan-chuyen-de-{topic.pk}.pdf"
            else:
                data = None
            if data:
                attachments.append((name, data, None))
                lead_attached = True
        minutes_attached = topic_attached = False
        if n.kind in (K.STUDY, K.REPORT) and minutes is not None:
            if minutes.pdf:
                data = self._cached(("minutes_pdf", minutes.pk), lambda: self._file_bytes(minutes.pdf))
                if data:
                    attachments.append((f"bien-ban-{minutes.number:02d}-{minutes.year}.pdf", data, "application/pdf"))
                    minutes_attached = True
            if minutes.meeting.topic_id:
                data = self._topic_pdf(minutes.meeting.topic)
                if data:
                    attachments.append((f"chuyen-de-{minutes.meeting.topic_id}.pdf", data, "application/pdf"))
                    topic_attached = True
        context = {
            "n": n,
            "c": ctx,
            "recipient_name": n.recipient_name,
            "meeting": meeting,
            "topic": topic or deadline_topic,
            "cell": n.cell,
            "minutes": minutes,
            "report": report,
            "contribution": contribution,
            "assignments": assignments,
            "starts_at": timezone.localtime(meeting.starts_at) if meeting is not None and meeting.starts_at else None,
            "due_on": datetime.date.fromisoformat(ctx["due_on"]) if ctx.get("due_on") else None,
            "quarter_end": datetime.date.fromisoformat(ctx["end"]) if ctx.get("end") else None,
            "lead_attached": lead_attached,
            "minutes_attached": minutes_attached,
            "topic_attached": topic_attached,
            "site_url": self._url(),
            "meeting_url": self._url("meeting_detail", meeting.pk) if meeting is not None else self._url(),
            "minutes_url": self._url("minutes_pdf", minutes.pk) if minutes is not None else self._url(),
            "report_url": self._url("report_detail", report.pk) if report is not None else self._url("report_inbox"),
            "topic_url": self._url("topic_detail", ctx["topic_id"]) if ctx.get("topic_id") else self._url(),
        }
        subject, text, html = self._render(n, context)
        subject = " ".join(subject.split())
        digest = hashlib.sha256(n.key.encode()).hexdigest()[:32]
        msg = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[_address(n.recipient_name, n.recipient_email)],
            # A stable Message-ID lets a receiving server recognise a redelivered message.
            headers={"Message-ID": f"<{digest}@chibo>", "X-Chibo-Key": n.key},
        )
        msg.attach_alternative(html, "text/html")
        for name, data, mimetype in attachments:
            msg.attach(name, data, mimetype)
        return msg

    def send(self, n: Notification, claimed_at: datetime.datetime) -> str:
        """Send one row this sender has claimed (status sending, claimed_at = its token)."""
        now = timezone.now()
        mine = Notification.objects.filter(pk=n.pk, status=S.SENDING, claimed_at=claimed_at)
        reason = _obsolete_reason(n, now, self.meeting_state, self.has_replied)
        if reason:
            mine.update(status=S.CANCELLED, claimed_at=None, last_error=reason)
            return S.CANCELLED
        try:
            # Over SMTP, a reminder is this batch's serialised template with the recipient
            # filled in (same bytes as building it, tested); otherwise the message is built.
            data = self.raw(n) if _PLAIN_ADDRESS.match(n.recipient_email) and self.smtp() else None
            msg = self.build(n) if data is None else None
        except (smtplib.SMTPException, OSError) as exc:  # connecting to the server
            self._reset()
            return _mark_retry(mine, n, exc)
        except Exception as exc:  # a bug or bad data: no point retrying the same render
            log.exception("Cannot build notification %s", n.pk)
            mine.update(status=S.FAILED, claimed_at=None, last_error=f"Lỗi soạn thư: {exc}"[:2000])
            return S.FAILED
        try:
            if data is not None:
                self._deliver_raw(data, n.recipient_email)
            else:
                self._deliver(msg, [n.recipient_email])
        except (smtplib.SMTPException, OSError) as exc:
            self._reset()
            return _mark_retry(mine, n, exc)
        # Marked right after the server's 250, one row at a time: a worker killed mid-batch
        # leaves no delivered row looking unsent (which the sweeper would send again).
        _mark_sent(mine, n.pk, claimed_at)
        return S.SENT


class _Template:
    """A reminder serialised once per batch with marks where its recipient goes: the To,
    Date, Message-ID and X-Chibo-Key header lines, and the name in the (8bit) text and HTML
    parts. Serialising Django's MIME tree was the largest per-message cost left. Anything
    the marks cannot reproduce exactly gives no template (the message is built instead)."""

    LINE_LIMIT = 998  # beyond it Django switches the part to quoted-printable

    def __init__(self, data: bytes, marks: dict, name_lines: list[tuple[int, int, int]]):
        self.data, self.marks, self.name_lines = data, marks, name_lines

    @classmethod
    def build(cls, sender: _Sender, n: Notification) -> _Template | None:
        name_mark = sender.name_mark
        email_mark = f"r{secrets.token_hex(6)}@chibo.invalid"  # short: the To line stays unfolded
        key_mark = f"chibokey{secrets.token_hex(8)}"
        probe = Notification(
            pk=n.pk,
            kind=n.kind,
            key=key_mark,
            recipient_email=email_mark,
            recipient_name=name_mark,
            meeting=n.meeting,
            cell=n.cell,
            context=n.context,
            due_at=n.due_at,
        )
        msg = sender.build(probe)
        data = _as_bytes(msg)
        subject, text = msg.subject, msg.body
        html = msg.alternatives[0][0] if msg.alternatives else ""
        if name_mark in subject:
            return None
        marks = {
            "to": _header_line(data, b"To"),
            "date": _header_line(data, b"Date"),
            "message_id": hashlib.sha256(key_mark.encode()).hexdigest()[:32].encode(),
            "key": key_mark.encode(),
            "name": name_mark.encode(),
        }
        if marks["to"] is None or marks["date"] is None:
            return None
        # Each mark must appear in the bytes as often as in the parts, i.e. the parts are 8bit.
        if data.count(marks["name"]) != text.count(name_mark) + html.count(name_mark) + 1:  # + the To line
            return None
        name_lines = []
        for part, escaped in ((text, 0), (html, 1)):
            for line in part.splitlines():
                if name_mark in line:
                    count = line.count(name_mark)
                    name_lines.append((len(line.encode()) - count * len(name_mark), count, escaped))
        return cls(data, marks, name_lines)

    def fill(self, n: Notification) -> bytes | None:
        name, key = n.recipient_name or "", n.key
        if any(c in name for c in "\r\n") or not key.isascii() or len("X-Chibo-Key: ") + len(key) > 78:
            return None
        raw_name, html_name = name.encode(), str(conditional_escape(name)).encode()
        for length, count, escaped in self.name_lines:
            if length + count * len(html_name if escaped else raw_name) > self.LINE_LIMIT:
                return None
        to_value = forbid_multi_line_headers("To", _address(name, n.recipient_email), settings.DEFAULT_CHARSET)[1]
        date_value = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        marks = self.marks
        data = self.data.replace(marks["to"], _SMTP_POLICY.fold_binary("To", to_value), 1)
        data = data.replace(marks["date"], _SMTP_POLICY.fold_binary("Date", date_value), 1)
        data = data.replace(marks["message_id"], hashlib.sha256(key.encode()).hexdigest()[:32].encode(), 1)
        data = data.replace(marks["key"], key.encode(), 1)
        if self.name_lines:
            head, sep, body = data.partition(b"\r\n\r\n")
            body = _replace_name(body, marks["name"], raw_name, html_name)
            data = head + sep + body
        return data


def _header_line(data: bytes, name: bytes) -> bytes | None:
    """The whole `Name: value\r\n` line of a top-level header (one line, no folding)."""
    head = data.partition(b"\r\n\r\n")[0] + b"\r\n"
    start = head.find(b"\r\n" + name + b": ")
    start = start + 2 if start >= 0 else (0 if head.startswith(name + b": ") else -1)
    if start < 0:
        return None
    end = head.index(b"\r\n", start) + 2
    if head[end : end + 1] in (b" ", b"\t"):
        return None  # folded
    return head[start:end]


def _replace_name(body: bytes, mark: bytes, raw_name: bytes, html_name: bytes) -> bytes:
    """The text part takes the name as is, the HTML part escaped."""
    if raw_name == html_name:
        return body.replace(mark, raw_name)
    start = body.find(b"Content-Type: text/html")
    if start < 0:
        return body.replace(mark, raw_name)
    return body[:start].replace(mark, raw_name) + body[start:].replace(mark, html_name)


class _Boundaries(BytesGenerator):
    """The standard generator, minus its per-message regex compile: it picks a random
    boundary and compiles a new pattern to check the body against it (a third of the MIME
    cost). A plain substring test is stricter and needs no regex."""

    @classmethod
    def _make_boundary(cls, text=None):
        while True:
            boundary = "=" * 15 + f"{secrets.randbits(63):019d}" + "=="
            if text is None or ("--" + boundary).encode() not in text:
                return boundary


class _Compat32(Compat32):
    """The policy Django's messages use, with a shortcut for the common header that needs
    no work: compat32 wraps every header in a `Header` and re-encodes it (half the cost of
    serialising a message); a short ASCII single-line value comes out unchanged anyway."""

    def _fold(self, name, value, sanitize):
        if (
            isinstance(value, str)
            and value.isascii()
            and "\n" not in value
            and "\r" not in value
            and value == value.strip()
            and "  " not in value
            and len(name) + 2 + len(value) <= (self.max_line_length or 78)
        ):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


_SMTP_POLICY = _Compat32(linesep="\r\n")


def _as_bytes(msg: EmailMultiAlternatives) -> bytes:
    """What `msg.message().as_bytes(linesep="\r\n")` gives, faster."""
    out = BytesIO()
    _Boundaries(out, mangle_from_=False, policy=_SMTP_POLICY).flatten(msg.message(), linesep="\r\n")
    return out.getvalue()


def _address(name: str, email: str) -> str:
    if not name:
        return email
    try:
        return str(Address(display_name=name, addr_spec=email))
    except (ValueError, IndexError):
        return email


_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\Z")


def _mark_sent(mine, pk: int, claimed_at: datetime.datetime) -> None:
    """`mine.update(status=sent, …)` as one plain statement: compiling the ORM query was
    a sixth of the per-message cost."""
    now = timezone.now()
    if connection.vendor not in ("postgresql", "sqlite"):
        mine.update(status=S.SENT, sent_at=now, claimed_at=None, last_error="", next_attempt_at=None)
        return
    table = connection.ops.quote_name(Notification._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    # Only the quoted table name is interpolated.
    sql = (
        f"UPDATE {table} SET status = %s, sent_at = %s, claimed_at = NULL, last_error = '', "  # noqa: S608
        "next_attempt_at = NULL WHERE id = %s AND status = %s AND claimed_at = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [S.SENT, adapt(now), pk, S.SENDING, adapt(claimed_at)])


def _mark_retry(mine, n: Notification, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if n.attempts >= conf("MAX_ATTEMPTS"):
        mine.update(status=S.FAILED, claimed_at=None, last_error=error)
        return S.FAILED
    delay = min(conf("RETRY_BASE_SECONDS") * 2 ** (n.attempts - 1), conf("RETRY_MAX_SECONDS"))
    delay *= random.uniform(0.5, 1.5)  # noqa: S311 - jitter, not security
    next_at = timezone.now() + datetime.timedelta(seconds=delay)
    mine.update(status=S.PENDING, claimed_at=None, last_error=error, next_attempt_at=next_at)
    return S.PENDING


def _due_q(now) -> Q:
    return Q(status=S.PENDING, due_at__lte=now) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def _claim(ids: list[int], now: datetime.datetime) -> dict[int, int]:
    """Claim every due row of `ids` (pending → sending, claimed_at = now) in one conditional
    UPDATE; returns {id: attempts} of the rows this call claimed. Rows another worker
    claimed first do not match the WHERE, so two workers never get the same row."""
    if not ids:
        return {}
    if connection.vendor not in ("postgresql", "sqlite"):  # no UPDATE … RETURNING: row by row
        claimed = {}
        for pk in ids:
            if Notification.objects.filter(_due_q(now), pk=pk).update(
                status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1
            ):
                claimed[pk] = Notification.objects.values_list("attempts", flat=True).get(pk=pk)
        return claimed
    table = connection.ops.quote_name(Notification._meta.db_table)
    stamp = connection.ops.adapt_datetimefield_value(now)
    marks = ", ".join(["%s"] * len(ids))
    # Only the quoted table name and the placeholders are interpolated.
    sql = (
        f"UPDATE {table} SET status = %s, claimed_at = %s, attempts = attempts + 1 "  # noqa: S608
        f"WHERE id IN ({marks}) AND status = %s AND due_at <= %s "
        "AND (next_attempt_at IS NULL OR next_attempt_at <= %s) RETURNING id, attempts"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [S.SENDING, stamp, *ids, S.PENDING, stamp, stamp])
        return dict(cursor.fetchall())


def _extend_claim(ids: list[int], old: datetime.datetime, new: datetime.datetime) -> set[int]:
    """Renew this batch's claim on the rows it has not sent yet, before the sweeper would
    consider them abandoned; returns the rows still ours."""
    Notification.objects.filter(pk__in=ids, status=S.SENDING, claimed_at=old).update(claimed_at=new)
    return set(Notification.objects.filter(pk__in=ids, status=S.SENDING, claimed_at=new).values_list("pk", flat=True))


@contextlib.contextmanager
def _async_commit():
    """PostgreSQL: the claim and the per-message "sent" marks are committed without waiting
    for the WAL flush (a disk sync per message otherwise). A killed worker loses nothing;
    only a database server crash could lose the last fraction of a second of marks, and
    those messages would be sent again with the same Message-ID."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with contextlib.suppress(Exception), connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def notifications_send_batch(*, ids: list[int]) -> dict[str, int]:
    """Send the given rows that are due, over one SMTP connection. Safe to call twice with
    the same ids, from any number of workers."""
    counts: dict[str, int] = defaultdict(int)
    ids = sorted(set(ids))
    if not ids:
        return {}
    sender = _Sender()
    left: set[int] = set()
    with _async_commit():
        claimed_at = timezone.now()
        claimed = _claim(ids, claimed_at)
        if not claimed:
            return {"skipped": len(ids)}
        left = set(claimed)
        rows = list(
            Notification.objects.filter(pk__in=list(claimed), status=S.SENDING, claimed_at=claimed_at)
            .select_related("meeting", "meeting__topic", "meeting__cell", "cell")
            .order_by("pk")
        )
        renew_after = conf("CLAIM_TIMEOUT_SECONDS") / 2
        started = time.monotonic()
        try:
            for n in rows:
                if n.pk not in left:
                    counts["skipped"] += 1
                    continue
                if time.monotonic() - started > renew_after:
                    # A slow server: keep the claim alive so the sweeper does not hand the
                    # rows still waiting here to another worker.
                    renewed_at = timezone.now()
                    left = _extend_claim(sorted(left), claimed_at, renewed_at)
                    claimed_at, started = renewed_at, time.monotonic()
                    if n.pk not in left:
                        counts["skipped"] += 1
                        continue
                n.attempts = claimed[n.pk]
                counts[sender.send(n, claimed_at)] += 1
                left.discard(n.pk)
        finally:
            sender.close()
            if left:  # an unexpected error: hand the unsent rows back right away
                Notification.objects.filter(pk__in=list(left), status=S.SENDING, claimed_at=claimed_at).update(
                    status=S.PENDING, claimed_at=None, attempts=F("attempts") - 1
                )
    skipped = len(ids) - len(claimed)
    if skipped:
        counts["skipped"] += skipped
    return dict(counts)


def notifications_send_due(*, now: datetime.datetime | None = None, enqueue_tasks: bool = True) -> int:
    """The sweeper: release stale claims (a worker died mid-send), then send every due,
    unsent row — through the queue in batches, or inline when the broker is unreachable."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=conf("CLAIM_TIMEOUT_SECONDS"))
    Notification.objects.filter(status=S.SENDING, claimed_at__lt=stale).update(status=S.PENDING, claimed_at=None)
    ids = list(
        Notification.objects.filter(_due_q(now))
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[: conf("SWEEP_LIMIT")]
    )
    if not ids:
        return 0
    if enqueue_tasks and enqueue(ids):
        return len(ids)
    for chunk in _chunks(ids, conf("BATCH_SIZE")):
        notifications_send_batch(ids=chunk)
    return len(ids)


def notification_resend(*, notification: Notification, actor) -> Notification:
    """The secretary sends a failed message again: a fresh set of attempts, now."""
    from meetings.services.activity import activity_record

    with transaction.atomic():
        n = Notification.objects.select_for_update().get(pk=notification.pk)
        if n.status != S.FAILED:
            raise ValidationError("Chỉ gửi lại được thư đang ở tình trạng “Gửi lỗi”.")
        now = timezone.now()
        n.status = S.PENDING
        n.attempts = 0
        n.next_attempt_at = None
        n.claimed_at = None
        n.due_at = min(n.due_at, now)
        n.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_at", "due_at"])
        if n.cell_id:
            activity_record(
                cell=n.cell,
                actor=actor,
                meeting=n.meeting,
                action=f"Gửi lại thư “{n.get_kind_display()}” tới {n.recipient_email}",
            )
        transaction.on_commit(lambda: enqueue([n.pk]), robust=True)
    return n
