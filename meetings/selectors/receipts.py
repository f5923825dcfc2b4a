"""Materials receipts (issue 17, item 4): for each expected member, when the notice and
materials were sent, whether delivery failed, and when the member first opened them; the
figure "đọc tài liệu trước ≥ 1 ngày: 17/20". Three queries whatever the size of the cell."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Min, Q
from django.db.models.fields.json import KT

from meetings.models import (
    EXPECTED_STATUSES,
    MaterialsReceipt,
    Meeting,
    Member,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from meetings.workflow import Stage

# A cancellation or postponement notice carries no materials.
WITHDRAWN = ("cancelled", "postponed")


def materials_were_sent(meeting: Meeting) -> bool:
    """Openings count once the notice sent the materials; a cancelled meeting has none to read."""
    return bool(meeting.topic_id) and meeting.notice_sent_at is not None and meeting.stage != Stage.CANCELLED


def min_days() -> int:
    return settings.CHIBO["MATERIALS_MIN_DAYS_BEFORE"]


@dataclass
class MaterialsRow:
    member_id: int
    name: str
    sent_at: datetime.datetime | None = None  # first notice delivered
    failed: bool = False  # nothing delivered, and the mail server refused a notice
    withheld: bool = False  # nothing delivered: chibo cancelled the notice (obsolete at send time)
    queued: bool = False  # a notice is still waiting in the outbox
    first_opened_at: datetime.datetime | None = None
    via: str = ""
    early: bool = False  # opened at least MATERIALS_MIN_DAYS_BEFORE days before the start
    opened_before_start: bool = False

    @property
    def received(self) -> bool:
        """The notice with the materials was delivered."""
        return self.sent_at is not None

    @property
    def reached(self) -> bool:
        """The materials reached the member: delivered, or opened in chibo before the meeting
        (a member whose e-mail bounced may still have read them on the portal)."""
        return self.received or self.opened_before_start

    @property
    def not_received_reason(self) -> str:
        if self.received:
            return ""
        if self.failed:
            return "gửi không thành công"
        if self.withheld:
            return "thư bị hủy, không gửi"
        return "thư đang chờ gửi" if self.queued else "chưa gửi"


@dataclass
class MaterialsSummary:
    rows: list[MaterialsRow] = field(default_factory=list)
    min_days: int = 1
    sent: bool = False  # the notice went out through chibo

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def early(self) -> int:
        return sum(1 for r in self.rows if r.early)

    @property
    def opened(self) -> int:
        return sum(1 for r in self.rows if r.first_opened_at)

    @property
    def received(self) -> int:
        return sum(1 for r in self.rows if r.received)

    @property
    def not_received(self) -> list[MaterialsRow]:
        return [r for r in self.rows if not r.reached]

    @property
    def label(self) -> str:
        return f"đọc tài liệu trước ≥ {self.min_days} ngày: {self.early}/{self.expected}"

    @property
    def warning(self) -> str:
        """Members the materials never reached, once the notice went out (before it, the notice
        itself is what is missing and the stage says so)."""
        missing = self.not_received
        if not self.sent or not missing:
            return ""
        names = "; ".join(f"{r.name} ({r.not_received_reason})" for r in missing)
        return f"{len(missing)} đảng viên không nhận được thông báo và tài liệu: {names}."

    def as_snapshot(self) -> dict:
        """What the minutes freeze (plain JSON)."""
        return {
            "sent": self.sent,
            "expected": self.expected,
            "early": self.early,
            "opened": self.opened,
            "received": self.received,
            "min_days": self.min_days,
            "not_received": [r.name for r in self.not_received] if self.sent else [],
        }


def materials_summary(*, meeting: Meeting, members: list | None = None) -> MaterialsSummary:
    """Per expected member: sent, failed, first opened. `members`: the expected members when
    the caller has them already (saves a query)."""
    if members is None:
        members = list(
            Member.objects.filter(cell_id=meeting.cell_id, status__in=EXPECTED_STATUSES)
            .order_by("sort_key", "pk")
            .only("pk", "full_name")
        )
    notices = (
        Notification.objects.filter(meeting_id=meeting.pk, kind=NotificationKind.NOTICE, context__has_key="member_id")
        .exclude(context__change__in=WITHDRAWN)
        .annotate(mid=KT("context__member_id"))
        .values("mid")
        .annotate(
            sent_at=Min("sent_at", filter=Q(status=NotificationStatus.SENT)),
            failed=Count("pk", filter=Q(status=NotificationStatus.FAILED)),
            withheld=Count("pk", filter=Q(status=NotificationStatus.CANCELLED)),
            total=Count("pk"),
        )
        .order_by()
    )
    by_member = {}
    for row in notices:
        try:
            by_member[int(row["mid"])] = row
        except (TypeError, ValueError):
            continue
    opened = {
        r["member_id"]: r
        for r in MaterialsReceipt.objects.filter(meeting_id=meeting.pk).values("member_id", "first_opened_at", "via")
    }
    start = meeting.starts_at or meeting.actual_start
    days = min_days()
    deadline = start - datetime.timedelta(days=days) if start else None
    rows = []
    for member in members:
        notice = by_member.get(member.pk) or {}
        receipt = opened.get(member.pk) or {}
        first = receipt.get("first_opened_at")
        sent_at = notice.get("sent_at")
        rows.append(
            MaterialsRow(
                member_id=member.pk,
                name=member.full_name,
                sent_at=sent_at,
                failed=sent_at is None and bool(notice.get("failed")),
                withheld=sent_at is None and bool(notice.get("withheld")),
                queued=sent_at is None and notice.get("total", 0) > notice.get("failed", 0) + notice.get("withheld", 0),
                first_opened_at=first,
                via=receipt.get("via", ""),
                early=bool(first and deadline and first <= deadline),
                opened_before_start=bool(first and (start is None or first < start)),
            )
        )
    return MaterialsSummary(rows=rows, min_days=days, sent=meeting.notice_sent_at is not None)


def member_opened_materials(*, meeting_id: int, member_id: int) -> bool:
    return MaterialsReceipt.objects.filter(meeting_id=meeting_id, member_id=member_id).exists()
