"""Sending the outbox. A batch claims its due rows at once (pending → sending), sends each
over one connection of Django's mail backend and marks it sent right after the server
accepted it; a failure is retried later with exponential backoff. The periodic sweeper
(`notifications_send_due`) releases the claims of a dead worker and sends every due row, so
nothing is lost while Redis or the worker is down."""

from __future__ import annotations

import contextlib
import datetime
import logging
import random
import smtplib
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from meetings.models import AttendanceReply, Contribution, LeadPaperStatus, Meeting, Notification, Topic
from meetings.services.activity import activity_record
from meetings.services.notifications.outbox import MEETING_KINDS, REMINDER_KINDS, K, S, chunks, enqueue, utc_stamp
from meetings.services.notifications.rendering import MessageBuilder
from meetings.workflow import Stage

log = logging.getLogger(__name__)


# --- send-time checks ---------------------------------------------------------------------------


class SendTimeState:
    """The meetings' state and replies as the send-time check needs them, one query per
    meeting per batch. Hook changes cancel rows before the claim; this check is the second
    net, so the state may be a few seconds old within one batch."""

    TTL = 5.0

    def __init__(self):
        self._meetings: dict[int, tuple[float, dict | None]] = {}
        self._replies: dict[int, tuple[float, set]] = {}

    def meeting(self, meeting_id: int) -> dict | None:
        hit = self._meetings.get(meeting_id)
        if hit is None or time.monotonic() - hit[0] > self.TTL:
            state = Meeting.objects.filter(pk=meeting_id).values("stage", "starts_at").first()
            hit = self._meetings[meeting_id] = (time.monotonic(), state)
        return hit[1]

    def has_replied(self, meeting_id: int, member_id) -> bool:
        hit = self._replies.get(meeting_id)
        if hit is None or time.monotonic() - hit[0] > self.TTL:
            replied = set(AttendanceReply.objects.filter(meeting_id=meeting_id).values_list("member_id", flat=True))
            hit = self._replies[meeting_id] = (time.monotonic(), replied)
        return member_id in hit[1]


def obsolete_reason(n: Notification, now: datetime.datetime, state: SendTimeState) -> str:
    """Never remind about an old time, a cancelled meeting, a time already past, or a
    deadline that no longer holds. Empty when the message still applies."""
    ctx = n.context or {}
    if n.kind in MEETING_KINDS and n.meeting_id:
        meeting = state.meeting(n.meeting_id)
        if meeting is None:
            return "Buổi sinh hoạt không còn."
        if ctx.get("change", "") in ("cancelled", "postponed"):
            return ""
        if meeting["stage"] == Stage.CANCELLED:
            return "Buổi sinh hoạt đã hủy."
        if ctx.get("starts_at") and ctx["starts_at"] != utc_stamp(meeting["starts_at"]):
            return "Lịch họp đã thay đổi."
        if meeting["starts_at"] is None or meeting["starts_at"] <= now:
            return "Buổi sinh hoạt đã diễn ra."
        if n.kind in REMINDER_KINDS and meeting["stage"] not in (Stage.SCHEDULED, Stage.NOTICED):
            return "Buổi sinh hoạt không còn ở giai đoạn chờ họp."
        if n.kind == K.REPLY_REMINDER and state.has_replied(n.meeting_id, ctx.get("member_id")):
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


# --- claims and marks ---------------------------------------------------------------------------


def _due_q(now) -> Q:
    return Q(status=S.PENDING, due_at__lte=now) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def _claim(ids: list[int], now: datetime.datetime) -> dict[int, int]:
    """Claim the due rows of `ids` (pending → sending, claimed_at = now); returns {id:
    attempts} of the rows this call claimed. The rows are locked while claimed, and rows
    another worker holds are skipped, so two workers never get the same row."""
    with transaction.atomic():
        due = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(_due_q(now), pk__in=ids)
            .values_list("pk", "attempts")
        )
        claimed = {pk: attempts + 1 for pk, attempts in due}
        Notification.objects.filter(pk__in=list(claimed)).update(
            status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return claimed


def _extend_claim(ids: list[int], old: datetime.datetime, new: datetime.datetime) -> set[int]:
    """Renew this batch's claim on the rows it has not sent yet, before the sweeper would
    consider them abandoned; returns the rows still ours."""
    Notification.objects.filter(pk__in=ids, status=S.SENDING, claimed_at=old).update(claimed_at=new)
    return set(Notification.objects.filter(pk__in=ids, status=S.SENDING, claimed_at=new).values_list("pk", flat=True))


def _mark_retry(mine, n: Notification, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    conf = settings.NOTIFICATIONS
    if n.attempts >= conf["MAX_ATTEMPTS"]:
        mine.update(status=S.FAILED, claimed_at=None, last_error=error)
        return S.FAILED
    delay = min(conf["RETRY_BASE_SECONDS"] * 2 ** (n.attempts - 1), conf["RETRY_MAX_SECONDS"])
    delay *= random.uniform(0.5, 1.5)  # noqa: S311 - jitter, not security
    next_at = timezone.now() + datetime.timedelta(seconds=delay)
    mine.update(status=S.PENDING, claimed_at=None, last_error=error, next_attempt_at=next_at)
    return S.PENDING


# --- sending ------------------------------------------------------------------------------------


class _Mailer:
    """One connection of the configured mail backend for the whole batch, opened on first
    use; after an error it is dropped and the next message opens a fresh one."""

    def __init__(self, backend: str | None = None):
        self._backend = backend
        self._connection = None

    def send(self, msg) -> None:
        if self._connection is None:
            connection = get_connection(self._backend, fail_silently=False)
            connection.open()  # opened here, send_messages() leaves it open
            self._connection = connection
        self._connection.send_messages([msg])

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # a broken connection is simply dropped
                self._connection.close()
            self._connection = None


def _send_one(n: Notification, claimed_at, *, builder: MessageBuilder, mailer: _Mailer, state: SendTimeState) -> str:
    """Send one row this batch has claimed (status sending, claimed_at = its token)."""
    mine = Notification.objects.filter(pk=n.pk, status=S.SENDING, claimed_at=claimed_at)
    reason = obsolete_reason(n, timezone.now(), state)
    if reason:
        mine.update(status=S.CANCELLED, claimed_at=None, last_error=reason)
        return S.CANCELLED
    try:
        msg = builder.build(n)
    except OSError as exc:  # reading a stored file: may work next time
        return _mark_retry(mine, n, exc)
    except SoftTimeLimitExceeded:
        raise  # the task ran out of time, the data is fine: the batch hands the row back
    except Exception as exc:  # a bug or bad data: no point retrying the same render
        log.exception("Cannot build notification %s", n.pk)
        mine.update(status=S.FAILED, claimed_at=None, last_error=f"Lỗi soạn thư: {exc}"[:2000])
        return S.FAILED
    try:
        mailer.send(msg)
    except (smtplib.SMTPException, OSError) as exc:
        mailer.close()
        return _mark_retry(mine, n, exc)
    # Marked right after the server's 250, one row at a time: a worker killed mid-batch
    # leaves no delivered row looking unsent (which the sweeper would send again).
    mine.update(status=S.SENT, sent_at=timezone.now(), claimed_at=None, last_error="", next_attempt_at=None)
    return S.SENT


def notifications_send_batch(*, ids: list[int], backend: str | None = None) -> dict[str, int]:
    """Send the given rows that are due, over one mail connection. Safe to call twice with
    the same ids, from any number of workers. `backend`: a mail backend's dotted path other
    than settings.EMAIL_BACKEND (the demo history delivers into memory)."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    claimed_at = timezone.now()
    claimed = _claim(ids, claimed_at)
    if not claimed:
        return {"skipped": len(ids)}
    counts = {"skipped": len(ids) - len(claimed)}
    rows = (
        Notification.objects.filter(pk__in=list(claimed), status=S.SENDING, claimed_at=claimed_at)
        .select_related("meeting", "meeting__topic", "meeting__cell", "cell")
        .order_by("pk")
    )
    builder, mailer, state = MessageBuilder(), _Mailer(backend), SendTimeState()
    left = set(claimed)
    renew_after = settings.NOTIFICATIONS["CLAIM_TIMEOUT_SECONDS"] / 2
    started = time.monotonic()
    try:
        for n in rows:
            if time.monotonic() - started > renew_after:
                # A slow server: keep the claim alive so the sweeper does not hand the rows
                # still waiting here to another worker.
                renewed_at = timezone.now()
                left = _extend_claim(sorted(left), claimed_at, renewed_at)
                claimed_at, started = renewed_at, time.monotonic()
            if n.pk not in left:
                counts["skipped"] += 1
                continue
            n.attempts = claimed[n.pk]
            status = _send_one(n, claimed_at, builder=builder, mailer=mailer, state=state)
            counts[status] = counts.get(status, 0) + 1
            left.discard(n.pk)
    finally:
        mailer.close()
        if left:  # an unexpected error: hand the unsent rows back right away
            Notification.objects.filter(pk__in=list(left), status=S.SENDING, claimed_at=claimed_at).update(
                status=S.PENDING, claimed_at=None, attempts=F("attempts") - 1
            )
    return {k: v for k, v in counts.items() if v}


def notifications_send_due(*, now: datetime.datetime | None = None, enqueue_tasks: bool = True) -> int:
    """The sweeper: release stale claims (a worker died mid-send), then send every due,
    unsent row — through the queue in batches, or inline when the broker is unreachable."""
    now = now or timezone.now()
    conf = settings.NOTIFICATIONS
    stale = now - datetime.timedelta(seconds=conf["CLAIM_TIMEOUT_SECONDS"])
    Notification.objects.filter(status=S.SENDING, claimed_at__lt=stale).update(status=S.PENDING, claimed_at=None)
    ids = list(
        Notification.objects.filter(_due_q(now))
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[: conf["SWEEP_LIMIT"]]
    )
    if not ids:
        return 0
    if enqueue_tasks and enqueue(ids):
        return len(ids)
    for chunk in chunks(ids, conf["BATCH_SIZE"]):
        notifications_send_batch(ids=chunk)
    return len(ids)


def notification_resend(*, notification: Notification, actor) -> Notification:
    """The secretary sends a failed message again: a fresh set of attempts, now."""
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
