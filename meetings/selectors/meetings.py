"""Everything the meeting pages show, in a fixed number of queries whatever the size of the cell."""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from meetings import workflow
from meetings.models import (
    EXPECTED_STATUSES,
    Activity,
    Attendance,
    AttendanceReply,
    AttendanceStatus,
    Conclusion,
    Contribution,
    Guest,
    Meeting,
    MeetingMode,
    MeetingStep,
    Member,
    MemberStatus,
    Minutes,
    MinutesAddendum,
    Resolution,
    Speech,
)
from meetings.rules.attendance import (
    NOT_ATTENDING,
    AttendanceCounts,
    attendance_members,
    attendance_prefill,
    expected_members,
)
from meetings.rules.grades import GradeVerdict, recorded_grade
from meetings.rules.meeting_mode import mode_warnings
from meetings.rules.meetings import (
    default_chair,
    grade_thresholds,
    meeting_missing_steps,
    meeting_warnings,
    notice_warning_for,
    quality_criteria,
)
from meetings.rules.steps import step_text
from meetings.rules.votes import EligibleVoters, eligible_voters, probationary_ids
from meetings.selectors.meeting_mode import ModeCounts, attendance_mode_counts
from meetings.selectors.receipts import MaterialsSummary, materials_summary
from meetings.workflow import Stage, Step


@dataclass
class StepRow:
    step: str
    number: int
    label: str
    record: MeetingStep | None


class MeetingPage:
    """Everything a meeting page may show. Each part is loaded on first use (one query at
    most, constant in the size of the cell), so a page pays only for what it renders."""

    def __init__(self, meeting: Meeting):
        self.meeting = meeting

    @cached_property
    def guests(self) -> list:
        return list(Guest.objects.filter(meeting_id=self.meeting.pk))

    @cached_property
    def steps(self) -> list[StepRow]:
        recorded = {s.step: s for s in MeetingStep.objects.filter(meeting_id=self.meeting.pk).select_related("done_by")}
        return [StepRow(step, workflow.STEP_NUMBER[step], step.label, recorded.get(step)) for step in workflow.STEPS]

    @cached_property
    def members(self) -> list:
        """Current members of the cell (expected or not)."""
        return list(Member.objects.filter(cell_id=self.meeting.cell_id).exclude(status=MemberStatus.MOVED_OUT))

    @cached_property
    def expected(self) -> list:
        return [m for m in self.members if m.status in EXPECTED_STATUSES]

    @cached_property
    def _attendances(self) -> dict:
        return {a.member_id: a for a in Attendance.objects.filter(meeting_id=self.meeting.pk)}

    @cached_property
    def attendance_rows(self) -> list[dict]:
        replies = {r.member_id: r for r in AttendanceReply.objects.filter(meeting_id=self.meeting.pk)}
        rows = attendance_prefill(self.meeting, self.expected, self._attendances, replies)
        # Exempt members follow: not expected, but recorded present when they attend.
        exempt = [m for m in self.members if m.status == MemberStatus.EXEMPT]
        for row in attendance_prefill(self.meeting, exempt, self._attendances, replies):
            if row["status"] != AttendanceStatus.PRESENT:
                row.update(status=NOT_ATTENDING, reason="", source="" if row["source"] == "reply" else row["source"])
            rows.append({**row, "exempt": True})
        probationary = self.probationary_ids
        for row in rows:
            # A key the template reads but a row lacks costs a dir() per lookup.
            row.setdefault("error", "")
            row.setdefault("exempt", False)
            row["probationary"] = row["member"].pk in probationary
            row["mode"] = getattr(self._attendances.get(row["member"].pk), "mode", "")  # hybrid meetings
        return rows

    @cached_property
    def mode_counts(self) -> ModeCounts | None:
        """Present members in person / online, at a hybrid meeting only (one query)."""
        if self.meeting.mode != MeetingMode.HYBRID:
            return None
        return attendance_mode_counts(meeting_id=self.meeting.pk)

    @cached_property
    def mode_warnings(self) -> list[str]:
        """HD 03-HD/TW's conditions that the schedule does not meet yet (no query)."""
        return mode_warnings(self.meeting)

    @cached_property
    def probationary_ids(self) -> set[int]:
        """Members who are probationary on the meeting's date: they speak but do not vote."""
        return probationary_ids(self.meeting, self.members)

    @cached_property
    def voters(self) -> EligibleVoters:
        """The resolution's denominator as it stands now (DOMAIN.md §8 "Votes")."""
        return eligible_voters(self.meeting)

    @property
    def exempt_count(self) -> int:
        return sum(1 for m in self.members if m.status == MemberStatus.EXEMPT)

    @cached_property
    def contribution_count(self) -> int:
        """The meeting page shows only the number: counted in the meeting's own query."""
        count = getattr(self.meeting, "contribution_count", None)
        return len(self.contributions) if count is None else count

    @cached_property
    def counts(self) -> AttendanceCounts:
        members, expected, attendances = self.members, self.expected, self._attendances
        on = self.meeting.scheduled_date
        full = sum(1 for m in members if m.full_member_on and (on is None or m.full_member_on <= on))
        statuses = [getattr(attendances.get(m.pk), "status", None) for m in expected]
        return AttendanceCounts(
            expected=len(expected),
            present=statuses.count(AttendanceStatus.PRESENT),
            excused=statuses.count(AttendanceStatus.EXCUSED),
            unexcused=statuses.count(AttendanceStatus.UNEXCUSED),
            unrecorded=sum(1 for m in expected if m.pk not in attendances),
            exempt=self.exempt_count,
            total=len(members),
            full=full,
            probationary=len(members) - full,
            exempt_present=sum(
                1
                for m in members
                if m.status == MemberStatus.EXEMPT
                and getattr(attendances.get(m.pk), "status", None) == AttendanceStatus.PRESENT
            ),
        )

    @cached_property
    def speeches(self) -> list:
        return list(
            Speech.objects.filter(meeting_id=self.meeting.pk)
            .select_related("speaker", "guest", "contribution")
            .defer("contribution__text")
            .order_by("position", "id")
        )

    @cached_property
    def contributions(self) -> list:
        if not self.meeting.topic_id:
            return []
        return list(Contribution.objects.filter(topic_id=self.meeting.topic_id).select_related("member").defer("text"))

    @cached_property
    def activities(self) -> list:
        meeting = self.meeting
        return list(
            Activity.objects.filter(Q(meeting_id=meeting.pk) | Q(topic_id=meeting.topic_id, topic_id__isnull=False))
            .select_related("actor")
            .only("at", "action", "actor__full_name", "actor__username")  # what the log shows
            .order_by("-at", "-id")[:30]
        )

    @cached_property
    def addenda(self) -> list:
        minutes = self.minutes
        if minutes is None:
            return []
        return list(MinutesAddendum.objects.filter(minutes_id=minutes.pk).select_related("created_by"))

    @cached_property
    def reservations(self) -> list:
        """Members' reservations recorded when the cell adopted the minutes."""
        return list(self.meeting.reservations.order_by("member__sort_key", "pk"))

    @cached_property
    def conclusion(self):
        return Conclusion.objects.filter(meeting_id=self.meeting.pk).first()

    @cached_property
    def resolution(self):
        return Resolution.objects.filter(meeting_id=self.meeting.pk).first()

    @cached_property
    def minutes(self):
        if self.meeting.stage != Stage.FINALIZED:
            return None  # minutes are made by the finalisation, never before
        # The frozen snapshot is large and no page shows it: leave it in the database.
        return (
            Minutes.objects.filter(meeting_id=self.meeting.pk).select_related("finalized_by").defer("snapshot").first()
        )

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
    def criteria(self):
        scores = self.conclusion.criteria_scores if self.conclusion else {}
        return [(key, label, maximum, scores.get(key)) for key, label, maximum in quality_criteria()]

    @property
    def thresholds(self) -> dict[str, int]:
        return grade_thresholds()

    @property
    def default_chair(self) -> int | None:
        return default_chair(self.members)

    @property
    def notice_preview(self) -> str:
        """The warning a notice sent now would carry (shown before it is sent)."""
        return notice_warning_for(self.meeting) if self.meeting.stage == Stage.SCHEDULED else ""

    @cached_property
    def missing_steps(self) -> list[str]:
        """What still blocks finalisation; nothing once finalised."""
        return [] if self.meeting.stage == Stage.FINALIZED else meeting_missing_steps(self.meeting)

    @cached_property
    def grade(self) -> GradeVerdict:
        """Before finalising, the grade the minutes would record now; after, the recorded one."""
        conclusion = self.conclusion
        if self.minutes is not None:
            self_grade = conclusion.quality_grade if conclusion else ""
            return GradeVerdict(self_grade, self.minutes.recorded_grade or self_grade, self.minutes.grade_reasons)
        steps = [row.record for row in self.steps if row.record]
        return recorded_grade(self.meeting, self.counts, conclusion=conclusion, steps=steps)

    @cached_property
    def warnings(self) -> list[str]:
        """Before finalising, the current warnings; after, those stored on the minutes."""
        if self.meeting.stage == Stage.FINALIZED:
            return self.minutes.warnings
        return meeting_warnings(
            self.meeting, self.counts, [row.record for row in self.steps if row.record], materials=self.materials
        )

    @cached_property
    def materials(self) -> MaterialsSummary:
        """Materials receipts of the expected members (issue 17): two queries, the members reused."""
        return materials_summary(meeting=self.meeting, members=self.expected)

    def step_text(self, step: str) -> str:
        return step_text(self.meeting, step)

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
    # Few joins: PostgreSQL's planning time grows fast with each LEFT JOIN (the 14-table
    # version spent ~14 ms planning for 0.4 ms of execution). Chair and clerk come from the
    # cell's member list (see meeting_page); conclusion, resolution, minutes and the notice
    # sender are loaded when a page uses them; the topic's long texts are never shown here.
    return Meeting.objects.select_related("cell", "plan", "topic", "topic__lead_author").defer(
        "topic__search_text", "topic__lead_paper_text"
    )


def meeting_detail_queryset():
    """The meeting page's row: the base row and the number of contributions assigned."""
    assigned = (
        Contribution.objects.filter(topic_id=OuterRef("topic_id"))
        .order_by()
        .values("topic_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        meeting_base_queryset()
        .select_related("cell__follower")
        .annotate(contribution_count=Coalesce(Subquery(assigned), 0))
    )


def meeting_page(*, meeting_id: int, meeting: Meeting | None = None) -> MeetingPage:
    """One query for the meeting (none when the view already fetched it through
    `meeting_base_queryset()`), one for the cell's members (every meeting page shows the
    counts); each other part one query when first used, constant in the size of the cell."""
    if meeting is None or meeting.pk != meeting_id:
        meeting = meeting_base_queryset().get(pk=meeting_id)
    page = MeetingPage(meeting)
    meeting, by_pk = page.meeting, {m.pk: m for m in page.members}
    for name in ("chair", "clerk", "responsible"):
        member = by_pk.get(getattr(meeting, f"{name}_id"))
        if member is not None:
            Meeting._meta.get_field(name).set_cached_value(meeting, member)
    return page


def expected_member_names(*, meeting: Meeting) -> dict[int, str]:
    """{member id: full name} of the members expected at the meeting."""
    return dict(expected_members(meeting).values_list("pk", "full_name"))


def attendance_member_names(*, meeting: Meeting) -> dict[int, str]:
    """{member id: full name} of the members whose attendance may be recorded (exempt included)."""
    return dict(attendance_members(meeting).values_list("pk", "full_name"))


def meetings_for_cells(*, cell_filter: Q, year: int | None = None):
    """Meeting list rows (no per-row queries)."""
    qs = Meeting.objects.filter(cell_filter).select_related("cell", "topic", "chair", "minutes")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-quarter", "-scheduled_date", "-id")


def meeting_minutes(*, meeting_id: int):
    """The meeting's finalised minutes, or None."""
    return Minutes.objects.select_related("cell", "meeting").filter(meeting_id=meeting_id).first()


def archive_minutes(*, cell_filter: Q, year: int):
    """The year's minutes of the cells matched by `cell_filter`, with what the archive writes."""
    return (
        Minutes.objects.filter(cell_filter, year=year)
        .select_related("cell", "meeting", "meeting__topic", "meeting__topic__group", "meeting__conclusion")
        .order_by("cell__path", "number")
    )


__all__ = [
    "MeetingPage",
    "Prefetch",
    "Stage",
    "archive_minutes",
    "attendance_member_names",
    "expected_member_names",
    "meeting_base_queryset",
    "meeting_detail_queryset",
    "meeting_page",
    "meetings_for_cells",
]
