import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings import models as m
from meetings.services.members import member_create, member_transfer
from meetings.services.organizations import organization_create, organization_move
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_tree_path_and_subtree_of_any_depth():
    province = organization_create(name="Tỉnh", kind=m.OrgKind.COMMITTEE)
    bloc = organization_create(name="Khối", kind=m.OrgKind.COMMITTEE, parent=province)
    company = organization_create(name="Công ty", kind=m.OrgKind.COMMITTEE, parent=bloc)
    deep_cell = organization_create(name="Chi bộ sâu", kind=m.OrgKind.CELL, parent=company)
    shallow_cell = organization_create(name="Chi bộ nông", kind=m.OrgKind.CELL, parent=province)
    assert deep_cell.depth == 3
    assert deep_cell.path.startswith(company.path)
    assert set(m.Organization.objects.subtree(bloc).cells()) == {deep_cell}
    assert set(m.Organization.objects.subtree(province).cells()) == {deep_cell, shallow_cell}
    assert list(deep_cell.ancestors()) == [province, bloc, company]


def test_moving_a_committee_rebases_its_subtree():
    province = organization_create(name="Tỉnh", kind=m.OrgKind.COMMITTEE)
    a = organization_create(name="A", kind=m.OrgKind.COMMITTEE, parent=province)
    b = organization_create(name="B", kind=m.OrgKind.COMMITTEE, parent=province)
    cell = organization_create(name="Chi bộ", kind=m.OrgKind.CELL, parent=a)
    organization_move(organization=a, new_parent=b)
    cell.refresh_from_db()
    assert cell.path.startswith(b.path)
    assert cell.depth == 3
    assert set(m.Organization.objects.subtree(b).cells()) == {cell}


def test_cell_must_have_a_parent():
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Organization.objects.create(name="Mồ côi", kind=m.OrgKind.CELL)


def test_member_is_full_or_probationary_from_dates():
    cell = f.CellFactory()
    today = timezone.localdate()
    full = member_create(
        cell=cell,
        full_name="Nguyễn Văn An",
        joined_on=datetime.date(2020, 1, 1),
        full_member_on=datetime.date(2021, 1, 1),
    )
    probation = member_create(cell=cell, full_name="Trần Thị Bình", joined_on=today - datetime.timedelta(days=30))
    assert full.is_full and full.membership_label == "Chính thức"
    assert not probation.is_full and probation.membership_label == "Dự bị"


def test_full_member_date_cannot_precede_joining():
    cell = f.CellFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Member.objects.create(
            cell=cell,
            full_name="Lê Văn C",
            joined_on=datetime.date(2020, 1, 1),
            full_member_on=datetime.date(2019, 1, 1),
        )


def test_card_number_is_unique():
    f.MemberFactory(card_number="123")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.MemberFactory(card_number="123")


def test_member_transfer_keeps_history():
    member = member_create(cell=f.CellFactory(), full_name="Phạm Văn Dũng", joined_on=datetime.date(2020, 1, 1))
    new_cell = f.CellFactory()
    member_transfer(member=member, to_cell=new_cell, on=datetime.date(2026, 3, 1))
    history = list(member.history.order_by("started_on"))
    assert [h.cell_id for h in history] == [history[0].cell_id, new_cell.pk]
    assert history[0].ended_on == datetime.date(2026, 3, 1)
    assert history[1].ended_on is None
    member.refresh_from_db()
    assert member.cell == new_cell


def test_one_attendance_row_per_member_and_meeting():
    meeting = f.MeetingFactory()
    member = f.MemberFactory(cell=meeting.cell)
    m.Attendance.objects.create(meeting=meeting, member=member, status=m.AttendanceStatus.PRESENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Attendance.objects.create(meeting=meeting, member=member, status=m.AttendanceStatus.PRESENT)


def test_excused_absence_needs_a_reason():
    meeting = f.MeetingFactory()
    member = f.MemberFactory(cell=meeting.cell)
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Attendance.objects.create(meeting=meeting, member=member, status=m.AttendanceStatus.EXCUSED, reason="")


def test_minutes_number_may_repeat_across_years_of_one_term():
    # A committee term spans years: uniqueness of the number lives in the register
    # (IssuedNumber per series), not on the minutes row.
    meeting_a = f.MeetingFactory()
    meeting_b = f.MeetingFactory(cell=meeting_a.cell)
    now = timezone.now()
    m.Minutes.objects.create(meeting=meeting_a, cell=meeting_a.cell, year=2026, number=1, finalized_at=now)
    m.Minutes.objects.create(meeting=meeting_b, cell=meeting_a.cell, year=2027, number=1, finalized_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Minutes.objects.create(
            meeting=f.MeetingFactory(cell=meeting_a.cell), cell=meeting_a.cell, year=2027, number=0, finalized_at=now
        )


def test_notification_key_is_unique():
    kwargs = {"kind": m.NotificationKind.NOTICE, "recipient_email": "a@example.vn", "due_at": timezone.now()}
    m.Notification.objects.create(key="notice:1:1", **kwargs)
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Notification.objects.create(key="notice:1:1", **kwargs)


def test_plan_one_per_cell_and_year():
    plan = f.PlanFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.PlanFactory(cell=plan.cell, year=plan.year)


def test_resolution_valid_when_more_than_half_of_counted_full_members_vote_for():
    meeting = f.MeetingFactory()
    assert m.Resolution(meeting=meeting, text="x", votes_for=10, eligible_voters=18).is_valid
    assert not m.Resolution(meeting=meeting, text="x", votes_for=9, eligible_voters=18).is_valid
    assert not m.Resolution(meeting=meeting, text="x", votes_for=0, eligible_voters=0).is_valid


def test_every_field_has_a_vietnamese_verbose_name():
    from django.apps import apps

    for model in apps.get_app_config("meetings").get_models():
        if model.__name__.endswith("Event") and hasattr(model, "pgh_tracked_model"):
            continue  # history event tables generated by django-pghistory
        if model is m.HistoryEvent:
            continue  # a proxy of pghistory's own event list: only its name is ours
        assert model._meta.verbose_name != model.__name__.lower(), model
        for field in model._meta.get_fields():
            if field.auto_created or not getattr(field, "verbose_name", None) or field.name in {"id"}:
                continue
            if model is m.User and field.name not in {"full_name", "committee", "calendar_token"}:
                continue  # Django's own fields are translated by Django
            assert field.verbose_name != field.name.replace("_", " "), f"{model.__name__}.{field.name}"
