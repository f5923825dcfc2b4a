import pytest
from django.core.exceptions import ValidationError

from meetings.models import Activity, Meeting, PlanStatus, TopicGroup
from meetings.services.plans import plan_add_meeting, plan_create, plan_reopen, plan_submit
from meetings.workflow import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_plan_once_per_cell_and_year(cell, secretary):
    plan_create(cell=cell, year=2026, actor=secretary.user)
    with pytest.raises(ValidationError, match="đã có kế hoạch"):
        plan_create(cell=cell, year=2026, actor=secretary.user)


def test_add_planned_meeting_creates_topic_and_meeting(cell, secretary):
    plan = plan_create(cell=cell, year=2026, actor=secretary.user)
    meeting = plan_add_meeting(
        plan=plan,
        actor=secretary.user,
        quarter=2,
        planned_month=5,
        title="Riêng",
        group=TopicGroup.objects.get(number=4),
        responsible=secretary,
    )
    assert meeting.stage == Stage.PLANNED and meeting.topic.cell == cell and meeting.year == 2026
    assert Activity.objects.filter(meeting=meeting).exists()


def test_responsible_from_other_cell_refused(cell, secretary, other_secretary):
    plan = plan_create(cell=cell, year=2026, actor=secretary.user)
    with pytest.raises(ValidationError, match="không thuộc chi bộ"):
        plan_add_meeting(
            plan=plan,
            actor=secretary.user,
            quarter=1,
            title="X",
            group=TopicGroup.objects.first(),
            responsible=other_secretary,
        )


def test_submit_needs_a_meeting_and_records_who_when(cell, secretary):
    plan = plan_create(cell=cell, year=2026, actor=secretary.user)
    with pytest.raises(ValidationError, match="chưa có buổi"):
        plan_submit(plan=plan, actor=secretary.user)
    plan_add_meeting(plan=plan, actor=secretary.user, quarter=1, title="X", group=TopicGroup.objects.first())
    plan = plan_submit(plan=plan, actor=secretary.user)
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_by == secretary.user and plan.submitted_at
    with pytest.raises(ValidationError):
        plan_submit(plan=plan, actor=secretary.user)
    assert plan_reopen(plan=plan, actor=secretary.user).status == PlanStatus.DRAFT


def test_directed_topic_of_unrelated_committee_refused(cell, secretary):
    plan = plan_create(cell=cell, year=2026, actor=secretary.user)
    foreign = f.DirectedTopicFactory(committee=f.CommitteeFactory(), year=2026)
    with pytest.raises(ValidationError, match="không do cấp ủy cấp trên"):
        plan_add_meeting(plan=plan, actor=secretary.user, quarter=1, directed_topic=foreign)
    assert not Meeting.objects.exists()
