"""A noticed meeting moved, then cancelled, in Chromium at 1366 px and at 390 px.

bithu changes the time and place of a meeting whose notice went out: a confirmation page says
how many people will get the change notice and its new .ics, nothing is saved before the
second confirm; the flash counts the notices and links to the outbox, where they are listed;
the SMTP sink receives the change notice with a METHOD:REQUEST .ics. Then the meeting is
cancelled: a confirmation with its reason, and a cancelling .ics reaches the member.
Screenshots in $E2E_ARTIFACTS/changes-*/.
"""

import json
import re

import pytest

from tests.e2e.checks import axe_blocking, scrolls_sideways, subject
from tests.e2e.conftest import Journey

pytestmark = [pytest.mark.browser, pytest.mark.worker]

VIEWPORTS = {"desktop": False, "390": True}

# Through the services: a meeting of bithu's cell eight days ahead, noticed (as in the demo).
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
day = timezone.localdate() + datetime.timedelta(days=8)
plan = plan_services.plan_get_or_create(cell=bithu.cell, year=day.year, actor=actor)
meeting = plan_services.plan_add_meeting(
    plan=plan, actor=actor, quarter=quarter_of(day), group=TopicGroup.objects.order_by("number").first(),
    title="__TITLE__",
)
topic = meeting.topic
topic_services.topic_assign_lead_author(topic=topic, actor=actor, author=bithu, due=day - datetime.timedelta(days=3))
topic_services.topic_submit_lead_paper(topic=topic, actor=actor, text="<p>Đề dẫn</p>")
topic_services.topic_approve_lead_paper(topic=topic, actor=actor)
meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target="preparing")
meeting = meeting_services.meeting_schedule(
    meeting=meeting, actor=actor, version=None, scheduled_date=day, start_time=datetime.time(14, 0),
    place="Phòng họp tầng 3", chair=bithu,
)
meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target="scheduled")
meeting = meeting_services.meeting_send_notice(meeting=meeting, actor=actor)
print(json.dumps({"meeting": meeting.pk, "email": dangvien.email, "cell": bithu.cell_id,
                  "day": day.isoformat()}))
"""


def _ics(message) -> bytes:
    for part in message.walk():
        if (part.get_filename() or "").endswith(".ics"):
            return part.get_payload(decode=True)
    return b""


def _mail(sink, address: str, subject_start: str, title: str):
    def match(m):
        return (
            address in (m.get("X-Envelope-To") or "") and subject(m).startswith(subject_start) and title in subject(m)
        )

    found = sink.wait_for(match, timeout=60)
    assert found, f"no e-mail “{subject_start}…” to {address}: {[subject(m) for m in sink.messages][-20:]}"
    return found[-1]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_move_and_cancel_a_noticed_meeting_with_confirmation(browser, stack, smtp, viewport):
    title = f"Thay đổi lịch họp thử ({viewport})"
    out = stack.manage("shell", "-c", SETUP.replace("__TITLE__", title)).stdout
    data = json.loads(out.strip().splitlines()[-1])
    _mail(smtp, data["email"], "Thông báo sinh hoạt chuyên đề", title)
    journey = Journey(browser, stack, f"changes-{viewport}", mobile=VIEWPORTS[viewport])
    page = journey.page
    journey.login("bithu")
    meeting_path = f"/buoi-sinh-hoat/{data['meeting']}/"
    page.goto(meeting_path)
    page.get_by_role("heading", name=title).wait_for()
    assert page.get_by_role("button", name="Bắt đầu buổi sinh hoạt").is_visible()
    assert page.get_by_role("button", name="Quay lại giai đoạn lên lịch").is_visible()
    journey.shot("noticed-meeting")
    assert axe_blocking(page) == []

    # Typed but not saved: another form on the page asks before the schedule is dropped.
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.message))
    page.locator("#schedule-form [name=place]").fill("Chưa lưu")
    page.get_by_role("button", name="Thêm đại biểu").click()
    page.wait_for_load_state("load")
    assert any("chưa được lưu" in q for q in asked), asked
    page.goto(meeting_path)

    # Move: new time and place, then the confirmation page; nothing saved yet.
    schedule = page.locator("#schedule-form")
    schedule.locator("[name=start_time]").fill("15:30")
    schedule.locator("[name=place]").fill("Hội trường lớn, tầng 1")
    journey.shot("schedule-changed")
    schedule.get_by_role("button", name="Lưu lịch họp").click()
    panel = page.locator("#xac-nhan")
    panel.wait_for()
    text = panel.inner_text()
    assert "Thông báo thay đổi sẽ được gửi tới" in text and "kèm tệp lịch .ics mới" in text
    recipients = int(re.search(r"gửi tới (\d+) người", text).group(1))
    assert recipients >= 2
    assert not scrolls_sideways(page)
    journey.shot("confirm-move")
    assert axe_blocking(page) == []
    page.goto(meeting_path)
    assert "15:30" not in page.locator("h1 + div").inner_text()  # not saved before confirming
    schedule.locator("[name=start_time]").fill("15:30")
    schedule.locator("[name=place]").fill("Hội trường lớn, tầng 1")
    schedule.get_by_role("button", name="Lưu lịch họp").click()
    page.get_by_role("button", name="Xác nhận thay đổi và gửi thông báo").click()
    flash = page.locator(".alert-success", has_text="Đã lưu lịch họp")
    flash.wait_for()
    assert f"Đã đưa {recipients} thông báo thay đổi" in flash.inner_text()
    assert "15:30" in page.locator("h1 + div").inner_text()
    assert not scrolls_sideways(page)
    journey.shot("moved-flash")

    # The outbox lists the new messages; the member receives the change with a new .ics.
    flash.get_by_role("link", name="xem thư gửi đi").click()
    page.get_by_role("heading", name=re.compile("Thư gửi đi")).wait_for()
    assert "loc=da-gui" in page.url
    # The worker sends them within seconds; the sent tab lists the newest first.
    # Wait until every change notice has gone (the worker may still be sending other mail).
    notices = page.locator("tbody tr", has_text=title).filter(has_text="Thông báo họp")
    for _ in range(60):
        if notices.count() >= recipients:
            break
        page.wait_for_timeout(1000)
        page.reload()
    assert notices.count() >= recipients, notices.count()
    journey.shot("outbox-after-move")
    moved = _mail(smtp, data["email"], "[Thay đổi lịch]", title)
    ics = _ics(moved)
    assert b"METHOD:REQUEST" in ics and b"SEQUENCE:" in ics
    assert re.search(rb"DTSTART[^:]*:\d{8}T(153000|083000Z)", ics), ics  # 15:30 in Vietnam (UTC+7)

    # Cancel: always confirmed, with its reason.
    page.goto(meeting_path)
    page.get_by_role("button", name="Hủy buổi sinh hoạt").click()
    panel.wait_for()
    assert "Thông báo hủy sẽ được gửi tới" in panel.inner_text()
    page.get_by_label("Lý do hủy").fill("Trùng lịch hội nghị của Đảng ủy")
    assert not scrolls_sideways(page)
    journey.shot("confirm-cancel")
    assert axe_blocking(page) == []
    page.get_by_role("button", name="Xác nhận hủy buổi sinh hoạt").click()
    page.locator(".alert-success", has_text="Đã hủy").wait_for()
    assert "thông báo hủy" in page.locator(".alert-success").inner_text()
    journey.shot("cancelled")
    cancelled = _mail(smtp, data["email"], "[Hủy]", title)
    assert b"METHOD:CANCEL" in _ics(cancelled)
    journey.close()
