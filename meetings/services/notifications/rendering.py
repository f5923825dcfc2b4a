"""Building the e-mail for one outbox row: its context, its three templates (subject, text,
HTML) and its attachments. A MessageBuilder serves one batch and keeps what is expensive and
the same for many rows (documents, .ics files, look-ups), so a fan-out to 200 members renders
the topic PDF once, not 200 times. Reminders, which differ between recipients only by the
name, are rendered once per meeting and kind in a batch."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
import secrets
from collections import defaultdict
from email.headerregistry import Address
from pathlib import Path
from urllib.parse import urlencode

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import conditional_escape

from meetings.documents import calendar as calendar_documents
from meetings.models import Contribution, Meeting, Minutes, MinutesAddendum, Notification, Organization, Report, Topic
from meetings.selectors.signatures import minutes_served_file
from meetings.services.notifications.outbox import ICS_KINDS, REMINDER_KINDS, K

log = logging.getLogger(__name__)

# A cancelled or postponed meeting's notice carries a cancelling .ics and no documents.
WITHDRAWN = ("cancelled", "postponed")

# Messages addressed to a committee, not to a person: “Kính gửi: Ban Thường vụ Đảng ủy …”
# (DOMAIN.md §9), whichever of its addresses receives the copy.
COMMITTEE_KINDS = {K.REPORT, K.QUARTER_SUMMARY}
# Messages of the automatic quarter watch: neither the cell nor the committee wrote them.
SYSTEM_KINDS = {K.QUARTER_WARNING, K.QUARTER_SUMMARY}
SYSTEM_SENDER = "Hệ thống quản lý sinh hoạt chuyên đề chibo"
# Marks a link to the member's meeting page as opened from an e-mail (materials receipts).
FROM_EMAIL = {"tu": "thu"}


def site_url(name: str | None = None, *args, query: dict | None = None, fragment: str = "") -> str:
    """An absolute link for a message: the one place e-mail links are built from SITE_URL."""
    base = settings.SITE_URL.rstrip("/")
    path = "/"
    if name:
        with contextlib.suppress(NoReverseMatch):
            path = reverse(name, args=args)
    return base + path + (f"?{urlencode(query)}" if query else "") + (f"#{fragment}" if fragment else "")


def meeting_ics(meeting: Meeting, *, cancelled: bool = False) -> bytes:
    return calendar_documents.meeting_ics(meeting, url=site_url("meetings:detail", meeting.pk), cancelled=cancelled)


def address(name: str, email: str) -> str:
    """`Name <address>`, quoted where the name needs it."""
    if not name:
        return email
    try:
        return str(Address(display_name=name, addr_spec=email))
    except (ValueError, IndexError):
        return email


def render_parts(kind: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML of a message."""
    return (
        render_to_string(f"emails/{kind}.subject.txt", context),
        render_to_string(f"emails/{kind}.txt", context),
        render_to_string(f"emails/{kind}.html", context),
    )


class MessageBuilder:
    """Builds the messages of one batch."""

    # Kinds whose templates use no per-recipient value but the name (a test renders them
    # both ways and compares).
    RENDER_ONCE_KINDS = REMINDER_KINDS

    def __init__(self):
        self.cache: dict = {}
        self.name_mark = f"chibo-recipient-{secrets.token_hex(8)}"

    def _cached(self, key, build):
        if key not in self.cache:
            try:
                self.cache[key] = build()
            except SoftTimeLimitExceeded:  # the task ran out of time: not a broken document
                raise
            except Exception:  # a missing or failing document degrades to a link
                log.exception("Attachment %s unavailable", key)
                self.cache[key] = None
        return self.cache[key]

    def _url(self, name: str | None = None, *args, query: dict | None = None, fragment: str = "") -> str:
        key = ("url", name, *args, tuple(sorted((query or {}).items())), fragment)
        if key not in self.cache:
            self.cache[key] = site_url(name, *args, query=query, fragment=fragment)
        return self.cache[key]

    def _links(self, n: Notification, *, meeting, topic, minutes, report, addendum, contribution) -> dict[str, str]:
        """Each message's links, to the page where its recipient acts: a member replies on
        their own page of the meeting, submits on the contribution or lead-paper form and
        studies the finished topic in the library; the committee reviews the report; the
        cell's secretary answers a returned report. Guests get no links into the app."""
        ctx = n.context or {}
        topic_id = topic.pk if topic is not None else ctx.get("topic_id")
        links = {
            "site_url": self._url(),
            "meeting_url": self._url("meetings:detail", meeting.pk) if meeting is not None else self._url(),
            # The member's page of the meeting: the reply buttons first, then the lead paper.
            "reply_url": (
                self._url("portal:meetings", query={"buoi": meeting.pk, **FROM_EMAIL}, fragment="tra-loi")
                if meeting is not None
                else self._url("portal:meetings")
            ),
            "lead_paper_url": (
                self._url("portal:meetings", query={"buoi": meeting.pk, **FROM_EMAIL}, fragment="tai-lieu")
                if meeting is not None
                else self._url("portal:meetings")
            ),
            "minutes_url": self._url("minutes:pdf", minutes.pk) if minutes is not None else self._url(),
            "addendum_url": self._url("minutes:addendum_pdf", addendum.pk) if addendum is not None else self._url(),
            "report_url": self._url("reports:detail", report.pk) if report is not None else self._url("reports:inbox"),
            "topic_url": self._url("topics:detail", topic_id) if topic_id else self._url(),
        }
        if n.kind == K.DEADLINE_REMINDER:
            if contribution is not None:
                links["submit_url"] = self._url("portal:contribution_edit", contribution.pk)
            elif ctx.get("what") == "lead" and topic_id:
                links["submit_url"] = self._url("topics:detail", topic_id, fragment="de-dan")
            else:  # the assignment is gone: the member's list of tasks
                links["submit_url"] = self._url("portal:tasks")
        elif n.kind == K.STUDY:
            links["finished_topic_url"] = (
                self._url("library:detail", topic_id) if topic_id else self._url("library:index")
            )
        elif n.kind == K.REPORT_ANSWER:
            fragment = f"bao-cao-{report.pk}" if report is not None else ""
            links["cell_reports_url"] = self._url("reports:cell_list", fragment=fragment)
        elif n.kind == K.ACTION_REMINDER:
            links["progress_url"] = self._url("portal:action_progress", ctx.get("item_id") or 0)
        elif n.kind == K.QUARTER_WARNING:
            links["plans_url"] = self._url("plans:index")
        elif n.kind == K.QUARTER_SUMMARY:
            committee_id = ctx.get("committee_id")
            links["dashboard_url"] = self._url("dashboard:org", committee_id) if committee_id else self._url()
        return links

    def _assignments(self, topic_id: int, member_id) -> list[dict]:
        """A notice's assignments: the topic's contributions, fetched once per batch."""
        key = ("assignments", topic_id)
        if key not in self.cache:
            by_member = defaultdict(list)
            for row in Contribution.objects.filter(topic_id=topic_id).values("member_id", "subject", "due_on"):
                by_member[row.pop("member_id")].append(row)
            self.cache[key] = by_member
        return list(self.cache[key].get(member_id, []))

    def _minutes(self, minutes_id) -> Minutes | None:
        return self._cached(
            ("minutes", minutes_id),
            lambda: Minutes.objects.select_related("meeting", "meeting__topic", "cell").filter(pk=minutes_id).first(),
        )

    def _report(self, report_id) -> Report | None:
        return self._cached(
            ("report", report_id), lambda: Report.objects.select_related("committee").filter(pk=report_id).first()
        )

    def _organization(self, org_id) -> Organization | None:
        return self._cached(("organization", org_id), lambda: Organization.objects.filter(pk=org_id).first())

    def _addressee(self, n: Notification) -> str:
        """The committee a message is addressed to (“Kính gửi: …”); empty for a person."""
        if n.kind not in COMMITTEE_KINDS:
            return ""
        committee = self._organization((n.context or {}).get("committee_id"))
        return committee.addressee_name if committee is not None else n.recipient_name

    @staticmethod
    def _sender(n: Notification, report: Report | None) -> str:
        """Who signs: the cell for its notices, reminders and reports, the committee for its
        answer to a report, the system for the quarter watch."""
        if n.kind in SYSTEM_KINDS:
            return SYSTEM_SENDER
        if n.kind == K.REPORT_ANSWER and report is not None:
            return report.committee.committee_display
        cell = n.meeting.cell if n.meeting is not None else n.cell
        return cell.name if cell is not None else SYSTEM_SENDER

    def _addendum(self, addendum_id) -> MinutesAddendum | None:
        return self._cached(("addendum", addendum_id), lambda: MinutesAddendum.objects.filter(pk=addendum_id).first())

    def _deadline_topic(self, topic_id) -> Topic | None:
        return self._cached(
            ("topic", topic_id), lambda: Topic.objects.select_related("cell").filter(pk=topic_id).first()
        )

    @staticmethod
    def _file_bytes(field) -> bytes | None:
        if not field:
            return None
        with field.open("rb") as fh:
            return fh.read()

    def _topic_pdf(self, topic) -> bytes | None:
        def build():
            from meetings.documents.topics import render_topic_pdf

            return render_topic_pdf(topic)

        return self._cached(("topic_pdf", topic.pk), build)

    def _attachments(self, n: Notification, topic, minutes) -> tuple[list[tuple[str, bytes, str | None]], dict]:
        """The files sent with the message, and which of them the text may say are attached."""
        ctx = n.context or {}
        meeting = n.meeting
        files: list[tuple[str, bytes, str | None]] = []
        attached = {
            "lead_attached": False,
            "minutes_attached": False,
            "topic_attached": False,
            "addendum_attached": False,
        }
        if n.kind in ICS_KINDS and meeting is not None and meeting.starts_at is not None:
            cancelled = ctx.get("change") in WITHDRAWN
            ics = self._cached(("ics", meeting.pk, cancelled), lambda: meeting_ics(meeting, cancelled=cancelled))
            if ics:
                files.append(("sinh-hoat-chuyen-de.ics", ics, "text/calendar"))
        if n.kind == K.NOTICE and topic is not None and ctx.get("change") not in WITHDRAWN:
            data = None
            if topic.lead_paper_file:
                data = self._cached(("lead_file", topic.pk), lambda: self._file_bytes(topic.lead_paper_file))
                name = topic.lead_paper_file.name.rsplit("/", 1)[-1]
            elif topic.lead_paper_text:
                data, name = self._topic_pdf(topic), f"de-dan-chuyen-de-{topic.pk}.pdf"
            if data:
                files.append((name, data, None))
                attached["lead_attached"] = True
        if n.kind in (K.STUDY, K.REPORT) and minutes is not None:
            if minutes.pdf:
                # The latest signed revision once the minutes are signed (issue 18).
                served = minutes_served_file(minutes)[1]
                data = self._cached(("minutes_pdf", minutes.pk), lambda: self._file_bytes(served))
                if data:
                    files.append((f"bien-ban-{minutes.number:02d}-{minutes.year}.pdf", data, "application/pdf"))
                    attached["minutes_attached"] = True
            if minutes.meeting.topic_id:
                data = self._topic_pdf(minutes.meeting.topic)
                if data:
                    files.append((f"chuyen-de-{minutes.meeting.topic_id}.pdf", data, "application/pdf"))
                    attached["topic_attached"] = True
                done_file = minutes.meeting.topic.completed_file
                if done_file:
                    data = self._cached(("completed_file", done_file.name), lambda: self._file_bytes(done_file))
                    if data:
                        name = f"chuyen-de-hoan-chinh-{minutes.meeting.topic_id}{Path(done_file.name).suffix}"
                        files.append((name, data, None))
        addendum = self._addendum(ctx["addendum_id"]) if n.kind == K.REPORT and ctx.get("addendum_id") else None
        if addendum is not None and addendum.pdf and minutes is not None:
            data = self._cached(("addendum_pdf", addendum.pk), lambda: self._file_bytes(addendum.pdf))
            if data:
                name = f"phu-luc-dinh-chinh-{addendum.version}-bien-ban-{minutes.number:02d}-{minutes.year}.pdf"
                files.append((name, data, "application/pdf"))
                attached["addendum_attached"] = True
        return files, attached

    def _render(self, n: Notification, context: dict) -> tuple[str, str, str]:
        if n.kind not in self.RENDER_ONCE_KINDS:
            return render_parts(n.kind, context)
        shared = {k: v for k, v in (n.context or {}).items() if k != "member_id"}
        key = ("render", n.kind, n.meeting_id, n.cell_id, json.dumps(shared, sort_keys=True, default=str))
        if key not in self.cache:
            self.cache[key] = render_parts(n.kind, {**context, "recipient_name": self.name_mark})
        subject, text, html = self.cache[key]
        name = n.recipient_name or ""
        return (
            subject.replace(self.name_mark, name),
            text.replace(self.name_mark, name),
            html.replace(self.name_mark, str(conditional_escape(name))),
        )

    def build(self, n: Notification) -> EmailMultiAlternatives:
        ctx = n.context or {}
        meeting = n.meeting
        topic = meeting.topic if meeting is not None and meeting.topic_id else None
        minutes = self._minutes(ctx["minutes_id"]) if ctx.get("minutes_id") else None
        report = self._report(ctx["report_id"]) if ctx.get("report_id") else None
        addendum = self._addendum(ctx["addendum_id"]) if ctx.get("addendum_id") else None
        contribution = None
        if n.kind == K.DEADLINE_REMINDER:
            topic = topic or self._deadline_topic(ctx.get("topic_id"))
            if ctx.get("contribution_id"):
                contribution = Contribution.objects.filter(pk=ctx["contribution_id"]).first()
        assignments = []
        if n.kind == K.NOTICE and topic is not None and ctx.get("member_id"):
            assignments = self._assignments(topic.pk, ctx["member_id"])
        files, attached = self._attachments(n, topic, minutes)
        context = {
            "n": n,
            "c": ctx,
            "recipient_name": n.recipient_name,
            "addressee": self._addressee(n),
            "sender": self._sender(n, report),
            "meeting": meeting,
            "topic": topic,
            "cell": n.cell,
            "minutes": minutes,
            "report": report,
            "addendum": addendum,
            "contribution": contribution,
            "assignments": assignments,
            "starts_at": timezone.localtime(meeting.starts_at) if meeting is not None and meeting.starts_at else None,
            "due_on": datetime.date.fromisoformat(ctx["due_on"]) if ctx.get("due_on") else None,
            "quarter_end": datetime.date.fromisoformat(ctx["end"]) if ctx.get("end") else None,
            **attached,
            **self._links(
                n,
                meeting=meeting,
                topic=topic,
                minutes=minutes,
                report=report,
                addendum=addendum,
                contribution=contribution,
            ),
        }
        subject, text, html = self._render(n, context)
        digest = hashlib.sha256(n.key.encode()).hexdigest()[:32]
        msg = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address(n.recipient_name, n.recipient_email)],
            # A stable Message-ID lets a receiving server recognise a redelivered message.
            headers={"Message-ID": f"<{digest}@chibo>", "X-Chibo-Key": n.key},
        )
        msg.attach_alternative(html, "text/html")
        for name, data, mimetype in files:
            msg.attach(name, data, mimetype)
        return msg
