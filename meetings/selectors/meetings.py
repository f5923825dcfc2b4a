"""Everything the meeting pages show, in a fixed number of queries whatever the size of the cell."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from meetings import workflow
from meetings.models import (
    EXPECTED_STATUSES,
    Activity,
    Attendance,
    AttendanceReply,
    AttendanceStatus,
    Contribution,
    Guest,
    Meeting,
    MeetingStep,
    Member,
    MemberStatus,
    MinutesAddendum,
    Speech,
)
from meetings.services.meetings import AttendanceCounts, attendance_prefill, quality_criteria
from meetings.workflow import Stage, Step


@dataclass
class StepRow:
    step: str
    number: int
    label: str
    record: MeetingStep | None


@dataclass
class MeetingPage:
    meeting: Meeting
    guests: list
    steps: list[StepRow]
    members: list  # current members of the cell (expected or not)
    expected: list
    attendance_rows: list[dict]
    counts: AttendanceCounts
    speeches: list
    contributions: list
    activities: list
    addenda: list = field(default_factory=list)

    @property
    def conclusion(self):
        return getattr(self.meeting, "conclusion", None)

    @property
    def resolution(self):
        return getattr(self.meeting, "resolution", None)

    @property
    def minutes(self):
        return getattr(self.meeting, "minutes", None)

    @property
    def steps_done(self) -> int:
        return sum(1 for row in self.steps if row.record)

    @property
    def next_step(self) -> str:
        return next((row.step for row in self.steps if row.record is None), Step.CONCLUSION)

    @property
    def unpresented_contributions(self):
        presented = {s.contribution_id for s in self.speeches if s.contribution_id}
        return [c for c in self.contributions if c.pk not in presented]

    @property
    def absentees(self):
        return [
            r for r in self.attendance_rows if r["status"] in (AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED)
        ]

    @property
    def present_members(self):
        absent = {r["member"].pk for r in self.absentees}
        return [m for m in self.expected if m.pk not in absent]

    @property
    def criteria(self):
        scores = self.conclusion.criteria_scores if self.conclusion else {}
        return [(key, label, maximum, scores.get(key)) for key, label, maximum in quality_criteria()]

    @property
    def allowed_targets(self):
        return workflow.allowed_targets(self.meeting.stage)

    @property
    def record_editable(self) -> bool:
        return self.meeting.stage in workflow.RECORD_EDITABLE

    @property
    def schedule_editable(self) -> bool:
        return self.meeting.stage in workflow.SCHEDULE_EDITABLE


def meeting_base_queryset():
    return Meeting.objects.select_related(
        "cell",
        "cell__parent",
        "plan",
        "topic",
        "topic__group",
        "topic__lead_author",
        "chair",
        "clerk",
        "responsible",
        "notice_sent_by",
        "conclusion",
        "resolution",
        "minutes",
    )


def meeting_page(*, meeting_id: int) -> MeetingPage:
    """Nine queries, constant in the number of members, speeches and contributions."""
    meeting = meeting_base_queryset().get(pk=meeting_id)
    guests = list(Guest.objects.filter(meeting_id=meeting_id))
    recorded = {s.step: s for s in MeetingStep.objects.filter(meeting_id=meeting_id).select_related("done_by")}
    members = list(Member.objects.filter(cell_id=meeting.cell_id).exclude(status=MemberStatus.MOVED_OUT))
    attendances = {a.member_id: a for a in Attendance.objects.filter(meeting_id=meeting_id)}
    replies = {r.member_id: r for r in AttendanceReply.objects.filter(meeting_id=meeting_id)}
    speeches = list(
        Speech.objects.filter(meeting_id=meeting_id)
        .select_related("speaker", "contribution")
        .order_by("position", "id")
    )
    contributions = (
        list(Contribution.objects.filter(topic_id=meeting.topic_id).select_related("member"))
        if meeting.topic_id
        else []
    )
    activities = list(
        Activity.objects.filter(Q(meeting_id=meeting_id) | Q(topic_id=meeting.topic_id, topic_id__isnull=False))
        .select_related("actor")
        .order_by("-at", "-id")[:30]
    )
    minutes = getattr(meeting, "minutes", None)
    addenda = list(
        MinutesAddendum.objects.filter(minutes_id=minutes.pk if minutes else None).select_related("created_by")
    )

    expected = [m for m in members if m.status in EXPECTED_STATUSES]
    rows = attendance_prefill(meeting, expected, attendances, replies)
    on = meeting.scheduled_date
    full = sum(1 for m in members if m.full_member_on and (on is None or m.full_member_on <= on))
    counts = AttendanceCounts(
        expected=len(expected),
        present=sum(1 for m in expected if getattr(attendances.get(m.pk), "status", None) == AttendanceStatus.PRESENT),
        excused=sum(1 for m in expected if getattr(attendances.get(m.pk), "status", None) == AttendanceStatus.EXCUSED),
        unexcused=sum(
            1 for m in expected if getattr(attendances.get(m.pk), "status", None) == AttendanceStatus.UNEXCUSED
        ),
        unrecorded=sum(1 for m in expected if m.pk not in attendances),
        exempt=sum(1 for m in members if m.status == MemberStatus.EXEMPT),
        total=len(members),
        full=full,
        probationary=len(members) - full,
    )
    steps = [StepRow(step, workflow.STEP_NUMBER[step], step.label, recorded.get(step)) for step in workflow.STEPS]
    return MeetingPage(
        meeting=meeting,
        guests=guests,
        steps=steps,
        members=members,
        expected=expected,
        attendance_rows=rows,
        counts=counts,
        speeches=speeches,
        contributions=contributions,
        activities=activities,
        addenda=addenda,
    )


def meetings_for_cells(*, cell_filter: Q, year: int | None = None):
    """Meeting list rows (no per-row queries)."""
    qs = Meeting.objects.filter(cell_filter).select_related("cell", "topic", "chair", "minutes")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-quarter", "-scheduled_date", "-id")


__all__ = ["MeetingPage", "Prefetch", "Stage", "meeting_base_queryset", "meeting_page", "meetings_for_cells"]
