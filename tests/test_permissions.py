import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from meetings import permissions as p
from meetings.models import OrgKind
from meetings.services.organizations import organization_create
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_secretary_of_other_cell_gets_404_on_meeting(cell, other_secretary):
    meeting = f.MeetingFactory(cell=cell)
    with pytest.raises(Http404):
        p.meeting_for_user(other_secretary.user, meeting.pk)


def test_missing_and_foreign_objects_answer_alike(cell, other_secretary):
    meeting = f.MeetingFactory(cell=cell)
    for pk in (meeting.pk, 999_999):
        with pytest.raises(Http404):
            p.meeting_for_user(other_secretary.user, pk)


def test_secretary_manages_own_cell(secretary):
    meeting = f.MeetingFactory(cell=secretary.cell)
    assert p.meeting_for_user(secretary.user, meeting.pk, level=p.MANAGE) == meeting


def test_member_reads_but_cannot_prepare(member):
    meeting = f.MeetingFactory(cell=member.cell)
    assert p.meeting_for_user(member.user, meeting.pk) == meeting
    with pytest.raises(PermissionDenied):
        p.meeting_for_user(member.user, meeting.pk, level=p.PREPARE)


def test_committee_member_prepares_but_does_not_manage(cell):
    committee_member = f.MemberWithUserFactory(cell=cell, position="committee")
    meeting = f.MeetingFactory(cell=cell)
    assert p.meeting_for_user(committee_member.user, meeting.pk, level=p.PREPARE) == meeting
    with pytest.raises(PermissionDenied):
        p.meeting_for_user(committee_member.user, meeting.pk, level=p.MANAGE)


def test_committee_staff_see_exactly_their_subtree():
    province = organization_create(name="Tỉnh", kind=OrgKind.COMMITTEE)
    bloc = organization_create(name="Khối", kind=OrgKind.COMMITTEE, parent=province)
    company = organization_create(name="Công ty", kind=OrgKind.COMMITTEE, parent=bloc)
    ward = organization_create(name="Phường", kind=OrgKind.COMMITTEE, parent=province)
    inside = [
        organization_create(name=f"CB {i}", kind=OrgKind.CELL, parent=parent)
        for i, parent in enumerate([bloc, company, company])
    ]
    outside = organization_create(name="CB ngoài", kind=OrgKind.CELL, parent=ward)
    staff = f.StaffUserFactory(committee=bloc)
    assert set(p.cells_visible_to(staff)) == set(inside)
    with pytest.raises(Http404):
        p.meeting_for_user(staff, f.MeetingFactory(cell=outside).pk)
    meeting = f.MeetingFactory(cell=inside[2])
    assert p.meeting_for_user(staff, meeting.pk) == meeting
    top = f.StaffUserFactory(committee=province)
    assert set(p.cells_visible_to(top)) == {*inside, outside}


def test_committee_staff_never_change_cell_data(cell, staff):
    meeting = f.MeetingFactory(cell=cell)
    with pytest.raises(PermissionDenied):
        p.meeting_for_user(staff, meeting.pk, level=p.PREPARE)
    assert not p.cells_managed_by(staff).exists()


def test_anonymous_sees_nothing(cell):
    from django.contrib.auth.models import AnonymousUser

    assert not p.cells_visible_to(AnonymousUser()).exists()


def test_superuser_sees_everything(cell, other_cell):
    admin = f.UserFactory(is_superuser=True, is_staff=True)
    assert {cell, other_cell} <= set(p.cells_visible_to(admin))


def test_moved_out_member_loses_access(member):
    member.status = "moved_out"
    member.save()
    meeting = f.MeetingFactory(cell=member.cell)
    with pytest.raises(Http404):
        p.meeting_for_user(member.user, meeting.pk)
