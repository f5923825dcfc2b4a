"""E-mail → action in one tap, in Chromium at 1366 px and at 390 px.

A live stack of its own (gunicorn + PostgreSQL + a Celery worker + an SMTP sink, on a database
and Redis db separate from the journeys': E2E_LINKS_DB, E2E_LINKS_REDIS_URL). The secretary's
services send a real notice; the worker delivers it to the sink; the member opens the link
from the captured mail while logged out, logs in, lands on the reply for that meeting, taps
"Tôi không dự được", is asked for the reason, gives it and sees it saved. The contribution's
deadline reminder, sent through the same outbox, opens the submit page with the lead paper.
Screenshots in e2e-artifacts/email-links-*/.
"""

import json
import os
import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.checks import plain_text, scrolls_sideways, subject
from tests.e2e.conftest import ARTIFACTS, PASSWORD, Journey
from tests.e2e.stack import SmtpSink, Stack

pytestmark = [pytest.mark.browser, pytest.mark.worker]

LEAD_PAPER = "ĐỀ DẪN THỬ: thực hành tiết kiệm trong từng việc làm hằng ngày."
VIEWPORTS = {"desktop": False, "390": True}

# Through the services, as the secretary's clicks would: a new thematic meeting six days
# ahead with an approved lead paper and a contribution for `dangvien`, scheduled and noticed.
SETUP = """
import datetime, json
from django.utils import timezone
from meetings.models import Member, TopicGroup
from meetings.periods import quarter_of
from meetings.services import meetings as meeting_services
from meetings.services import plans as plan_services
from meetings.services import topics as topic_services

bithu = Member.objects.select_related("cell", "user").get(user__username="bithu")
dangvien = Member.objects.get(user__username="dangvien", cell=bithu.cell)
actor = bithu.user
day = timezone.localdate() + datetime.timedelta(days=6)
plan = plan_services.plan_get_or_create(cell=bithu.cell, year=day.year, actor=actor)
meeting = plan_services.plan_add_meeting(
    plan=plan, actor=actor, quarter=quarter_of(day), group=TopicGroup.objects.order_by("number").first(),
    title="Thực hành tiết kiệm, chống lãng phí trong cơ quan",
)
topic = meeting.topic
topic_services.topic_assign_lead_author(topic=topic, actor=actor, author=bithu, due=day - datetime.timedelta(days=3))
contribution = topic_services.contribution_assign(
    topic=topic, actor=actor, member=dangvien, subject="Tiết kiệm tại bộ phận", due_on=day - datetime.timedelta(days=2)
)
topic_services.topic_submit_lead_paper(topic=topic, actor=actor, text="<p>__LEAD__</p>")
topic_services.topic_approve_lead_paper(topic=topic, actor=actor)
meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target="preparing")
meeting = meeting_services.meeting_schedule(
    meeting=meeting, actor=actor, version=None, scheduled_date=day, start_time=datetime.time(14, 0),
    place="Phòng họp tầng 3", chair=bithu,
)
meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target="scheduled")
meeting = meeting_services.meeting_send_notice(meeting=meeting, actor=actor)
print(json.dumps({"meeting": meeting.pk, "contribution": contribution.pk, "title": topic.title,
                  "email": dangvien.email, "username": dangvien.user.username}))
""".replace("__LEAD__", LEAD_PAPER)

# The contribution's first reminder is due on a later morning: sent through the outbox with
# the clock at that moment (the web server stays on the real clock).
SEND_DEADLINE = """
import datetime, json
import time_machine
from meetings.models import Notification, NotificationKind
from meetings.services.notifications import notifications_send_batch

row = (
    Notification.objects.filter(kind=NotificationKind.DEADLINE_REMINDER, status="pending",
                                context__contribution_id=__CONTRIBUTION__)
    .order_by("due_at").first()
)
with time_machine.travel(row.due_at + datetime.timedelta(minutes=5), tick=False):
    print(json.dumps(notifications_send_batch(ids=[row.pk])))
"""


@pytest.fixture(scope="module")
def links_smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="module")
def links_stack(links_smtp):
    live = Stack(
        smtp=links_smtp,
        db_name=os.environ.get("E2E_LINKS_DB", "chibo_e2e_links"),
        redis_url=os.environ.get("E2E_LINKS_REDIS_URL", "redis://127.0.0.1:6379/4"),
    ).start()
    yield live
    live.stop(keep_logs_in=ARTIFACTS / "logs-email-links")


def _mail(sink, address: str, subject_start: str):
    def match(m):
        return address in (m.get("X-Envelope-To") or "") and subject(m).startswith(subject_start)

    found = sink.wait_for(match, timeout=60)
    assert found, f"no e-mail “{subject_start}…” to {address}: {[subject(m) for m in sink.messages][-20:]}"
    return found[-1]


def _link(message, pattern: str) -> str:
    links = re.findall(r"https?://\S+", plain_text(message))
    wanted = [u for u in links if re.search(pattern, u)]
    assert wanted, f"no link matching {pattern} in {links}"
    return wanted[0]


@pytest.fixture(scope="module")
def sent(links_stack, links_smtp):
    out = links_stack.manage("shell", "-c", SETUP).stdout
    data = json.loads(out.strip().splitlines()[-1])
    data["notice"] = _mail(links_smtp, data["email"], "Thông báo sinh hoạt chuyên đề")
    code = SEND_DEADLINE.replace("__CONTRIBUTION__", str(data["contribution"]))
    assert json.loads(links_stack.manage("shell", "-c", code).stdout.strip().splitlines()[-1]) == {"sent": 1}
    data["deadline"] = _mail(links_smtp, data["email"], "Nhắc hạn nộp tham luận")
    return data


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_notice_link_leads_to_the_reply_and_cannot_attend_asks_the_reason(browser, links_stack, sent, viewport):
    reply_link = _link(sent["notice"], r"#tra-loi$")
    assert reply_link.startswith(links_stack.url + "/"), reply_link
    assert f"buoi={sent['meeting']}" in reply_link
    journey = Journey(browser, links_stack, f"email-links-{viewport}", mobile=VIEWPORTS[viewport])
    page = journey.page

    # Logged out: the link goes through the login page and comes back to the same reply.
    page.goto(reply_link)
    assert urlsplit(page.url).path == "/dang-nhap/"
    journey.shot("login-from-notice-link")
    page.fill("input[name=username]", sent["username"])
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
    assert urlsplit(page.url).path == "/lich-hop/" and f"buoi={sent['meeting']}" in page.url
    reply = page.locator(f"#reply-{sent['meeting']}")
    reply.wait_for()
    page.get_by_role("heading", name=sent["title"]).wait_for()
    assert reply.is_visible()
    assert LEAD_PAPER in page.locator("#tai-lieu").inner_text()
    assert not scrolls_sideways(page)
    journey.shot("reply-for-that-meeting")

    # One tap: "cannot attend" asks for the reason before anything is saved.
    with page.expect_response(lambda r: "/tra-loi/" in r.url):
        reply.get_by_role("button", name="Tôi không dự được").click()
    reason = page.get_by_label("Đồng chí cho biết lý do không dự được")
    reason.wait_for()
    journey.shot("asked-for-the-reason")
    given = f"Đi công tác cơ sở ({viewport})"
    reason.fill(given)
    with page.expect_response(lambda r: "/tra-loi/" in r.url):
        page.get_by_role("button", name="Gửi lý do").click()
    saved = page.locator(f"#reply-{sent['meeting']}", has_text=given)
    saved.wait_for()
    assert "Không dự được" in saved.inner_text() and "Đã ghi nhận" in saved.inner_text()
    journey.shot("reason-saved")
    page.reload()
    assert given in page.locator(f"#reply-{sent['meeting']}").inner_text()  # kept, not just shown

    # The deadline reminder: the contribution's submit page, with the lead paper on it.
    submit_link = _link(sent["deadline"], r"/tham-luan/\d+/nop/$")
    assert submit_link == f"{links_stack.url}/tham-luan/{sent['contribution']}/nop/"
    page.goto(submit_link)
    page.get_by_role("heading", name="Tham luận: Tiết kiệm tại bộ phận").wait_for()
    assert page.get_by_role("button", name="Nộp tham luận").is_visible()
    assert LEAD_PAPER in page.locator("#de-dan").inner_text()
    assert not scrolls_sideways(page)
    journey.shot("deadline-link-submit-page")
    journey.close()
