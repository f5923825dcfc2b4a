"""Exemplary topics: committee staff above a cell mark its finished topic; the library of every
cell under that committee then shows it; a cell's committee starts a new topic from it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from meetings import models as m
from meetings.periods import quarter_of
from meetings.selectors.library import library_topic, library_topics
from meetings.services.organizations import organization_create
from meetings.services.topics_exemplary import (
    topic_create_from_exemplary,
    topic_mark_exemplary,
    topic_unmark_exemplary,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


class Tree:
    """Province → bloc → (cell, sister cell); province → ward → far cell."""

    def __init__(self):
        self.province = organization_create(name="Đảng bộ tỉnh", kind=m.OrgKind.COMMITTEE, email="t@example.vn")
        self.bloc = organization_create(
            name="Đảng bộ Khối các cơ quan tỉnh", kind=m.OrgKind.COMMITTEE, parent=self.province, email="k@example.vn"
        )
        self.ward = organization_create(
            name="Đảng bộ phường", kind=m.OrgKind.COMMITTEE, parent=self.province, email="p@example.vn"
        )
        self.cell = organization_create(name="Chi bộ Văn phòng", kind=m.OrgKind.CELL, parent=self.bloc)
        self.sister = organization_create(name="Chi bộ Tài chính", kind=m.OrgKind.CELL, parent=self.bloc)
        self.far = organization_create(name="Chi bộ Tổ dân phố", kind=m.OrgKind.CELL, parent=self.ward)
        self.bloc_staff = f.StaffUserFactory(committee=self.bloc)
        self.province_staff = f.StaffUserFactory(committee=self.province)
        self.ward_staff = f.StaffUserFactory(committee=self.ward)
        self.secretary = f.SecretaryFactory(cell=self.cell, full_name="Nguyễn Văn Bí")
        self.sister_secretary = f.SecretaryFactory(cell=self.sister, full_name="Đỗ Văn Khác")
        self.topic = finished_topic(self.cell)


def finished_topic(cell, title="Tự soi, tự sửa") -> m.Topic:
    topic = f.TopicFactory(
        cell=cell,
        title=title,
        description="Giúp đảng viên nhận thức đầy đủ.",
        lead_paper_text="<p>Nội dung đề dẫn mẫu.</p>",
        lead_paper_status=m.LeadPaperStatus.APPROVED,
        completed_text="<p>Bản hoàn chỉnh.</p>",
    )
    f.ContributionFactory(topic=topic, subject="Liên hệ bản thân")
    f.MeetingFactory(cell=cell, topic=topic, stage="finalized", scheduled_date=timezone.localdate())
    return topic


@pytest.fixture
def tree():
    return Tree()


def test_committee_staff_above_the_cell_mark_a_finished_topic(tree):
    mark = topic_mark_exemplary(topic=tree.topic, actor=tree.bloc_staff, reason="  Chuẩn bị   công phu ")
    assert (mark.committee, mark.marked_by, mark.reason) == (tree.bloc, tree.bloc_staff, "Chuẩn bị công phu")
    assert m.Activity.objects.filter(topic=tree.topic, action__contains="chuyên đề tiêu biểu").exists()


def test_marking_again_rewords_the_reason_without_a_second_mark(tree):
    topic_mark_exemplary(topic=tree.topic, actor=tree.bloc_staff, reason="Lần đầu")
    topic_mark_exemplary(topic=tree.topic, actor=tree.bloc_staff, reason="Lần hai")
    assert list(m.ExemplaryTopic.objects.values_list("reason", flat=True)) == ["Lần hai"]


def test_a_higher_committee_marks_for_its_whole_subtree(tree):
    mark = topic_mark_exemplary(topic=tree.topic, actor=tree.province_staff, reason="")
    assert mark.committee == tree.province


def test_staff_of_a_committee_elsewhere_are_refused(tree):
    with pytest.raises(PermissionDenied):
        topic_mark_exemplary(topic=tree.topic, actor=tree.ward_staff, reason="")
    assert not m.ExemplaryTopic.objects.exists()


def test_secretaries_and_members_are_refused(tree):
    for user in (tree.secretary.user, tree.sister_secretary.user):
        with pytest.raises(PermissionDenied):
            topic_mark_exemplary(topic=tree.topic, actor=user, reason="")


def test_a_topic_whose_meeting_is_not_finalised_is_refused(tree):
    topic = f.TopicFactory(cell=tree.cell)
    f.MeetingFactory(cell=tree.cell, topic=topic, stage="held")
    with pytest.raises(ValidationError, match="đã hoàn tất biên bản"):
        topic_mark_exemplary(topic=topic, actor=tree.bloc_staff, reason="")


def test_a_too_long_reason_is_refused(tree):
    with pytest.raises(ValidationError):
        topic_mark_exemplary(topic=tree.topic, actor=tree.bloc_staff, reason="x" * 501)


def test_unmark_removes_only_the_committees_own_mark(tree):
    topic_mark_exemplary(topic=tree.topic, actor=tree.bloc_staff, reason="")
    topic_mark_exemplary(topic=tree.topic, actor=tree.province_staff, reason="")
    topic_unmark_exemplary(topic=tree.topic, actor=tree.bloc_staff)
    assert list(m.ExemplaryTopic.objects.values_list("committee", flat=True)) == [tree.province.pk]
    with pytest.raises(ValidationError):
        topic_unmark_exemplary(topic=tree.topic, actor=tree.bloc_staff)


def test_the_topic_itself_is_not_changed_by_a_mark(tree):
    before = m.Topic.objects.filter(pk=tree.topic.pk).values().get()
    topic_mark_exemplary(topic=tree.topic, actor=tree.bloc_staff, reason="")
    assert m.Topic.objects.filter(pk=tree.topic.pk).values().get() == before


# --- The library -----------------------------------------------------------------------------


def _library(cell):
    return {t.pk: t.is_exemplary for t in library_topics(cell_id=cell.pk, cell_path=cell.path)}


def test_the_library_of_every_cell_under_the_committee_shows_it_marked(tree):
    assert tree.topic.pk not in _library(tree.sister)
    topic_mark_exemplary(topic=tree.topic, actor=tree.bloc_staff, reason="")
    assert _library(tree.sister)[tree.topic.pk] is True
    assert _library(tree.cell)[tree.topic.pk] is True  # its own cell sees the badge too
    assert tree.topic.pk not in _library(tree.far)  # under another committee


def test_a_province_mark_reaches_cells_under_every_bloc(tree):
    topic_mark_exemplary(topic=tree.topic, actor=tree.province_staff, reason="")
    assert _library(tree.far)[tree.topic.pk] is True


def test_unmarked_topics_of_other_cells_stay_out_of_the_library(tree):
    finished_topic(tree.sister, title="Chuyên đề của chi bộ khác")
    assert _library(tree.cell) == {tree.topic.pk: False}


def test_library_topic_names_the_marks_and_refuses_what_the_cell_may_not_read(tree):
    topic_mark_exemplary(topic=tree.topic, actor=tree.bloc_staff, reason="Chuẩn bị tốt")
    topic = library_topic(cell_id=tree.sister.pk, pk=tree.topic.pk, cell_path=tree.sister.path)
    assert [mark.reason for mark in topic.marks] == ["Chuẩn bị tốt"]
    assert library_topic(cell_id=tree.far.pk, pk=tree.topic.pk, cell_path=tree.far.path) is None


# --- A new topic from an exemplary one -------------------------------------------------------


def test_a_secretary_starts_a_draft_topic_of_their_cell_from_it(tree):
    topic_mark_exemplary(topic=tree.topic, actor=tree.bloc_staff, reason="")
    new = topic_create_from_exemplary(
        source_id=tree.topic.pk, cell=tree.sister, actor=tree.sister_secretary.user, quarter=4
    )
    new.refresh_from_db()
    assert new.pk != tree.topic.pk
    assert (new.cell, new.title, new.group, new.description) == (
        tree.sister,
        tree.topic.title,
        tree.topic.group,
        tree.topic.description,
    )
    assert new.lead_paper_text == tree.topic.lead_paper_text
    assert (new.lead_author, new.lead_paper_status) == (tree.sister_secretary, m.LeadPaperStatus.ASSIGNED)
    assert not new.completed_text and not new.contributions.exists() and not new.lead_paper_file
    meeting = new.meeting
    assert (meeting.stage, meeting.quarter, meeting.year) == ("planned", 4, timezone.localdate().year)
    assert meeting.plan.cell == tree.sister
    # The source is untouched and stays exemplary.
    assert m.Topic.objects.get(pk=tree.topic.pk).cell == tree.cell


def test_the_quarter_defaults_to_this_one(tree):
    topic_mark_exemplary(topic=tree.topic, actor=tree.bloc_staff, reason="")
    new = topic_create_from_exemplary(source_id=tree.topic.pk, cell=tree.sister, actor=tree.sister_secretary.user)
    assert new.meeting.quarter == quarter_of(timezone.localdate())


def test_a_plain_member_cannot_start_a_topic(tree):
    topic_mark_exemplary(topic=tree.topic, actor=tree.bloc_staff, reason="")
    member = f.MemberWithUserFactory(cell=tree.sister)
    with pytest.raises(PermissionDenied):
        topic_create_from_exemplary(source_id=tree.topic.pk, cell=tree.sister, actor=member.user)


def test_a_topic_outside_the_cells_library_cannot_be_a_template(tree):
    with pytest.raises(ValidationError):
        topic_create_from_exemplary(source_id=tree.topic.pk, cell=tree.sister, actor=tree.sister_secretary.user)
    assert not m.Topic.objects.filter(cell=tree.sister).exists()
