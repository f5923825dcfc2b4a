"""What each role's home page shows: the work due now, most urgent first, in a fixed number of
queries whatever the number of items.

Each item is a plain `HomeItem` (what to do, on which object); the view turns `kind` and `pk`
into the link, so the selector stays free of URLs.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q
from django.utils import timezone

from meetings.models import (
    AttendanceReply,
    Contribution,
    LeadPaperStatus,
    Meeting,
    MeetingKind,
    Member,
    Organization,
    OrgQuarterStats,
    Report,
    ReportStatus,
)
from meetings.periods import ROMAN_QUARTERS, current_quarter, quarter_bounds
from meetings.selectors import portal
from meetings.selectors.action_reviews import overdue_unreviewed, review_kinds
from meetings.selectors.actions import access_for_member, cell_overdue_action_items, owner_action_items
from meetings.selectors.library import library_topics
from meetings.selectors.reports import committee_inbox
from meetings.workflow import Stage

CLOSED = [Stage.FINALIZED, Stage.CANCELLED]
# Stages in which a member may still answer "I will / will not attend".
REPLY_STAGES = [Stage.PLANNED, Stage.PREPARING, Stage.SCHEDULED, Stage.NOTICED]
# A quarter with this many days left or fewer and no meeting is urgent.
QUARTER_URGENT_DAYS = 30
ITEM_LIMIT = 10
# The long texts a report's line on the home page never prints.
_REPORT_HEAVY = (
    "minutes__snapshot",
    "minutes__meeting__programme",
    "minutes__meeting__purpose",
    "minutes__meeting__lead_paper_summary",
    "minutes__meeting__author_response",
    "minutes__meeting__topic__search_text",
    "minutes__meeting__topic__lead_paper_text",
    "minutes__meeting__topic__description",
    "minutes__meeting__topic__completed_text",
)


@dataclass
class HomeItem:
    kind: str  # the view's link table: which page the item opens
    pk: int | None
    text: str
    detail: str = ""
    rank: int = 5  # 0 = today, higher = later
    when: datetime.date | None = None

    @property
    def sort_key(self):
        return (self.rank, self.when or datetime.date.max, self.pk or 0)


def _d(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _quote(text: str) -> str:
    return f"“{text}”"


def days_left_text(due: datetime.date, today: datetime.date) -> str:
    days = (due - today).days
    if days > 0:
        return f"còn {days} ngày"
    if days == 0:
        return "hạn là hôm nay"
    return f"quá hạn {-days} ngày"


def quarter_status(today: datetime.date) -> dict:
    year, quarter = current_quarter(today)
    end = quarter_bounds(year, quarter)[1]
    days = (end - today).days
    return {
        "year": year,
        "quarter": quarter,
        "roman": ROMAN_QUARTERS[quarter],
        "end": end,
        "days_left": days,
        # "Quý IV còn 31 ngày": days from today to the quarter's last day.
        "label": f"Quý {ROMAN_QUARTERS[quarter]} còn {days} ngày",
    }


def _is_due(meeting: Meeting, year: int, quarter: int, today: datetime.date) -> bool:
    """A meeting of this quarter or an earlier one, or one already dated within two weeks,
    needs work now; later ones are only "what's next"."""
    if (meeting.year, meeting.quarter) <= (year, quarter):
        return True
    return meeting.scheduled_date is not None and meeting.scheduled_date <= today + datetime.timedelta(days=14)


def _meeting_items(meeting: Meeting, *, today: datetime.date, manage: bool, period: dict) -> list[HomeItem]:
    title = _quote(meeting.title)
    date = meeting.scheduled_date
    when = f"{_d(date)}{' lúc ' + meeting.start_time.strftime('%H:%M') if meeting.start_time else ''}"
    items = []
    topic = meeting.topic if meeting.topic_id else None
    if topic is not None and meeting.stage in REPLY_STAGES:
        status = topic.lead_paper_status
        if status == LeadPaperStatus.SUBMITTED:
            items.append(HomeItem("lead_paper", topic.pk, f"Duyệt đề dẫn {title}", "Đề dẫn đã nộp, chờ duyệt", 3))
        elif status == LeadPaperStatus.UNASSIGNED:
            items.append(HomeItem("lead_paper", topic.pk, f"Phân công người chuẩn bị đề dẫn {title}", "", 4))
        elif status == LeadPaperStatus.ASSIGNED:
            author = f"đồng chí {topic.lead_author.full_name}" if topic.lead_author_id else "người được phân công"
            due = topic.lead_paper_due
            detail = f"hạn {_d(due)}, {days_left_text(due, today)}" if due else "chưa định hạn"
            late = due is not None and due < today
            items.append(
                HomeItem("lead_paper", topic.pk, f"Nhắc {author} nộp đề dẫn {title}", detail, 3 if late else 6, due)
            )
    stage = meeting.stage
    if stage in (Stage.PLANNED, Stage.PREPARING):
        # This quarter's meeting says how many days the quarter has left; an earlier one is late.
        this_quarter = (meeting.year, meeting.quarter) == (period["year"], period["quarter"])
        detail = (
            f"{period['label']} (đến {_d(period['end'])})" if this_quarter else f"Quý {meeting.quarter}/{meeting.year}"
        )
        urgent = not this_quarter or period["days_left"] <= QUARTER_URGENT_DAYS
        items.append(HomeItem("meeting", meeting.pk, f"Lên lịch họp {title}", detail, 2 if urgent else 5))
    elif stage == Stage.SCHEDULED:
        items.append(
            HomeItem("meeting", meeting.pk, f"Gửi thông báo buổi sinh hoạt {title}", f"họp ngày {when}", 4, date)
        )
    elif stage == Stage.NOTICED and date is not None and date <= today:
        text = f"Hôm nay sinh hoạt {title}" if date == today else f"Ghi diễn biến buổi sinh hoạt {title}"
        detail = f"{when}{' · ' + meeting.place if meeting.place else ''}"
        items.append(HomeItem("run", meeting.pk, text, detail, 0, date))
    elif stage == Stage.IN_PROGRESS:
        items.append(
            HomeItem("run", meeting.pk, f"Ghi tiếp diễn biến buổi sinh hoạt {title}", "đang sinh hoạt", 0, date)
        )
    elif stage == Stage.HELD:
        items.append(
            HomeItem(
                "finalize" if manage else "meeting",
                meeting.pk,
                f"Hoàn tất biên bản {title}",
                f"đã sinh hoạt ngày {_d(date)}, biên bản chưa hoàn tất",
                1,
                date,
            )
        )
    return items


def secretary_home(*, cell_id: int, manage: bool = True, today: datetime.date | None = None) -> dict:
    """The cell's work due now. `manage` (secretary, deputy) adds what only they can do: the
    committee's returned reports and the member list."""
    today = today or timezone.localdate()
    period = quarter_status(today)
    year, quarter = period["year"], period["quarter"]
    cell = Organization.objects.select_related("parent").get(pk=cell_id)
    counts = Member.objects.filter(cell_id=cell_id).aggregate(
        total=Count("pk", filter=~Q(status="moved_out")),
        expected=Count("pk", filter=Q(status__in=["active", "visiting"])),
        no_email=Count("pk", filter=~Q(status="moved_out") & Q(email="")),
    )
    open_meetings = list(
        Meeting.objects.filter(cell_id=cell_id)
        .exclude(stage__in=CLOSED)
        .select_related("topic", "topic__lead_author")
        .defer("topic__search_text", "topic__lead_paper_text", "topic__description", "topic__completed_text")
        .order_by("year", "quarter", "scheduled_date", "pk")[:20]
    )
    quarter_counts = Meeting.objects.filter(
        cell_id=cell_id, kind=MeetingKind.THEMATIC, year=year, quarter=quarter
    ).aggregate(
        held=Count("pk", filter=Q(stage=Stage.FINALIZED)),
        planned=Count("pk", filter=~Q(stage=Stage.CANCELLED)),
    )
    recent = list(
        Meeting.objects.filter(cell_id=cell_id, stage=Stage.FINALIZED)
        .select_related("topic", "minutes")
        .defer("topic__search_text", "topic__lead_paper_text", "topic__description", "topic__completed_text")
        .order_by("-scheduled_date")[:5]
    )

    items: list[HomeItem] = []
    upcoming = []
    for meeting in open_meetings:
        due = (
            _meeting_items(meeting, today=today, manage=manage, period=period)
            if _is_due(meeting, year, quarter, today)
            else []
        )
        items.extend(due)
        if not due:  # nothing to do on it now: it is "what's next"
            upcoming.append(meeting)
    if manage:
        newer = Report.objects.filter(minutes_id=OuterRef("minutes_id"), version__gt=OuterRef("version"))
        returned = (
            Report.objects.filter(minutes__cell_id=cell_id, status=ReportStatus.RETURNED)
            .exclude(Exists(newer))
            .select_related("minutes", "minutes__meeting", "minutes__meeting__topic")
            .defer(*_REPORT_HEAVY)
            .order_by("reviewed_at", "pk")[:ITEM_LIMIT]
        )
        for report in returned:
            items.append(
                HomeItem(
                    "report",
                    report.pk,
                    f"Cấp ủy cấp trên trả lại báo cáo: {report.comment}",
                    f"Biên bản số {report.minutes.number_label} · {report.minutes.meeting.title}",
                    2,
                )
            )
    overdue = (
        Contribution.objects.filter(topic__cell_id=cell_id, submitted_at__isnull=True, due_on__lt=today)
        .exclude(topic__meeting__stage__in=CLOSED)
        .values("topic_id", "topic__title")
        .annotate(n=Count("pk"), oldest=Min("due_on"))
        .order_by("oldest", "topic_id")[:ITEM_LIMIT]
    )
    for row in overdue:
        items.append(
            HomeItem(
                "topic",
                row["topic_id"],
                f"Nhắc nộp tham luận chuyên đề {_quote(row['topic__title'])}",
                f"{row['n']} tham luận quá hạn chưa nộp (hạn sớm nhất {_d(row['oldest'])})",
                5,
                row["oldest"],
            )
        )
    if not quarter_counts["planned"]:
        items.append(
            HomeItem(
                "plans",
                None,
                f"{period['label']}: chưa có buổi sinh hoạt chuyên đề nào",
                f"Đến {_d(period['end'])}; đồng chí lên kế hoạch và lịch họp cho quý {quarter}/{year}",
                2 if period["days_left"] <= QUARTER_URGENT_DAYS else 5,
            )
        )
    if manage and counts["no_email"]:
        items.append(
            HomeItem(
                "members",
                None,
                f"Bổ sung e-mail cho {counts['no_email']} đảng viên",
                "Đảng viên chưa có e-mail không nhận được thông báo, nhắc việc",
                9,
            )
        )
    items.sort(key=lambda item: item.sort_key)
    return {
        "cell": cell,
        "year": year,
        "quarter": quarter,
        "period": period,
        "member_counts": counts,
        "items": items,
        "upcoming": upcoming[:3],
        "open_meetings": open_meetings,
        "recent_meetings": recent,
        "held_this_quarter": bool(quarter_counts["held"]),
        "overdue_actions": cell_overdue_action_items(cell_id=cell_id, today=today),
        # Issue 17, item 2: items past due plus the grace period that no meeting reviewed yet,
        # and the meeting where the cell can review them.
        "overdue_unreviewed": overdue_unreviewed(cell_id, today).count(),
        "review_meeting": next((m for m in open_meetings if m.kind in review_kinds()), None),
    }


def member_home(*, member_id: int, today: datetime.date | None = None) -> dict:
    """The member's own work: contributions and lead papers to write, meetings awaiting their
    reply, the next meeting and the topics the cell finished lately."""
    today = today or timezone.localdate()
    member = Member.objects.select_related("cell").get(pk=member_id)
    contributions = [c for c in portal.member_contributions(member=member) if not c.is_submitted]
    lead_papers = list(portal.member_lead_papers(member=member).filter(lead_paper_status=LeadPaperStatus.ASSIGNED))
    meetings = list(
        Meeting.objects.filter(cell_id=member.cell_id, stage__in=portal.UPCOMING_STAGES)
        .filter(Q(stage__in=[Stage.IN_PROGRESS, Stage.HELD]) | Q(scheduled_date__gte=today))
        .select_related("topic")
        .only("pk", "kind", "stage", "scheduled_date", "start_time", "place", "topic__title")
        .prefetch_related(
            Prefetch("replies", queryset=AttendanceReply.objects.filter(member=member), to_attr="my_replies")
        )
        .order_by("scheduled_date", "start_time", "pk")[:ITEM_LIMIT]
    )
    finished = list(
        library_topics(cell_id=member.cell_id)
        .only("pk", "title", "meeting__scheduled_date", "meeting__stage")
        .select_related(None)
        .select_related("meeting")[:3]
    )

    items: list[HomeItem] = []
    for c in contributions:
        due = c.due_on
        detail = f"Chuyên đề {_quote(c.topic.title)}"
        if due:
            detail += f" · hạn {_d(due)}, {days_left_text(due, today)}"
        items.append(
            HomeItem("contribution", c.pk, f"Nộp tham luận: {c.subject}", detail, 1 if due and due <= today else 3, due)
        )
    for topic in lead_papers:
        due = topic.lead_paper_due
        detail = f"hạn {_d(due)}, {days_left_text(due, today)}" if due else "chưa định hạn"
        items.append(
            HomeItem(
                "lead_paper",
                topic.pk,
                f"Viết đề dẫn {_quote(topic.title)}",
                detail,
                1 if due and due <= today else 3,
                due,
            )
        )
    for meeting in meetings:
        if meeting.stage in REPLY_STAGES and meeting.scheduled_date and not meeting.my_replies:
            when = _d(meeting.scheduled_date)
            if meeting.start_time:
                when += f" lúc {meeting.start_time.strftime('%H:%M')}"
            items.append(
                HomeItem(
                    "reply",
                    meeting.pk,
                    f"Xác nhận tham dự {_quote(meeting.title)}",
                    f"họp ngày {when}{' · ' + meeting.place if meeting.place else ''}",
                    2,
                    meeting.scheduled_date,
                )
            )
    items.sort(key=lambda item: item.sort_key)
    next_meeting = next((m for m in meetings if m.scheduled_date), None)
    return {
        "member": member,
        "items": items,
        "next_meeting": next_meeting,
        "finished": finished,
        # Kept for the pages and tests that read the plain lists.
        "tasks": contributions,
        "lead_papers": lead_papers,
        "upcoming": meetings[:5],
        # The secretary and deputy also answer for the committee's and the whole cell's items.
        "action_items": owner_action_items(access=access_for_member(member), today=today),
    }


def committee_home(*, access, committee_id: int, today: datetime.date | None = None) -> dict:
    """Reports to review and how many cells have not held their meeting, from the rollups:
    never a scan of the subtree (300,000 cells at the root)."""
    today = today or timezone.localdate()
    period = quarter_status(today)
    year, quarter = period["year"], period["quarter"]
    committee = Organization.objects.get(pk=committee_id)
    total = committee.subtree_cells
    compliant = (
        OrgQuarterStats.objects.filter(org_id=committee_id, year=year, quarter=quarter)
        .values_list("cells_compliant", flat=True)
        .first()
        or 0
    )
    inbox = committee_inbox(access=access, status=ReportStatus.RECEIVED).defer(*_REPORT_HEAVY)
    waiting_count = inbox.count()
    waiting = list(inbox.order_by("received_at", "pk")[:ITEM_LIMIT]) if waiting_count else []
    items = []
    for report in waiting:
        again = f" (lần {report.version})" if report.version > 1 else ""
        received = _d(timezone.localdate(report.received_at))
        items.append(
            HomeItem(
                "review",
                report.pk,
                f"Xem xét báo cáo của {report.minutes.cell.name}",
                f"{report.minutes.meeting.title} · Biên bản số {report.minutes.number_label}{again} · nhận {received}",
                3,
            )
        )
    not_held = max(total - compliant, 0)
    if not_held:
        items.append(
            HomeItem(
                "dashboard",
                None,
                f"{not_held} chi bộ chưa sinh hoạt chuyên đề quý {period['roman']}/{year}",
                f"{period['label']} (đến {_d(period['end'])}); xem danh sách tại trang tổng hợp",
                2 if period["days_left"] <= QUARTER_URGENT_DAYS else 4,
            )
        )
    items.sort(key=lambda item: item.sort_key)
    children = list(Organization.objects.filter(parent_id=committee_id).order_by("kind", "name")[:50])
    return {
        "committee": committee,
        "year": year,
        "quarter": quarter,
        "period": period,
        "cells_total": total,
        "cells_compliant": compliant,
        "cells_not_held": not_held,
        "waiting_count": waiting_count,
        "items": items,
        "children": children,
    }
