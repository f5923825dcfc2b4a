"""The review of earlier action items on the run page (issue 17, item 2): the card above the
steps, one htmx post per item (what was typed kept on error), scoping, the overdue flag on the
run and home pages, the report page's inline minutes, constant query counts."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem, ActionOwnerKind, ActionReview, ActionStatus, Minutes
from meetings.selectors.reports import minutes_inline
from meetings.services import meetings as meeting_svc
from meetings.workflow import Stage
from tests import factories as f
from tests.services.test_meetings import _yesterday_in_this_quarter, make_meeting, prepare, run_all  # noqa: F401

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def date():
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def running(cell, secretary, date):
    return prepare(make_meeting(cell, secretary.user, date=date), secretary.user, secretary, date)


@pytest.fixture
def source(cell):
    meeting = f.MeetingFactory(cell=cell, stage=Stage.FINALIZED, scheduled_date=days(-60))
    Minutes.objects.create(meeting=meeting, cell=cell, year=meeting.year, number=3, finalized_at=timezone.now())
    return meeting


def item(meeting, number=1, *, due=-10, **extra):
    return ActionItem.objects.create(
        meeting=meeting,
        cell=meeting.cell,
        number=number,
        text=extra.pop("text", f"Việc kỳ trước số {number}"),
        owner_kind=extra.pop("owner_kind", ActionOwnerKind.COMMITTEE),
        due_on=days(due),
        **extra,
    )


def run_url(meeting):
    return reverse("meetings:run", args=[meeting.pk])


def review_url(meeting, it):
    return reverse("meetings:action_review", args=[meeting.pk, it.pk])


def post(client, meeting, it, status, note, **headers):
    return client.post(review_url(meeting, it), {f"kd-{it.pk}-status": status, f"kd-{it.pk}-note": note}, **headers)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_run_page_shows_the_review_card_with_a_form_per_item(client, running, secretary, source):
    first, second = item(source, 1), item(source, 2, status=ActionStatus.IN_PROGRESS, progress_note="Đang soạn")
    item(source, 3, status=ActionStatus.DONE, text="Việc đã xong")
    client.force_login(secretary.user)
    body = client.get(run_url(running)).content.decode()
    assert "Kiểm điểm việc thực hiện kết luận kỳ trước" in body
    for it in (first, second):
        assert f'name="kd-{it.pk}-status"' in body and f'id="kiem-diem-{it.pk}"' in body
    assert "Biên bản số 03-BB/CB" in body and "“Đang soạn”" in body
    assert "Việc đã xong" not in body


def test_htmx_review_saves_one_item_and_returns_its_row(client, running, secretary, source):
    it = item(source)
    client.force_login(secretary.user)
    response = post(client, running, it, "done", "Đã ban hành quy chế", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.strip().startswith(f'<li class="list-group-item d-flex align-items-start" id="kiem-diem-{it.pk}">')
    assert "✓ Đã lưu." in body and "Đã ban hành quy chế" in body
    it.refresh_from_db()
    assert it.status == ActionStatus.DONE
    assert ActionReview.objects.get().note == "Đã ban hành quy chế"


def test_invalid_review_keeps_the_typed_note(client, running, secretary, source):
    it = item(source)
    client.force_login(secretary.user)
    body = post(client, running, it, "", "Ghi chú đang gõ", HTTP_HX_REQUEST="true").content.decode()
    assert "Vui lòng chọn tình trạng thực hiện." in body and "Ghi chú đang gõ" in body
    assert not ActionReview.objects.exists()


def test_review_after_finalisation_is_refused_and_the_card_is_read_only(client, running, secretary, source):
    it = item(source)
    client.force_login(secretary.user)
    post(client, running, it, "in_progress", "Còn một phần", HTTP_HX_REQUEST="true")
    meeting = run_all(running, secretary.user)
    meeting_svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    body = post(client, meeting, it, "done", "Thử sửa sau khi khóa", HTTP_HX_REQUEST="true").content.decode()
    assert "hoàn tất" in body and "Thử sửa sau khi khóa" in body
    assert ActionReview.objects.get().status == ActionStatus.IN_PROGRESS
    page = client.get(run_url(meeting)).content.decode()
    assert "Kiểm điểm: Đang thực hiện</span> — Còn một phần" in page
    assert f'name="kd-{it.pk}-status"' not in page


def test_other_cells_secretary_gets_404(client, running, source, other_secretary):
    it = item(source)
    client.force_login(other_secretary.user)
    assert post(client, running, it, "done", "").status_code == 404
    assert client.get(run_url(running)).status_code == 404
    assert not ActionReview.objects.exists()


def test_item_of_another_cell_is_404_on_this_meeting(client, running, secretary, other_cell):
    foreign = item(f.MeetingFactory(cell=other_cell, stage=Stage.FINALIZED))
    client.force_login(secretary.user)
    assert post(client, running, foreign, "done", "").status_code == 404


def test_overdue_unreviewed_flag_on_run_and_home_pages(client, running, secretary, source, settings):
    settings.CHIBO = {**settings.CHIBO, "ACTION_REVIEW_GRACE_DAYS": 30}
    item(source, 1, due=-31)
    item(source, 2, due=-45)
    item(source, 3, due=-5)
    client.force_login(secretary.user)
    run = client.get(run_url(running)).content.decode()
    assert "⚠ 2 việc quá hạn chưa được kiểm điểm" in run
    home = client.get(reverse("home")).content.decode()
    assert "⚠ 2 việc quá hạn chưa được kiểm điểm." in home
    assert f'href="{run_url(running)}?buoc=opening#kiem-diem"' in home


def test_report_page_inline_minutes_print_the_review(running, secretary, source):
    it = item(source, text="Rà soát quy chế")
    from meetings.services.action_reviews import action_item_review

    action_item_review(item=it, meeting=running, actor=secretary.user, status="not_done", note="Chưa bố trí được")
    meeting = run_all(running, secretary.user)
    minutes = meeting_svc.meeting_finalize(meeting=meeting, actor=secretary.user)
    html = render_to_string("meetings/reports/_minutes_inline.html", {"m": minutes_inline(minutes=minutes)})
    assert "Kiểm điểm việc thực hiện kết luận kỳ trước" in html
    assert "Rà soát quy chế (biên bản số 03-BB/CB) — không hoàn thành — Chưa bố trí được" in html


def test_review_card_queries_are_constant_in_the_number_of_items(client, running, secretary, source):
    client.force_login(secretary.user)
    item(source, 1)
    client.get(run_url(running))  # the first request also touches the session
    one = _queries(client, run_url(running))
    for n in range(2, 8):
        item(source, n, owner_kind=ActionOwnerKind.MEMBER, owner_member=f.MemberFactory(cell=source.cell))
    ActionReview.objects.create(
        item=ActionItem.objects.get(meeting=source, number=2),
        meeting=running,
        status=ActionStatus.IN_PROGRESS,
        reviewed_at=timezone.now(),
    )
    assert _queries(client, run_url(running)) == one
    assert (
        client.get(run_url(running))
        .content.decode()
        .count('class="list-group-item d-flex align-items-start" id="kiem-diem-')
        == 7
    )


def test_card_is_open_at_step_1_folded_at_later_steps_and_absent_for_other_kinds(
    client, running, secretary, source, settings
):
    item(source, due=-5)
    client.force_login(secretary.user)
    opening = client.get(run_url(running) + "?buoc=opening").content.decode()
    assert '<details class="card-body" open>' in opening
    later = client.get(run_url(running) + "?buoc=discussion").content.decode()
    assert '<details class="card-body">' in later and "Kiểm điểm việc thực hiện kết luận kỳ trước" in later
    settings.CHIBO = {**settings.CHIBO, "ACTION_REVIEW_KINDS": ["regular"]}
    assert 'id="kiem-diem"' not in client.get(run_url(running)).content.decode()


def test_without_htmx_a_refused_review_shows_the_whole_page_with_what_was_typed(client, running, secretary, source):
    it = item(source)
    client.force_login(secretary.user)
    response = post(client, running, it, "", "Ghi chú không mất")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Vui lòng chọn tình trạng thực hiện." in body and "Ghi chú không mất" in body
    assert '<details class="card-body" open>' in body
    saved = post(client, running, it, "dropped", "Thôi")
    assert saved.status_code == 302 and saved["Location"].endswith(f"#kiem-diem-{it.pk}")
    it.refresh_from_db()
    assert it.status == ActionStatus.DROPPED
