import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Contribution, TopicGroup
from meetings.services.plans import plan_add_meeting, plan_create
from meetings.services.topics import (
    contribution_assign,
    contribution_unassign,
    topic_assign_lead_author,
    topic_create,
    topic_return_lead_paper,
    topic_submit_lead_paper,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_topic_from_directed_topic_of_parent_takes_title_and_group(cell, committee, secretary):
    directed = f.DirectedTopicFactory(committee=committee, year=2026, title="Tự soi, tự sửa")
    topic = topic_create(cell=cell, year=2026, actor=secretary.user, directed_topic=directed)
    assert topic.title == "Tự soi, tự sửa" and topic.group == directed.group


def test_own_topic_needs_title_and_group(cell, secretary):
    with pytest.raises(ValidationError):
        topic_create(cell=cell, year=2026, actor=secretary.user, title="")
    with pytest.raises(ValidationError):
        topic_create(cell=cell, year=2026, actor=secretary.user, title="X")


def test_lead_author_from_other_cell_refused(cell, secretary, other_secretary):
    topic = topic_create(cell=cell, year=2026, actor=secretary.user, title="X", group=TopicGroup.objects.first())
    with pytest.raises(ValidationError, match="không thuộc chi bộ"):
        topic_assign_lead_author(topic=topic, actor=secretary.user, author=other_secretary)


def test_upload_checks_type_by_content(cell, secretary):
    topic = topic_create(cell=cell, year=2026, actor=secretary.user, title="X", group=TopicGroup.objects.first())
    topic_assign_lead_author(topic=topic, actor=secretary.user, author=secretary)
    fake = SimpleUploadedFile("a.pdf", b"MZ not a pdf")
    with pytest.raises(ValidationError, match="không đúng định dạng"):
        topic_submit_lead_paper(topic=topic, actor=secretary.user, file=fake)
    topic = topic_submit_lead_paper(topic=topic, actor=secretary.user, text="x")
    topic = topic_return_lead_paper(topic=topic, actor=secretary.user, comment="Bổ sung số liệu")
    assert topic.lead_paper_status == "assigned"


def test_contribution_due_after_meeting_date_refused(cell, secretary):
    plan = plan_create(cell=cell, year=2026, actor=secretary.user)
    meeting = plan_add_meeting(plan=plan, actor=secretary.user, quarter=4, title="X", group=TopicGroup.objects.first())
    meeting.scheduled_date = datetime.date(2026, 11, 10)
    meeting.save()
    member = f.MemberFactory(cell=cell)
    with pytest.raises(ValidationError, match="phải trước ngày họp"):
        contribution_assign(
            topic=meeting.topic, actor=secretary.user, member=member, subject="A", due_on=datetime.date(2026, 11, 12)
        )
    c = contribution_assign(
        topic=meeting.topic, actor=secretary.user, member=member, subject="A", due_on=datetime.date(2026, 11, 8)
    )
    with pytest.raises(ValidationError, match="đã được phân công"):
        contribution_assign(topic=meeting.topic, actor=secretary.user, member=member, subject="A")
    contribution_unassign(contribution=c, actor=secretary.user)
    assert not Contribution.objects.exists()
