"""What a member sees of their own cell: tasks and upcoming meetings."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from meetings.models import AttendanceReply, Contribution, MaterialsReceipt, Meeting, Minutes, Topic
from meetings.workflow import ON_CALENDAR, Stage

OPEN_TOPIC = ~Q(meeting__stage__in=[Stage.FINALIZED, Stage.CANCELLED])
UPCOMING_STAGES = [s for s in ON_CALENDAR if s != Stage.FINALIZED]


def member_lead_papers(*, member):
    return (
        Topic.objects.filter(lead_author=member, cell_id=member.cell_id)
        .filter(OPEN_TOPIC)
        .select_related("meeting")
        .defer("search_text", "lead_paper_text", "description")
        .order_by("lead_paper_due", "pk")
    )


def member_contributions(*, member):
    return (
        Contribution.objects.filter(member=member, topic__cell_id=member.cell_id)
        .filter(Q(topic__meeting__isnull=True) | ~Q(topic__meeting__stage__in=[Stage.FINALIZED, Stage.CANCELLED]))
        .select_related("topic", "topic__meeting")
        .defer("text", "topic__search_text", "topic__lead_paper_text", "topic__description")
        .order_by("due_on", "pk")
    )


def member_calendar(*, member, since: datetime.date):
    """What the member's iCal feed shows: the cell's meetings and the member's deadlines."""
    meetings = (
        Meeting.objects.filter(cell_id=member.cell_id, stage__in=ON_CALENDAR, scheduled_date__gte=since)
        .select_related("topic")
        .order_by("scheduled_date")
    )
    lead_papers = Topic.objects.filter(lead_author=member, lead_paper_due__gte=since).exclude(
        meeting__stage=Stage.CANCELLED
    )
    contributions = Contribution.objects.filter(member=member, due_on__gte=since).select_related("topic")
    return meetings, lead_papers, contributions


def member_meetings(*, member, now: datetime.datetime | None = None):
    """Meetings of the member's cell that are ahead (or in progress), with the member's reply."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return (
        Meeting.objects.filter(cell_id=member.cell_id, stage__in=UPCOMING_STAGES)
        .filter(Q(stage__in=[Stage.IN_PROGRESS, Stage.HELD]) | Q(scheduled_date__gte=today))
        .select_related("topic", "topic__lead_author")
        .prefetch_related(
            Prefetch("replies", queryset=AttendanceReply.objects.filter(member=member), to_attr="my_replies"),
            "topic__contributions__member",
        )
        .order_by("scheduled_date", "start_time", "pk")
    )


def member_meeting(*, member, pk: int) -> Meeting | None:
    """One meeting of the member's cell, whatever its stage (an e-mail link may be opened late),
    with its documents and the member's reply; None for another cell's or a missing meeting."""
    return (
        Meeting.objects.filter(cell_id=member.cell_id, pk=pk)
        .select_related("cell", "topic", "topic__lead_author")
        # Whether the member opened the materials before: the page writes only a first opening.
        .annotate(materials_opened=Exists(MaterialsReceipt.objects.filter(meeting_id=OuterRef("pk"), member=member)))
        .prefetch_related(
            Prefetch("replies", queryset=AttendanceReply.objects.filter(member=member), to_attr="my_replies"),
            Prefetch("topic__contributions", queryset=Contribution.objects.select_related("member").order_by("pk")),
        )
        .first()
    )


def member_reply(*, member, meeting_id: int) -> AttendanceReply | None:
    return AttendanceReply.objects.filter(meeting_id=meeting_id, member=member).first()


def member_meeting_outcome(*, meeting) -> dict | None:
    """What a finished meeting concluded and resolved, as frozen in its minutes (the texts the
    members adopted, not later edits); None before finalisation. Reads two keys of the snapshot,
    not the whole record of speeches."""
    if meeting.stage != Stage.FINALIZED:
        return None
    row = (
        Minutes.objects.filter(meeting_id=meeting.pk)
        .values("number", "snapshot__conclusion", "snapshot__resolution")
        .first()
    )
    if row is None:
        return None
    return {
        "number_label": Minutes(number=row["number"]).number_label,
        "conclusion": row["snapshot__conclusion"],
        "resolution": row["snapshot__resolution"],
    }
