"""The rendered-page cache: trigger-kept versions and the pages that use them (PostgreSQL)."""

import datetime

import pgtrigger
import pytest
from django.apps import apps
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import IntegrityError, connection, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from meetings import pagecache
from meetings.models.pagecache import CellBump, ScopeBump
from meetings.services.compliance import compliance_refresh
from meetings.services.replies import attendance_reply_set
from meetings.services.topics import contribution_assign
from meetings.workflow import Stage
from tests import factories as f
from tests.dashboard_tree import QUARTER, YEAR, build_tree, finalized_meeting

pytestmark = [pytest.mark.django_db, pytest.mark.services]


def version(scope: str) -> int:
    return pagecache.scope_versions([scope])[0]


def changes(scope: str, action) -> bool:
    before = version(scope)
    action()
    return version(scope) != before


# --- the triggers ---------------------------------------------------------------------------


def test_every_cell_table_is_covered():
    """Every model with a foreign key to a cell, a meeting, a topic or minutes bumps its cell
    (or, for the roll-ups, the dashboard): a new table cannot be forgotten silently."""
    covered_cell = {model for model, trigger in pgtrigger.registered() if isinstance(trigger, CellBump)}
    covered_scope = {model for model, trigger in pgtrigger.registered() if isinstance(trigger, ScopeBump)}
    covered_dashboard = {
        model for model, trigger in pgtrigger.registered() if trigger.name.startswith("pagebump_dashboard")
    }
    parents = {m.Organization, m.Meeting, m.Topic, m.Minutes, m.Member}
    # The outbox is not shown on cached pages; accounts bump the global scope (names, rights).
    exempt = {m.Notification, m.User, m.UserSession}
    for model in apps.get_app_config("meetings").get_models():
        if model.__module__.endswith("models") and "Event" in model.__name__:
            continue  # pghistory's event tables are not shown on pages
        fks = {field.related_model for field in model._meta.fields if field.is_relation}
        if fks & parents and model not in exempt:
            assert model in covered_cell | covered_scope | covered_dashboard, model
    assert covered_dashboard == {m.ComplianceSummary, m.OrgQuarterStats, m.Member}
    assert m.Member in covered_cell and m.Organization in covered_scope


def test_writes_bump_their_cell_and_only_theirs(cell, other_cell, secretary, member):
    meeting = f.MeetingFactory(cell=cell)
    scope, other = pagecache.cell_scope(cell.pk), pagecache.cell_scope(other_cell.pk)
    before_other = version(other)
    assert changes(scope, lambda: m.Guest.objects.create(meeting=meeting, name="Khách", title="Đại biểu"))
    assert changes(
        scope,
        lambda: m.Attendance.objects.create(meeting=meeting, member=member, status=m.AttendanceStatus.PRESENT),
    )
    assert changes(scope, lambda: attendance_reply_set(meeting=meeting, member=member, will_attend=True))
    assert changes(scope, lambda: f.ContributionFactory(topic=meeting.topic, member=member))
    assert changes(scope, lambda: m.Topic.objects.filter(pk=meeting.topic_id).update(title="Tên mới"))
    assert changes(scope, lambda: m.Meeting.objects.filter(pk=meeting.pk).update(place="Hội trường"))
    assert changes(scope, lambda: m.Guest.objects.filter(meeting=meeting).delete())
    assert version(other) == before_other


def test_member_moving_cells_bumps_both(cell, other_cell, member):
    a, b = pagecache.cell_scope(cell.pk), pagecache.cell_scope(other_cell.pk)
    va, vb = version(a), version(b)
    m.Member.objects.filter(pk=member.pk).update(cell=other_cell)
    assert version(a) != va and version(b) != vb


def test_report_answer_bumps_the_cell_and_reporting_bumps_the_dashboards_above(committee, cell):
    other = f.CommitteeFactory()
    dashboards = [pagecache.dashboard_scope(committee.pk), pagecache.dashboard_scope(other.pk)]
    before = pagecache.scope_versions(dashboards)
    meeting = finalized_meeting(cell, report=True)  # report_submit and compliance_refresh
    after = pagecache.scope_versions(dashboards)
    assert after[0] != before[0] and after[1] == before[1]
    report = m.Report.objects.get(minutes__meeting=meeting)
    assert changes(
        pagecache.cell_scope(cell.pk),
        lambda: m.Report.objects.filter(pk=report.pk).update(status=m.ReportStatus.ACCEPTED),
    )


def test_global_scope_names_and_rights_but_not_logins(cell, staff):
    assert changes(pagecache.GLOBAL, lambda: m.Organization.objects.filter(pk=cell.pk).update(name="Chi bộ Mới"))
    assert changes(pagecache.GLOBAL, lambda: m.User.objects.filter(pk=staff.pk).update(full_name="Tên khác"))
    assert not changes(pagecache.GLOBAL, lambda: m.User.objects.filter(pk=staff.pk).update(last_login=timezone.now()))
    assert not changes(pagecache.GLOBAL, lambda: m.User.objects.filter(pk=staff.pk).update(password="x"))


def test_dashboard_scopes_follow_the_path_of_the_cell():
    tree = build_tree()  # root → A → a1, a2, a3; root → B → b1; root → c
    scopes = {k: pagecache.dashboard_scope(tree[k].pk) for k in ("root", "a", "b", "a1")}
    before = dict(zip(scopes, pagecache.scope_versions(scopes.values()), strict=True))

    def moved():
        now = dict(zip(scopes, pagecache.scope_versions(scopes.values()), strict=True))
        return {k for k in scopes if now[k] != before[k]}

    compliance_refresh(cell=tree["a1"], year=YEAR, quarter=QUARTER)
    assert moved() == {"root", "a", "a1"}
    before = dict(zip(scopes, pagecache.scope_versions(scopes.values()), strict=True))
    # A secretary's contact is listed on the dashboards above; a plain member's is not.
    f.MemberFactory(cell=tree["b1"], phone="0900000000")
    assert moved() == set()
    m.Member.objects.filter(phone="0912000003").update(phone="0988777666")  # the secretary of a3
    assert moved() == {"root", "a"}


def test_rebuild_bumps_the_global_scope_once_not_each_row():
    build_tree()
    from meetings.services.compliance import compliance_rebuild

    m.PageBump.objects.all().delete()
    compliance_rebuild(year=YEAR)
    assert set(m.PageBump.objects.values_list("scope", flat=True)) == {pagecache.GLOBAL}


def test_rolled_back_write_bumps_nothing(cell):
    scope = pagecache.cell_scope(cell.pk)
    before = version(scope)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.MeetingFactory(cell=cell)
        raise IntegrityError("rollback")
    assert version(scope) == before


def test_compaction_keeps_every_version(cell, other_cell):
    f.MeetingFactory(cell=cell)
    f.MeetingFactory(cell=other_cell)
    scopes = [
        pagecache.GLOBAL,
        pagecache.dashboard_scope(cell.parent_id),
        pagecache.cell_scope(cell.pk),
        pagecache.cell_scope(other_cell.pk),
    ]
    before = pagecache.scope_versions(scopes)
    assert m.PageBump.objects.exists()
    pagecache.pagecache_compact()
    assert not m.PageBump.objects.exists()
    assert pagecache.scope_versions(scopes) == before
    f.MeetingFactory(cell=cell)
    after = pagecache.scope_versions(scopes)
    assert after[2] > before[2] and after[3] == before[3]


# --- the pages ------------------------------------------------------------------------------


def _get_twice(client, url, **extra):
    """The first GET sets the CSRF cookie; pages are stored from the second on."""
    client.get(url, **extra)
    return client.get(url, **extra)


def queries_of(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.fixture
def scheduled(cell, secretary, member):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return f.MeetingFactory(
        cell=cell, stage=Stage.SCHEDULED, scheduled_date=tomorrow, start_time=datetime.time(8), place="Phòng họp 1"
    )


def test_meeting_page_is_served_from_the_cache_until_a_write(client, scheduled, secretary, member):
    client.force_login(secretary.user)
    url = reverse("meeting_detail", args=[scheduled.pk])
    assert _get_twice(client, url).status_code == 200
    hit_queries, html = queries_of(client, url)
    assert "Phòng họp 1" in html
    # A write that leaves the page as it was still makes the next request render afresh.
    m.Meeting.objects.filter(pk=scheduled.pk).update(place="Phòng họp 1")
    miss_queries, _ = queries_of(client, url)
    assert hit_queries <= 5 < miss_queries, (hit_queries, miss_queries)
    # Another user's write shows at once: a contribution assigned through the service.
    assert "Tham luận: 0 được phân công" in html
    contribution_assign(topic=scheduled.topic, member=member, subject="Kỷ luật phát ngôn", actor=secretary.user)
    assert "Tham luận: 1 được phân công" in client.get(url).content.decode()
    # So does a write that bypasses the application (the admin, SQL).
    m.Meeting.objects.filter(pk=scheduled.pk).update(place="Hội trường B")
    assert "Hội trường B" in client.get(url).content.decode()


def test_pages_are_per_user_and_rights(client_factory, scheduled, secretary, member):
    boss, plain = client_factory(), client_factory()
    boss.force_login(secretary.user)
    plain.force_login(member.user)
    url = reverse("meeting_detail", args=[scheduled.pk])
    boss_html = _get_twice(boss, url).content.decode()
    plain_html = _get_twice(plain, url).content.decode()
    assert 'name="scheduled_date"' in boss_html
    assert 'name="scheduled_date"' not in plain_html
    assert member.user.display_name in plain_html.split("<main")[0]
    assert member.user.display_name not in boss_html.split("<main")[0]


def test_htmx_requests_and_first_visits_bypass_the_cache(client, scheduled, secretary):
    client.force_login(secretary.user)
    url = reverse("meeting_detail", args=[scheduled.pk])
    assert pagecache.page_key(client.get(url).wsgi_request, []) is None  # no CSRF cookie yet
    assert pagecache.page_key(client.get(url).wsgi_request, []) is not None
    assert pagecache.page_key(client.get(url, HTTP_HX_REQUEST="true").wsgi_request, []) is None


def test_flash_message_shows_once_even_on_a_cached_page(client, scheduled, secretary):
    client.force_login(secretary.user)
    url = reverse("meeting_detail", args=[scheduled.pk])
    request = _get_twice(client, url).wsgi_request  # the page is stored
    # A message left by another page (as after a POST), with no data change in between.
    storage = CookieStorage(request)
    storage.add(messages.SUCCESS, "Đã lưu thử.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies.update(carrier.cookies)
    assert "Đã lưu thử." in client.get(url).content.decode()
    assert "Đã lưu thử." not in client.get(url).content.decode()


def test_member_task_page_shows_a_new_assignment_at_once(client, cell, member):
    client.force_login(member.user)
    url = reverse("my_tasks")
    _get_twice(client, url)
    hit_queries, html = queries_of(client, url)
    assert "Tham luận về kỷ luật" not in html
    topic = f.TopicFactory(cell=cell)
    f.ContributionFactory(topic=topic, member=member, subject="Tham luận về kỷ luật")
    assert "Tham luận về kỷ luật" in client.get(url).content.decode()
    assert hit_queries <= 5


def test_dashboard_numbers_change_at_once_after_a_finalisation(client):
    tree = build_tree()
    client.force_login(f.StaffUserFactory(committee=tree["root"]))
    url = reverse("dashboard") + f"?nam={YEAR}&quy={QUARTER}"
    _get_twice(client, url)
    hit_queries, html = queries_of(client, url)
    assert 'data-stat="compliant">2<' in html
    assert hit_queries <= 5
    finalized_meeting(tree["c"], grade="good", present=2)
    assert 'data-stat="compliant">3<' in client.get(url).content.decode()
    # A secretary's phone shown in the list of non-compliant cells.
    m.Member.objects.filter(phone="0912000003").update(phone="0988777666")
    assert "0988777666" in client.get(url).content.decode()


def test_off_switch(client, settings, cell, member):
    settings.CHIBO_PAGE_CACHE = False
    client.force_login(member.user)
    request = _get_twice(client, reverse("my_tasks")).wsgi_request
    assert pagecache.page_key(request, []) is None
