"""Action items on the pages (issue 17, item 1): rows in step 9 of the run page, the owner's
progress page (scoped, 404 for anyone else), the home page lists, constant query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem, ActionOwnerKind, ActionStatus
from meetings.workflow import Stage
from tests import factories as f
from tests.services.test_meetings import _yesterday_in_this_quarter, make_meeting, prepare  # noqa: F401

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def date():
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def running(cell, secretary, date):
    return prepare(make_meeting(cell, secretary.user, date=date), secretary.user, secretary, date)


def item(meeting, number=1, *, owner=None, kind=ActionOwnerKind.MEMBER, due=10, **extra):
    """An item written straight to the table (its rows carry no finalised-meeting guard)."""
    return ActionItem.objects.create(
        meeting=meeting,
        cell=meeting.cell,
        number=number,
        text=extra.pop("text", f"Việc số {number}"),
        owner_kind=kind,
        owner_member=owner if kind == ActionOwnerKind.MEMBER else None,
        due_on=days(due),
        **extra,
    )


def finalized(cell):
    return f.MeetingFactory(cell=cell, stage=Stage.FINALIZED, scheduled_date=days(-5))


def add_post(**changes):
    data = {
        "action": "action_item_add",
        "step": "conclusion",
        "viec-moi-text": "Rà soát quy chế",
        "viec-moi-owner": "committee",
        "viec-moi-due_on": days(10).isoformat(),
    }
    data.update(changes)
    return data


# --- step 9 ------------------------------------------------------------------------------


def test_secretary_adds_an_item_in_step_9(client, running, secretary, member):
    client.force_login(secretary.user)
    url = reverse("meetings:run_action", args=[running.pk])
    response = client.post(url, add_post(**{"viec-moi-owner": f"m{member.pk}"}))
    assert response.status_code == 302
    saved = ActionItem.objects.get(meeting=running)
    assert (saved.number, saved.owner_member, saved.due_on) == (1, member, days(10))
    body = client.get(reverse("meetings:run", args=[running.pk]) + "?buoc=conclusion").content.decode()
    assert "Phân công thực hiện kết luận" in body
    assert f"Rà soát quy chế</span> — <span>Đồng chí {member.full_name}</span>" in body
    assert f"hạn {days(10):%d/%m/%Y}" in body


def test_invalid_item_is_shown_with_vietnamese_errors_and_what_was_typed(client, running, secretary, date):
    client.force_login(secretary.user)
    url = reverse("meetings:run_action", args=[running.pk])
    before = (date - datetime.timedelta(days=2)).isoformat()
    body = client.post(url, add_post(**{"viec-moi-text": "Việc giữ lại", "viec-moi-due_on": before})).content.decode()
    assert "Hạn hoàn thành không được trước ngày họp" in body
    assert "Việc giữ lại" in body
    body = client.post(url, add_post(**{"viec-moi-text": "", "viec-moi-owner": ""})).content.decode()
    assert "Vui lòng ghi nội dung công việc." in body and "Vui lòng chọn người thực hiện." in body
    assert not ActionItem.objects.exists()


def test_owner_from_another_cell_is_refused(client, running, secretary, other_secretary):
    client.force_login(secretary.user)
    url = reverse("meetings:run_action", args=[running.pk])
    body = client.post(url, add_post(**{"viec-moi-owner": f"m{other_secretary.pk}"})).content.decode()
    assert "Người thực hiện đã chọn không thuộc chi bộ này." in body
    assert not ActionItem.objects.exists()


def test_htmx_add_returns_the_block_and_keeps_the_meeting_version(client, running, secretary):
    client.force_login(secretary.user)
    version = running.version
    url = reverse("meetings:run_action", args=[running.pk])
    body = client.post(url, add_post(), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="action-items"' in body and "Đã thêm việc số 1" in body
    running.refresh_from_db()
    assert running.version == version  # the step 9 form typed beside it stays valid


def test_secretary_edits_and_removes_items(client, running, secretary):
    first, second = item(running, 1, kind="cell"), item(running, 2, kind="committee")
    client.force_login(secretary.user)
    url = reverse("meetings:run_action", args=[running.pk])
    body = client.get(reverse("meetings:run", args=[running.pk]) + f"?buoc=conclusion&sua-viec={first.pk}")
    assert f'name="viec-{first.pk}-text"' in body.content.decode()
    client.post(
        url,
        {
            "action": "action_item_update",
            "step": "conclusion",
            "item": first.pk,
            f"viec-{first.pk}-text": "Đã sửa",
            f"viec-{first.pk}-owner": "committee",
            f"viec-{first.pk}-due_on": days(12).isoformat(),
        },
    )
    first.refresh_from_db()
    assert (first.text, first.owner_kind, first.due_on) == ("Đã sửa", "committee", days(12))
    client.post(url, {"action": "action_item_delete", "step": "conclusion", "item": first.pk})
    assert list(ActionItem.objects.values_list("pk", "number")) == [(second.pk, 1)]


def test_other_cells_secretary_cannot_touch_items(client, running, other_secretary):
    target = item(running, 1, kind="cell")
    client.force_login(other_secretary.user)
    url = reverse("meetings:run_action", args=[running.pk])
    response = client.post(url, {"action": "action_item_delete", "step": "conclusion", "item": target.pk})
    assert response.status_code == 404
    assert ActionItem.objects.filter(pk=target.pk).exists()


# --- the progress page -------------------------------------------------------------------


def test_owner_marks_progress_with_a_note(client, cell, member):
    target = item(finalized(cell), owner=member, text="Viết báo cáo chuyên đề")
    client.force_login(member.user)
    url = reverse("portal:action_progress", args=[target.pk])
    body = client.get(url).content.decode()
    assert "Viết báo cáo chuyên đề" in body and f"{days(10):%d/%m/%Y}" in body
    response = client.post(url, {"status": "in_progress", "note": "Đã xong dàn ý"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.status, target.progress_note) == (ActionStatus.IN_PROGRESS, "Đã xong dàn ý")
    assert target.progress_at is not None


def test_progress_without_a_status_is_refused_in_vietnamese(client, cell, member):
    target = item(finalized(cell), owner=member)
    client.force_login(member.user)
    body = client.post(reverse("portal:action_progress", args=[target.pk]), {"note": "x"}).content.decode()
    assert "Vui lòng chọn tình trạng thực hiện." in body


def test_secretary_reports_on_committee_items_but_not_on_a_members(client, cell, secretary, member):
    meeting = finalized(cell)
    committee_item, member_item = item(meeting, 1, kind="committee"), item(meeting, 2, owner=member)
    client.force_login(secretary.user)
    assert client.get(reverse("portal:action_progress", args=[committee_item.pk])).status_code == 200
    assert client.get(reverse("portal:action_progress", args=[member_item.pk])).status_code == 404


@pytest.mark.parametrize("who", ["other_member", "other_secretary", "staff"])
def test_anyone_else_gets_404(client, cell, member, other_secretary, staff, who):
    meeting = finalized(cell)
    targets = [item(meeting, 1, owner=member), item(meeting, 2, kind="cell")]
    user = {
        "other_member": f.MemberWithUserFactory(cell=cell).user,
        "other_secretary": other_secretary.user,
        "staff": staff,
    }[who]
    client.force_login(user)
    for target in targets:
        url = reverse("portal:action_progress", args=[target.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"status": "done"}).status_code == 404
    assert not ActionItem.objects.filter(status="done").exists()


def test_items_of_a_meeting_not_finalised_are_not_yet_the_owners(client, running, member):
    target = item(running, owner=member)
    client.force_login(member.user)
    assert client.get(reverse("portal:action_progress", args=[target.pk])).status_code == 404


def _queries(client, url) -> int:
    client.get(url)  # session and caches warm
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_progress_page_queries_are_constant(client, cell, member):
    meeting = finalized(cell)
    first = item(meeting, 1, owner=member)
    url = reverse("portal:action_progress", args=[first.pk])
    client.force_login(member.user)
    one = _queries(client, url)
    for i in range(2, 8):
        item(meeting, i, owner=member)
    assert _queries(client, url) == one <= 6


# --- home ----------------------------------------------------------------------------------


def test_member_home_lists_their_items_with_days_left(client, cell, member):
    meeting = finalized(cell)
    mine = item(meeting, 1, owner=member, text="Việc của tôi", due=4)
    item(meeting, 2, owner=f.MemberFactory(cell=cell), text="Việc của người khác")
    item(meeting, 3, owner=member, text="Việc đã xong", status=ActionStatus.DONE)
    client.force_login(member.user)
    body = client.get(reverse("home")).content.decode()
    assert "Việc thực hiện kết luận" in body
    assert f'href="{reverse("portal:action_progress", args=[mine.pk])}"' in body
    assert "Việc của tôi" in body and f"hạn {days(4):%d/%m/%Y}, còn 4 ngày" in body
    assert "Việc của người khác" not in body and "Việc đã xong" not in body
    assert 'id="member-nothing-due"' not in body  # the item is work to do


def test_secretary_home_lists_the_cells_overdue_items(client, cell, secretary, member, other_cell):
    meeting = finalized(cell)
    item(meeting, 1, owner=member, text="Quá hạn của chi bộ", due=-3)
    item(meeting, 2, kind="committee", text="Chưa đến hạn", due=5)
    item(finalized(other_cell), 1, kind="cell", text="Quá hạn chi bộ khác", due=-3)
    client.force_login(secretary.user)
    body = client.get(reverse("home")).content.decode()
    overdue = body.split('id="overdue-actions"')[1].split("</ul>")[0]
    assert "Quá hạn của chi bộ" in overdue and "quá hạn 3 ngày" in overdue
    assert "Chưa đến hạn" not in overdue and "Quá hạn chi bộ khác" not in body
    # The committee's item is the secretary's to report on.
    assert "Chưa đến hạn" in body.split('id="my-actions"')[1]


def test_home_queries_do_not_grow_with_items(client, cell, secretary):
    meeting = finalized(cell)
    client.force_login(secretary.user)

    def add(n, start):
        for i in range(start, start + n):
            item(meeting, 2 * i + 1, kind="committee", due=5, text=f"Việc sắp tới {i}")
            item(meeting, 2 * i + 2, owner=f.MemberFactory(cell=cell), due=-2, text=f"Việc quá hạn {i}")

    add(1, 0)
    one = _queries(client, reverse("home"))
    add(5, 1)
    assert _queries(client, reverse("home")) == one
    body = client.get(reverse("home")).content.decode()
    assert body.count("Việc sắp tới") == 6 and body.count("Việc quá hạn") == 6
