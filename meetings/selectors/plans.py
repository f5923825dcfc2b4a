"""Reads for the plan and topic-preparation pages."""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q

from meetings.models import Activity, Contribution, Meeting, Plan, Topic
from meetings.workflow import Stage


@dataclass
class QuarterRow:
    quarter: int
    meetings: list

    @property
    def has_active(self) -> bool:
        return any(m.stage != Stage.CANCELLED for m in self.meetings)


def plans_for_cell(*, cell_id: int):
    return list(
        Plan.objects.filter(cell_id=cell_id)
        .annotate(n_meetings=Count("meetings", filter=~Q(meetings__stage=Stage.CANCELLED)))
        .order_by("-year")
    )


def plan_quarters(*, plan: Plan) -> list[QuarterRow]:
    meetings = list(
        Meeting.objects.filter(plan=plan)
        .select_related("topic", "topic__group", "topic__directed_topic__committee", "responsible", "minutes")
        .order_by("quarter", "planned_month", "id")
    )
    return [QuarterRow(q, [m for m in meetings if m.quarter == q]) for q in (1, 2, 3, 4)]


@dataclass
class TopicPage:
    topic: Topic
    meeting: Meeting | None
    contributions: list
    activities: list


def topic_page(*, topic_id: int) -> TopicPage:
    topic = Topic.objects.select_related(
        "cell",
        "group",
        "lead_author",
        "directed_topic__committee",
        "lead_assigned_by",
        "lead_submitted_by",
        "lead_approved_by",
        "completed_by",
    ).get(pk=topic_id)
    try:
        meeting = Meeting.objects.select_related("minutes").get(topic=topic)
    except ObjectDoesNotExist:
        meeting = None
    contributions = list(
        Contribution.objects.filter(topic=topic).select_related("member", "assigned_by", "submitted_by")
    )
    activities = list(
        Activity.objects.filter(Q(topic=topic) | Q(meeting__topic=topic))
        .select_related("actor")
        .order_by("-at", "-id")[:30]
    )
    return TopicPage(topic=topic, meeting=meeting, contributions=contributions, activities=activities)
