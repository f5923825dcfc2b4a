"""The secretary runs the demo's meeting in preparation, in Chromium at 1366 px (every action)
and at 390 px (the same screens, looked at): start, roll call with "Tất cả có mặt" and one
exception, the steps by their "Ghi nhận và sang bước …" buttons, step 9 with a deliberate
error (the typed text survives), the end with its actual times, and finalisation through its
confirmation. Screenshots in $E2E_ARTIFACTS/run-*/.
"""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.checks import axe_blocking
from tests.e2e.conftest import Journey

pytestmark = [pytest.mark.browser, pytest.mark.holds_quarter]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Through the services (the preparation is not this path): the demo's meeting in preparation
# gets its lead paper approved, a date (tomorrow at 14:00, or later today when tomorrow is in
# another quarter), a chair and a clerk, and its notice.
SETUP = """
import datetime, json
from django.utils import timezone
from meetings.models import Meeting, Member
from meetings.periods import quarter_of
from meetings.services import meetings as meeting_services
from meetings.services import topics as topic_services

bithu = Member.objects.select_related("cell", "user").get(user__username="bithu")
actor = bithu.user
meeting = Meeting.objects.filter(cell=bithu.cell, stage="preparing").select_related("topic").latest("pk")
today = timezone.localdate()
day, start = today + datetime.timedelta(days=1), datetime.time(14, 0)
if quarter_of(day) != quarter_of(today):
    day, start = today, (timezone.localtime() + datetime.timedelta(minutes=20)).time().replace(second=0, microsecond=0)
topic = meeting.topic
topic_services.topic_submit_lead_paper(topic=topic, actor=actor, text="<p>Đề dẫn của chi bộ.</p>")
topic_services.topic_approve_lead_paper(topic=topic, actor=actor)
clerk = Member.objects.filter(cell=bithu.cell).expected().exclude(pk=bithu.pk).order_by("card_number").first()
meeting = meeting_services.meeting_schedule(
    meeting=meeting, actor=actor, version=None, scheduled_date=day, start_time=start,
    place="Phòng họp tầng 2", chair=bithu, clerk=clerk,
)
meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target="scheduled")
meeting = meeting_services.meeting_send_notice(meeting=meeting, actor=actor)
print(json.dumps({"meeting": meeting.pk, "day": day.isoformat(), "start": start.strftime("%H:%M")}))
"""


def _at(date, time):
    return datetime.datetime.combine(date, time, tzinfo=TZ)


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _axe(page):
    """No serious or critical axe-core violation on the screen as it is now."""
    found = [(v["id"], v["impact"], v["targets"][:3], v.get("detail")) for v in axe_blocking(page)]
    assert found == [], f"axe on {page.url}: {found}"


def _phone_look(phone, path, label, wait_for=None):
    phone.page.goto(path)
    if wait_for:
        phone.page.locator(wait_for).first.wait_for()
    _no_sideways_scroll(phone.page)
    phone.shot(label)


def test_run_the_meeting_in_preparation(stack, browser):
    out = stack.manage("shell", "-c", SETUP).stdout
    setup = json.loads(out.strip().splitlines()[-1])
    pk, day = setup["meeting"], datetime.date.fromisoformat(setup["day"])
    start = datetime.time.fromisoformat(setup["start"])
    run = f"/buoi-sinh-hoat/{pk}/dien-bien/"
    finalize = f"/buoi-sinh-hoat/{pk}/hoan-tat/"
    started = (datetime.datetime.combine(day, start) + datetime.timedelta(minutes=3)).time()
    stack.travel(_at(day, started))
    desk = Journey(browser, stack, "run-desktop")
    phone = Journey(browser, stack, "run-390", mobile=True)
    try:
        desk.login("bithu")
        phone.login("bithu")
        page = desk.page

        # Start (the click on the meeting day is the recorded start, offered when ending).
        page.goto(run)
        page.get_by_role("button", name="Bắt đầu sinh hoạt").click()
        page.get_by_role("link", name="Kết thúc sinh hoạt").wait_for()
        desk.shot("started")

        # Steps 1 and 2 by the buttons named after the next step.
        page.get_by_role("button", name="Ghi nhận và sang bước 2: Cử thư ký ghi biên bản").click()
        page.get_by_role("button", name="Ghi nhận và sang bước 3: Thông báo tình hình đảng viên dự họp").click()

        # 3. Roll call: everyone present in one click, then one exception.
        page.get_by_role("button", name="Tất cả có mặt").click()
        page.locator(".alert-success", has_text="Đã ghi có mặt").wait_for()
        rows = page.locator("#attendance-form tbody tr[id^=att-]")
        row = rows.nth(3)
        row.get_by_label("Vắng có lý do").check()
        reason = row.locator(".attendance-reason input")
        reason.wait_for(state="visible")
        assert row.locator(".invalid-feedback").count() == 0  # no error for the reason yet
        with page.expect_response(lambda r: "/dien-bien/ghi/" in r.url):
            reason.fill("Đi công tác theo phân công của cơ quan")
            reason.press("Tab")
        page.locator("#attendance-counts", has_text="Vắng có lý do").wait_for()
        page.locator("#run-counts", has_text="vắng có lý do 1").wait_for()
        desk.shot("attendance-all-present-one-exception")
        _axe(page)
        _phone_look(phone, run + "?buoc=attendance", "attendance", "#attendance-form")
        page.get_by_role("button", name="Ghi nhận và sang bước 4").click()

        # 4–8.
        page.get_by_role("button", name="Ghi nhận và sang bước 5").click()
        page.fill("#id_text", "Đồng chí Bí thư nêu mục đích, yêu cầu của chuyên đề.")
        page.get_by_role("button", name="Ghi nhận và sang bước 6").click()
        page.fill("#id_text", "Trình bày tóm tắt đề dẫn chuyên đề.")
        page.get_by_role("button", name="Ghi nhận và sang bước 7").click()
        speaker = page.locator("#step-card [name=speaker] option").nth(2).get_attribute("value")
        page.locator("#step-card [name=speaker]").select_option(speaker)
        page.fill("#step-card [name=content]", "Đồng tình với đề dẫn; đề nghị bổ sung giải pháp.")
        with page.expect_response(lambda r: "/dien-bien/ghi/" in r.url):
            page.get_by_role("button", name="Ghi ý kiến").click()
        page.locator("#speeches .list-group-item").first.wait_for()
        page.get_by_role("button", name="Ghi nhận và sang bước 8").click()
        page.fill("#id_text", "Người chuẩn bị đề dẫn tiếp thu các ý kiến.")
        page.get_by_role("button", name="Ghi nhận và sang bước 9").click()

        # 9. One form; a deliberate error (more votes than members present) keeps everything.
        conclusion_text = "Chi ủy chuẩn bị chu đáo; tài liệu gửi trước, đảng viên nghiên cứu kỹ."
        page.fill("#id_preparation_evaluation", conclusion_text)
        page.fill("#id_quality_evaluation", "Buổi sinh hoạt nghiêm túc, nhiều ý kiến liên hệ bản thân.")
        page.fill("#id_adopted", "Thống nhất mỗi đảng viên đăng ký nội dung tự sửa.")
        for score in page.locator("input[id^=id_score_]").all():
            score.fill(score.get_attribute("max") or "10")
        resolution_text = "Chi bộ ra nghị quyết chuyên đề, giao chi ủy tổ chức thực hiện."
        page.fill("#id_text", resolution_text)
        page.fill("#id_votes_for", "999")
        desk.shot("step9-filled")
        page.get_by_role("button", name="Lưu kết luận và ghi nhận bước 9").click()
        errors = page.locator("#step9-errors")
        errors.wait_for()
        assert "Nghị quyết" in errors.inner_text()
        assert page.input_value("#id_preparation_evaluation") == conclusion_text
        assert page.input_value("#id_text") == resolution_text
        desk.shot("step9-error-typed-text-kept")
        _axe(page)
        present = int(page.locator("#resolution-voters").get_attribute("data-present"))
        page.fill("#id_votes_for", str(present))
        page.get_by_role("button", name="Lưu kết luận và ghi nhận bước 9").click()
        page.locator(".alert-success", has_text="Đã lưu bước 9").wait_for()
        desk.shot("step9-saved")
        _phone_look(phone, run + "?buoc=conclusion", "step9", "#step9-form")

        # The finalise tab says what to do first.
        page.goto(finalize)
        page.locator("#do-first", has_text="kết thúc buổi sinh hoạt trước khi hoàn tất biên bản").wait_for()
        desk.shot("finalise-do-first")
        _phone_look(phone, finalize, "finalise-do-first", "#do-first")

        # Two hours later: end, with the times pre-filled (start click, now).
        stack.travel(_at(day, (datetime.datetime.combine(day, start) + datetime.timedelta(hours=2, minutes=5)).time()))
        page.goto(run + "?buoc=conclusion")
        page.get_by_role("link", name="Kết thúc sinh hoạt").first.click()
        page.locator("#ket-thuc").wait_for()
        assert page.input_value("#id_end-actual_start") == started.strftime("%H:%M")
        expected_end = (datetime.datetime.combine(day, start) + datetime.timedelta(hours=2, minutes=5)).time()
        assert page.input_value("#id_end-actual_end") == expected_end.strftime("%H:%M")
        desk.shot("end-form-prefilled")
        _phone_look(phone, run + "?buoc=conclusion&ket-thuc=1", "end-form", "#ket-thuc")
        page.fill("#id_end-actual_end", started.replace(minute=0).strftime("%H:%M"))
        page.get_by_role("button", name="Kết thúc và sang hoàn tất biên bản").click()
        page.locator("#ket-thuc .invalid-feedback", has_text="Giờ kết thúc phải sau giờ bắt đầu.").wait_for()
        assert page.input_value("#id_end-actual_start") == started.strftime("%H:%M")
        desk.shot("end-error")
        _axe(page)
        page.fill("#id_end-actual_end", expected_end.strftime("%H:%M"))
        page.get_by_role("button", name="Kết thúc và sang hoàn tất biên bản").click()
        page.locator(".alert-success", has_text="Đã kết thúc buổi sinh hoạt").wait_for()

        # Finalise: read back and adopted, then the confirmation that says what follows.
        page.get_by_label("Thư ký đã đọc lại biên bản cho chi bộ nghe").check()
        read_back = (datetime.datetime.combine(day, expected_end) - datetime.timedelta(minutes=10)).time()
        page.fill("#id_read_back_time", read_back.strftime("%H:%M"))
        page.get_by_label("Thống nhất 100%").check()
        page.get_by_role("button", name="Lưu kết quả thông qua biên bản").click()
        page.locator(".alert-success", has_text="Đã ghi việc đọc lại biên bản").wait_for()
        desk.shot("finalise-check")
        page.get_by_role("link", name="Hoàn tất biên bản…").click()
        confirm = page.locator("#xac-nhan")
        confirm.wait_for()
        assert "không thể hoàn tác" in confirm.inner_text()
        desk.shot("finalise-confirm")
        _axe(page)
        _phone_look(phone, finalize + "?xac-nhan=1", "finalise-confirm", "#xac-nhan")
        page.get_by_role("button", name="Xác nhận: hoàn tất và gửi biên bản").click()
        page.locator(".alert-success", has_text="Đã hoàn tất biên bản số").wait_for()
        desk.shot("finalised")
    finally:
        stack.travel(None)
    desk.close()
    phone.close()
