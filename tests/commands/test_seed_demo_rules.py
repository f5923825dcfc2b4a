"""The demo data keeps the party's rules over everything seed_demo creates (issue 14, item 11):
ages at joining, 12-month probation, positions, exemptions, where and when cells meet, plans,
votes, and texts that read like a cell's own. Seeded once for the module, rolled back after."""

import datetime
import json
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import timezone

from meetings.documents.minutes import minutes_context
from meetings.management.commands._demo_texts import (
    ALL_TOPICS,
    OFFICE_ABSENCE_REASONS,
    RESIDENTIAL_ABSENCE_REASONS,
    RESIDENTIAL_TOPICS,
)
from meetings.models import (
    Attendance,
    AttendanceStatus,
    Conclusion,
    Contribution,
    DirectedTopic,
    Meeting,
    Member,
    MemberStatus,
    Minutes,
    MinutesReservation,
    Notification,
    Organization,
    OrgKind,
    Plan,
    PlanStatus,
    Position,
    Resolution,
    Speech,
    Topic,
    User,
)

pytestmark = pytest.mark.django_db

RESIDENTIAL = "Chi bộ Tổ dân phố"
ELLIPSIS = re.compile(r"…|\.\.\.")
BAD_WORDS = re.compile(r"\b(bạn|uỷ|hoá|khoá)\b", re.IGNORECASE)


def _early_next_year() -> datetime.datetime:
    # The past quarters then fall in the previous year: plans of two years, history across them.
    return timezone.make_aware(datetime.datetime(timezone.localdate().year + 1, 1, 5, 9, 0))


@pytest.fixture(scope="module", params=["today", "early-next-year"])
def demo(request, django_db_setup, django_db_blocker):
    """seed_demo run once per day tried (today, and early January of next year), inside a
    transaction rolled back at the end; the tests run on that day."""
    moment = timezone.now() if request.param == "today" else _early_next_year()
    with (
        time_machine.travel(moment, tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(DEBUG=True),
    ):
        call_command("seed_demo", verbosity=0)
        yield timezone.localdate()
        transaction.set_rollback(True)


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _residential(cell) -> bool:
    return cell.name.startswith(RESIDENTIAL)


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def test_members_join_the_party_at_18_or_older(demo):
    members = list(Member.objects.all())
    assert len(members) > 100
    young = [(m, m.date_of_birth, m.joined_on) for m in members if _age(m.date_of_birth, m.joined_on) < 18]
    assert young == []
    assert all(m.joined_on <= demo for m in members)


def _a_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return datetime.date(day.year + 1, 2, 28)


def test_probation_lasts_exactly_twelve_months(demo):
    members = list(Member.objects.all())
    probationary = [m for m in members if m.full_member_on is None]
    assert probationary, "the demo shows probationary members too"
    assert [m for m in probationary if _a_year_after(m.joined_on) <= demo] == []
    assert [m for m in members if m.full_member_on and m.full_member_on != _a_year_after(m.joined_on)] == []


def test_members_at_a_meeting_had_joined_the_party_by_then(demo):
    late = Attendance.objects.filter(
        meeting__scheduled_date__isnull=False, member__joined_on__gt=F("meeting__scheduled_date")
    )
    assert list(late.values_list("member__full_name", "meeting__scheduled_date")) == []


def test_committee_positions_only_for_full_members(demo):
    committee = list(Member.objects.exclude(position=Position.MEMBER).select_related("cell"))
    assert {m.position for m in committee} == {Position.SECRETARY, Position.DEPUTY, Position.COMMITTEE_MEMBER}
    first_meeting = min(Meeting.objects.exclude(scheduled_date=None).values_list("scheduled_date", flat=True))
    # Full members at every demo meeting, not only today.
    assert [m for m in committee if not m.is_full_member(first_meeting)] == []


def test_office_members_are_of_working_age(demo):
    office = Member.objects.filter(cell__kind=OrgKind.CELL).exclude(cell__name__startswith=RESIDENTIAL)
    assert [(m, _age(m.date_of_birth, demo)) for m in office if not 22 <= _age(m.date_of_birth, demo) <= 60] == []


def test_exempt_members_are_old_or_ill_and_the_reason_is_recorded(demo):
    exempt = list(Member.objects.filter(status=MemberStatus.EXEMPT))
    assert len(exempt) >= 6
    assert [m for m in exempt if not m.exempt_reason.strip()] == []
    ill = re.compile(r"ốm|bệnh|điều trị|tai biến", re.IGNORECASE)
    assert [m for m in exempt if _age(m.date_of_birth, demo) < 70 and not ill.search(m.exempt_reason)] == []
    assert not Member.objects.exclude(status=MemberStatus.EXEMPT).exclude(exempt_reason="").exists()


def test_residential_cells_meet_in_a_cultural_house_on_residential_topics(demo):
    meetings = list(Meeting.objects.filter(cell__name__startswith=RESIDENTIAL).select_related("topic"))
    assert meetings
    held = [m for m in meetings if m.scheduled_date]
    assert held
    assert [m.place for m in held if not m.place.startswith("Nhà văn hóa tổ dân phố")] == []
    titles = {t.title for t in RESIDENTIAL_TOPICS}
    assert {m.topic.title for m in meetings} <= titles
    reasons = set(
        Attendance.objects.filter(meeting__in=held, status=AttendanceStatus.EXCUSED).values_list("reason", flat=True)
    )
    assert reasons and reasons <= set(RESIDENTIAL_ABSENCE_REASONS)


def test_office_cells_meet_on_working_days_in_their_offices(demo):
    office = Meeting.objects.exclude(cell__name__startswith=RESIDENTIAL).exclude(scheduled_date=None)
    assert office.exists()
    assert [(m, m.scheduled_date) for m in office if m.scheduled_date.weekday() >= 5] == []
    assert not office.filter(place__icontains="Nhà văn hóa").exists()
    reasons = set(
        Attendance.objects.filter(meeting__in=office, status=AttendanceStatus.EXCUSED).values_list("reason", flat=True)
    )
    assert reasons and reasons <= set(OFFICE_ABSENCE_REASONS)


def test_every_cell_submitted_this_years_plan(demo):
    cells = Organization.objects.filter(kind=OrgKind.CELL)
    plans = {p.cell_id: p for p in Plan.objects.filter(year=demo.year)}
    assert [c for c in cells if c.pk not in plans] == []
    assert [p for p in plans.values() if p.status != PlanStatus.SUBMITTED or p.submitted_at is None] == []
    for plan in plans.values():
        assert set(plan.meetings.values_list("quarter", flat=True)) == {1, 2, 3, 4}


def test_resolutions_are_voted_by_full_members_present(demo):
    resolutions = list(Resolution.objects.select_related("meeting"))
    assert resolutions
    for resolution in resolutions:
        meeting = resolution.meeting
        full_present = Attendance.objects.filter(
            meeting=meeting,
            status=AttendanceStatus.PRESENT,
            member__full_member_on__lte=meeting.scheduled_date,
        ).count()
        votes = resolution.votes_for + resolution.votes_against + resolution.votes_abstain
        assert 0 < votes <= full_present, (meeting, votes, full_present)


def test_lead_papers_contributions_and_speeches_are_real_paragraphs(demo):
    texts = [("đề dẫn", t.lead_paper_text) for t in Topic.objects.exclude(lead_paper_text="")]
    texts += [("tham luận", c.text) for c in Contribution.objects.exclude(text="")]
    texts += [("phát biểu", s.content) for s in Speech.objects.all()]
    kinds = {kind for kind, _ in texts}
    assert kinds == {"đề dẫn", "tham luận", "phát biểu"}
    short = [(kind, text[:60]) for kind, text in texts if len(text) < 400 or len(_paragraphs(text)) < 2]
    assert short == []
    # Every held meeting's contributions were written and presented.
    assert not Contribution.objects.filter(topic__meeting__stage="finalized", text="").exists()


def _seeded_texts() -> list[str]:
    texts = []
    for topic in Topic.objects.all():
        texts += [topic.title, topic.description, topic.lead_paper_text, topic.completed_text]
    for meeting in Meeting.objects.all():
        texts += [meeting.place, meeting.programme, meeting.purpose, meeting.lead_paper_summary]
        texts += [meeting.author_response]
    for c in Conclusion.objects.all():
        texts += [c.preparation_evaluation, c.quality_evaluation, c.adopted, c.orientation]
    texts += list(Contribution.objects.values_list("subject", flat=True))
    texts += list(Contribution.objects.values_list("text", flat=True))
    texts += list(Speech.objects.values_list("content", flat=True))
    texts += list(Resolution.objects.values_list("text", flat=True))
    texts += list(MinutesReservation.objects.values_list("text", flat=True))
    texts += list(Attendance.objects.values_list("reason", flat=True))
    texts += list(Member.objects.values_list("exempt_reason", flat=True))
    texts += list(DirectedTopic.objects.values_list("title", flat=True))
    return [t for t in texts if t]


def test_no_ellipsis_or_placeholder_in_any_seeded_text(demo):
    texts = _seeded_texts()
    assert len(texts) > 200
    assert [t[:80] for t in texts if ELLIPSIS.search(t)] == []
    assert [t[:80] for t in texts if BAD_WORDS.search(t)] == []
    # No echo of the topic's title as its content: the lead papers are the texts written for it.
    lead = {t.title: t.lead_paper for t in ALL_TOPICS}
    for topic in Topic.objects.exclude(lead_paper_text=""):
        assert topic.lead_paper_text == lead[topic.title]


def test_the_rendered_minutes_have_no_ellipsis(demo):
    minutes = list(Minutes.objects.all())
    assert len(minutes) >= 10
    for m in minutes:
        assert not ELLIPSIS.search(json.dumps(m.snapshot, ensure_ascii=False))
        html = render_to_string(
            "documents/minutes.html",
            minutes_context(m.snapshot, number_label=m.number_label, verification_code=m.verification_code),
        )
        assert not ELLIPSIS.search(html), m
        assert "Nhà văn hóa" in html if _residential(m.cell) else "Nhà văn hóa" not in html


def test_a_completed_topic_a_follower_and_the_committees_names(demo):
    assert Topic.objects.exclude(completed_text="").filter(completed_at__isnull=False).exists()
    bithu_cell = User.objects.get(username="bithu").member.cell
    assert bithu_cell.follower == User.objects.get(username="capuy")
    for committee in Organization.objects.filter(kind=OrgKind.COMMITTEE):
        assert committee.committee_name and committee.standing_committee_name.startswith("Ban Thường vụ")
        assert committee.place
    cells = Organization.objects.filter(kind=OrgKind.CELL)
    assert not cells.filter(term_started_on=None).exists()
    first_plan = min(Plan.objects.values_list("year", flat=True))
    assert all(c.term_started_on < datetime.date(first_plan, 1, 1) for c in cells)


def _fingerprint() -> dict:
    models = [Organization, Member, User, Plan, Meeting, Topic, Contribution, Speech, Attendance, Minutes]
    return {
        "counts": {m.__name__: m.objects.count() for m in [*models, Notification, DirectedTopic, Resolution]},
        "members": list(Member.objects.order_by("pk").values_list("pk", "status", "position", "full_member_on")),
        "meetings": list(Meeting.objects.order_by("pk").values_list("pk", "stage", "scheduled_date", "place")),
        "plans": list(Plan.objects.order_by("pk").values_list("pk", "status", "submitted_at")),
        "orgs": list(Organization.objects.order_by("pk").values_list("pk", "follower_id", "committee_name")),
    }


def test_running_seed_demo_again_changes_nothing(demo):
    before = _fingerprint()
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    assert _fingerprint() == before
