"""The cell's register of outgoing documents: numbers per kind, per cell, per committee term."""

import datetime
import importlib
import os
import threading

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from meetings import models as m
from meetings.models import DocumentKind, DocumentSeries, IssuedNumber, PlanStatus, TopicGroup
from meetings.services import meetings as meeting_svc
from meetings.services.minutes import minutes_create
from meetings.services.numbering import cell_document_settings_update, document_number_issue
from meetings.services.organizations import organization_committee_names_update
from meetings.services.plans import plan_add_meeting, plan_create, plan_reopen, plan_submit
from meetings.services.topics import topic_approve_lead_paper, topic_assign_lead_author, topic_submit_lead_paper
from meetings.workflow import Stage
from tests import factories as f
from tests.documents.builders import recorded_meeting

DAY = datetime.date(2026, 8, 3)


def issue(cell, kind, on=DAY, title="Văn bản"):
    with transaction.atomic():
        return document_number_issue(cell=cell, kind=kind, actor=None, title=title, on=on).number


@pytest.mark.django_db
class TestIssue:
    def test_numbers_are_consecutive_per_kind(self, cell):
        assert [issue(cell, "BB") for _ in range(3)] == [1, 2, 3]
        assert [issue(cell, "TB") for _ in range(2)] == [1, 2]
        assert issue(cell, "KH") == 1
        assert issue(cell, "BB") == 4

    def test_each_cell_has_its_own_series(self, cell, other_cell):
        issue(cell, "TB")
        issue(cell, "TB")
        assert issue(other_cell, "TB") == 1

    def test_cell_without_term_restarts_each_year(self, cell):
        assert issue(cell, "TB", on=datetime.date(2026, 12, 30)) == 1
        assert issue(cell, "TB", on=datetime.date(2026, 12, 31)) == 2
        assert issue(cell, "TB", on=datetime.date(2027, 1, 2)) == 1

    def test_term_spans_years_and_new_term_restarts_at_01(self, cell):
        m.Organization.objects.filter(pk=cell.pk).update(term_started_on=datetime.date(2025, 6, 1))
        assert issue(cell, "BB", on=datetime.date(2025, 12, 30)) == 1
        # The cell object passed in is stale: the stored term decides.
        assert issue(cell, "BB", on=datetime.date(2026, 3, 1)) == 2
        m.Organization.objects.filter(pk=cell.pk).update(term_started_on=datetime.date(2027, 10, 1))
        assert issue(cell, "BB", on=datetime.date(2027, 10, 5)) == 1
        assert issue(cell, "BB", on=datetime.date(2027, 11, 5)) == 2

    def test_first_number_is_honoured(self, cell):
        DocumentSeries.objects.create(cell=cell, kind="TB", term_started_on=datetime.date(2026, 1, 1), first_number=5)
        assert [issue(cell, "TB"), issue(cell, "TB")] == [5, 6]

    def test_register_records_title_author_and_time(self, cell, secretary):
        with transaction.atomic():
            issued = document_number_issue(
                cell=cell, kind="KH", actor=secretary.user, title="  Kế hoạch   năm 2026 ", on=DAY
            )
        assert (issued.label, issued.title, issued.issued_by) == ("01-KH/CB", "Kế hoạch năm 2026", secretary.user)
        assert issued.issued_at is not None

    def test_a_rolled_back_issue_leaves_no_gap(self, cell):
        with pytest.raises(RuntimeError), transaction.atomic():
            document_number_issue(cell=cell, kind="BB", actor=None, title="x", on=DAY)
            raise RuntimeError("the document failed")
        assert issue(cell, "BB") == 1

    def test_unknown_kind_is_a_programming_error(self, cell):
        with pytest.raises(ValueError):
            document_number_issue(cell=cell, kind="XX", actor=None, title="", on=DAY)


@pytest.mark.django_db
class TestSettings:
    @time_machine.travel(datetime.datetime(2026, 8, 3, 9, tzinfo=datetime.UTC), tick=False)
    def test_secretary_sets_term_and_first_numbers(self, cell, secretary):
        cell_document_settings_update(
            cell=cell,
            actor=secretary.user,
            term_started_on=datetime.date(2025, 6, 20),
            first_numbers={"BB": 12, "TB": 30, "KH": None, "BC": 1},
        )
        cell.refresh_from_db()
        assert cell.term_started_on == datetime.date(2025, 6, 20)
        assert issue(cell, "BB") == 12
        assert issue(cell, "TB") == 30
        assert issue(cell, "KH") == 1
        assert m.Activity.objects.filter(cell=cell, action__startswith="Cập nhật sổ văn bản").exists()

    @time_machine.travel(datetime.datetime(2026, 8, 3, 9, tzinfo=datetime.UTC), tick=False)
    def test_first_number_is_fixed_once_a_number_was_issued(self, cell, secretary):
        issue(cell, "TB")
        with pytest.raises(ValidationError) as exc:
            cell_document_settings_update(
                cell=cell, actor=secretary.user, term_started_on=None, first_numbers={"BB": 4, "TB": 9}
            )
        assert "không thể đổi số bắt đầu" in exc.value.message_dict["first_TB"][0]
        # Nothing saved, not even the valid change of BB.
        assert not DocumentSeries.objects.filter(cell=cell, kind="BB", first_number=4).exists()
        assert issue(cell, "TB") == 2
        # Unchanged value is not a change.
        cell_document_settings_update(cell=cell, actor=secretary.user, term_started_on=None, first_numbers={"TB": 1})

    @time_machine.travel(datetime.datetime(2026, 8, 3, 9, tzinfo=datetime.UTC), tick=False)
    def test_new_term_may_set_its_own_first_number(self, cell, secretary):
        issue(cell, "BB")
        cell_document_settings_update(
            cell=cell, actor=secretary.user, term_started_on=datetime.date(2026, 7, 1), first_numbers={"BB": 3}
        )
        assert issue(cell, "BB") == 3

    @time_machine.travel(datetime.datetime(2026, 8, 3, 9, tzinfo=datetime.UTC), tick=False)
    def test_bad_values_are_refused_in_vietnamese_and_nothing_saved(self, cell, secretary):
        with pytest.raises(ValidationError) as exc:
            cell_document_settings_update(
                cell=cell, actor=secretary.user, term_started_on=datetime.date(2026, 9, 1), first_numbers={"BB": 0}
            )
        errors = exc.value.message_dict
        assert "không được sau ngày hôm nay" in errors["term_started_on"][0]
        assert "Số bắt đầu phải từ 1" in errors["first_BB"][0]
        cell.refresh_from_db()
        assert cell.term_started_on is None
        assert not DocumentSeries.objects.filter(cell=cell).exists()

    def test_committee_names_belong_to_the_committee(self, committee, cell, secretary):
        with pytest.raises(ValidationError, match="Chỉ cán bộ của cấp ủy"):
            organization_committee_names_update(
                organization=committee, actor=secretary.user, committee_name="X", standing_committee_name="Y"
            )
        staff = f.StaffUserFactory(committee=committee)
        organization_committee_names_update(
            organization=committee,
            actor=staff,
            committee_name=" Đảng ủy Khối  các cơ quan tỉnh ",
            standing_committee_name="Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh",
        )
        committee.refresh_from_db()
        assert committee.committee_name == "Đảng ủy Khối các cơ quan tỉnh"
        assert cell.parent.addressee_name == "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh"
        with pytest.raises(ValidationError, match="Chỉ đảng bộ"):
            organization_committee_names_update(
                organization=cell, actor=staff, committee_name="X", standing_committee_name=""
            )


@pytest.mark.django_db
class TestMinutes:
    def test_minutes_take_the_next_bb_number_and_enter_the_register(self, cell):
        numbers = [minutes_create(meeting=recorded_meeting(cell, n_members=3, n_speeches=1), actor=None) for _ in "ab"]
        assert [mn.number for mn in numbers] == [1, 2]
        register = IssuedNumber.objects.filter(series__cell=cell, series__kind="BB").order_by("number")
        assert [r.number for r in register] == [1, 2]
        assert register[0].title == "Biên bản sinh hoạt chuyên đề: Tự soi, tự sửa"

    def test_minutes_freeze_the_superior_committee_names(self, committee, cell):
        m.Organization.objects.filter(pk=committee.pk).update(
            name="Đảng bộ Khối các cơ quan tỉnh", standing_committee_name="Ban Thường vụ Đảng ủy Khối CCQ tỉnh"
        )
        minutes = minutes_create(meeting=recorded_meeting(cell, n_members=3, n_speeches=1), actor=None)
        assert minutes.snapshot["superior_name"] == "Đảng bộ Khối các cơ quan tỉnh"
        assert minutes.snapshot["superior_committee_name"] == "Đảng ủy Khối các cơ quan tỉnh"
        assert minutes.snapshot["superior_addressee_name"] == "Ban Thường vụ Đảng ủy Khối CCQ tỉnh"

    def test_minutes_continue_the_first_number(self, cell):
        DocumentSeries.objects.create(cell=cell, kind="BB", term_started_on=datetime.date(2026, 1, 1), first_number=8)
        minutes = minutes_create(meeting=recorded_meeting(cell, n_members=3, n_speeches=1), actor=None)
        assert minutes.number_label == "08-BB/CB"

    def test_migration_backfill_continues_the_numbering(self, cell):
        now = timezone.now()
        for year, number in ((2025, 1), (2025, 2), (2026, 1)):
            m.Minutes.objects.create(
                meeting=f.MeetingFactory(cell=cell),
                cell=cell,
                year=year,
                number=number,
                finalized_at=now,
                snapshot={"kind_label": "Sinh hoạt chuyên đề", "topic_title": "Chuyên đề cũ"},
            )
        migration = importlib.import_module("meetings.migrations.0016_document_numbers")
        migration.backfill_minutes_register(apps, None)
        migration.backfill_minutes_register(apps, None)  # running twice adds nothing
        assert IssuedNumber.objects.filter(series__cell=cell).count() == 3
        assert IssuedNumber.objects.get(series__term_started_on=datetime.date(2025, 1, 1), number=2).title == (
            "Biên bản sinh hoạt chuyên đề: Chuyên đề cũ"
        )
        assert issue(cell, "BB", on=datetime.date(2026, 5, 1)) == 2
        assert issue(cell, "BB", on=datetime.date(2025, 12, 1)) == 3


def _schedule(meeting, user, author, date, place="Hội trường"):
    topic_assign_lead_author(topic=meeting.topic, actor=user, author=author, due=date - datetime.timedelta(days=3))
    topic_submit_lead_paper(topic=meeting.topic, actor=user, text="Nội dung đề dẫn")
    topic_approve_lead_paper(topic=meeting.topic, actor=user)
    meeting = meeting_svc.meeting_transition(meeting=meeting, actor=user, target=Stage.PREPARING)
    meeting = meeting_svc.meeting_schedule(
        meeting=meeting, actor=user, version=None, scheduled_date=date, start_time=datetime.time(8), place=place
    )
    return meeting_svc.meeting_transition(meeting=meeting, actor=user, target=Stage.SCHEDULED)


@pytest.fixture
def on_3_august():
    with time_machine.travel(datetime.datetime(2026, 8, 3, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def planned(on_3_august, cell, secretary):
    """Two planned meetings of the cell, in the second half of the month so both can be noticed."""
    plan = plan_create(cell=cell, year=2026, actor=secretary.user)
    group = TopicGroup.objects.get(number=1)
    return [
        plan_add_meeting(plan=plan, actor=secretary.user, quarter=3, title=f"Chuyên đề {i}", group=group)
        for i in (1, 2)
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("on_3_august")
class TestNotice:
    def test_notice_takes_a_tb_number_the_first_time_only(self, planned, secretary):
        first = _schedule(planned[0], secretary.user, secretary, datetime.date(2026, 8, 20))
        first = meeting_svc.meeting_send_notice(meeting=first, actor=secretary.user)
        assert (first.notice_number, first.notice_number_label) == (1, "01-TB/CB")
        # Back to scheduled and noticed again: the same notice, the same number.
        first = meeting_svc.meeting_transition(meeting=first, actor=secretary.user, target=Stage.SCHEDULED)
        first = meeting_svc.meeting_send_notice(meeting=first, actor=secretary.user)
        assert first.notice_number == 1
        second = _schedule(planned[1], secretary.user, secretary, datetime.date(2026, 8, 25))
        second = meeting_svc.meeting_send_notice(meeting=second, actor=secretary.user)
        assert second.notice_number == 2
        assert IssuedNumber.objects.filter(series__kind=DocumentKind.NOTICE).count() == 2
        first.refresh_from_db()
        assert first.notice_number == 1

    def test_notice_without_a_signer_is_refused_and_nothing_saved(self, planned, secretary):
        meeting = _schedule(planned[0], secretary.user, secretary, datetime.date(2026, 8, 20))
        m.Member.objects.filter(pk=secretary.pk).update(position=m.Position.MEMBER)
        with pytest.raises(ValidationError, match="chưa có Bí thư hoặc Phó Bí thư"):
            meeting_svc.meeting_send_notice(meeting=meeting, actor=secretary.user)
        meeting.refresh_from_db()
        assert (meeting.stage, meeting.notice_number) == (Stage.SCHEDULED, None)
        assert not IssuedNumber.objects.exists()

    def test_notice_without_place_is_refused(self, planned, secretary):
        meeting = _schedule(planned[0], secretary.user, secretary, datetime.date(2026, 8, 20))
        m.Meeting.objects.filter(pk=meeting.pk).update(place="")
        with pytest.raises(ValidationError, match="chưa đủ ngày, giờ và địa điểm"):
            meeting_svc.meeting_send_notice(meeting=meeting, actor=secretary.user)
        assert not IssuedNumber.objects.exists()

    def test_deputy_is_enough_to_sign(self, planned, secretary, cell):
        meeting = _schedule(planned[0], secretary.user, secretary, datetime.date(2026, 8, 20))
        m.Member.objects.filter(pk=secretary.pk).update(position=m.Position.DEPUTY)
        assert meeting_svc.meeting_send_notice(meeting=meeting, actor=secretary.user).notice_number == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("on_3_august")
class TestPlan:
    def test_plan_takes_a_kh_number_and_keeps_it_when_resubmitted(self, planned, secretary):
        plan = planned[0].plan
        plan = plan_submit(plan=plan, actor=secretary.user)
        assert (plan.status, plan.number, plan.number_label) == (PlanStatus.SUBMITTED, 1, "01-KH/CB")
        plan = plan_reopen(plan=plan, actor=secretary.user)
        plan = plan_submit(plan=plan, actor=secretary.user)
        assert plan.number == 1
        assert IssuedNumber.objects.filter(series__kind=DocumentKind.PLAN).count() == 1

    def test_plans_of_the_term_are_numbered_in_turn(self, cell, secretary, planned):
        plan_submit(plan=planned[0].plan, actor=secretary.user)
        group = TopicGroup.objects.get(number=1)
        next_year = plan_create(cell=cell, year=2027, actor=secretary.user)
        plan_add_meeting(plan=next_year, actor=secretary.user, quarter=1, title="Chuyên đề 2027", group=group)
        assert plan_submit(plan=next_year, actor=secretary.user).number == 2

    def test_plan_without_a_signer_is_refused_and_nothing_saved(self, planned, secretary):
        m.Member.objects.filter(pk=secretary.pk).update(position=m.Position.COMMITTEE_MEMBER)
        with pytest.raises(ValidationError, match="chưa có Bí thư hoặc Phó Bí thư để ký kế hoạch"):
            plan_submit(plan=planned[0].plan, actor=secretary.user)
        plan = m.Plan.objects.get(pk=planned[0].plan_id)
        assert (plan.status, plan.number) == (PlanStatus.DRAFT, None)
        assert not IssuedNumber.objects.exists()


# --- the lock, on PostgreSQL ----------------------------------------------------------------


def _require_postgres():
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but the database is not PostgreSQL")
        pytest.skip("needs PostgreSQL row locks (set DATABASE_URL to a PostgreSQL database)")


def _race(targets):
    barrier = threading.Barrier(len(targets))
    results, errors = [], []

    def run(target):
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                results.append(target())
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("kind", ["BB", "TB", "KH", "BC"])
def test_concurrent_issues_get_consecutive_numbers_from_a_new_series(kind):
    _require_postgres()
    committee = f.CommitteeFactory(name="Đảng bộ Khối")
    cell = f.CellFactory(name="Chi bộ Song song", parent=committee)

    def one():
        return document_number_issue(cell=cell, kind=kind, actor=None, title="x", on=DAY).number

    numbers, errors = _race([one] * 6)
    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6]
    assert DocumentSeries.objects.filter(cell=cell, kind=kind).count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@time_machine.travel(datetime.datetime(2026, 8, 3, 9, tzinfo=datetime.UTC), tick=False)
def test_concurrent_plan_submissions_and_notices_get_consecutive_numbers():
    _require_postgres()
    for number, name in m.TOPIC_GROUPS:  # a previous transactional test may have flushed them
        m.TopicGroup.objects.get_or_create(number=number, defaults={"name": name})
    committee = f.CommitteeFactory(name="Đảng bộ Khối")
    cell = f.CellFactory(name="Chi bộ Song song", parent=committee)
    secretary = f.SecretaryFactory(cell=cell)
    f.MemberFactory(cell=cell)
    group = m.TopicGroup.objects.get(number=1)
    today = timezone.localdate()
    plans = []
    for year in (2030, 2031, 2032):
        plan = plan_create(cell=cell, year=year, actor=secretary.user)
        plan_add_meeting(plan=plan, actor=secretary.user, quarter=1, title=f"Chuyên đề {year}", group=group)
        plans.append(plan)
    this_year = plan_create(cell=cell, year=today.year, actor=secretary.user)
    meetings = []
    for i in range(3):
        meeting = plan_add_meeting(
            plan=this_year,
            actor=secretary.user,
            quarter=(today.month - 1) // 3 + 1,
            title=f"Buổi {i}",
            group=group,
        )
        meetings.append(_schedule(meeting, secretary.user, secretary, today + datetime.timedelta(days=5 + i)))

    def submit(plan):
        return lambda: plan_submit(plan=plan, actor=secretary.user).number

    def notice(meeting):
        return lambda: meeting_svc.meeting_send_notice(meeting=meeting, actor=secretary.user).notice_number

    _, errors = _race([submit(p) for p in plans] + [notice(mt) for mt in meetings])
    assert errors == []
    assert sorted(m.Plan.objects.filter(cell=cell, number__isnull=False).values_list("number", flat=True)) == [1, 2, 3]
    assert sorted(
        m.Meeting.objects.filter(cell=cell).exclude(notice_number=None).values_list("notice_number", flat=True)
    ) == [1, 2, 3]
