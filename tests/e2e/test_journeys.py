"""Browser journeys, in order, on one live stack (gunicorn + PostgreSQL + Celery
worker + SMTP sink):

1. `bithu` plans a thematic meeting for the current quarter from a directed topic, prepares
   it, schedules it three days ahead and sends the notice;
2. `dangvien` on a phone submits the assigned contribution (text and a PDF) and replies that
   he will attend;
3. on the day of the meeting (the server's clock is moved there) `bithu` runs the nine steps,
   ends the meeting, finalises the minutes and downloads the PDF;
4. `dangvien` reads the finished topic in the library; `capuy` sees the cell turn compliant and
   the report arrive; the e-mails are checked in the SMTP sink.

The journeys share state through `STATE`: each test needs the ones before it.
"""

import datetime
import email.header
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader, PdfWriter

from meetings.periods import quarter_of
from tests.e2e.conftest import Journey

pytestmark = [pytest.mark.browser, pytest.mark.worker]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DESKTOP = {"width": 1366, "height": 900}
COMMITTEE_EMAIL = "danguykhoi@demo.chibo.vn"
DIRECTED_TITLE = "Tự soi, tự sửa"
CONTRIBUTION_SUBJECT = "Liên hệ bản thân trong việc tự soi, tự sửa tại bộ phận"
CONTRIBUTION_TEXT = (
    "Nhận thức: tự soi, tự sửa là việc thường xuyên của mỗi đảng viên.\n"
    "Thực trạng: bộ phận đã rà soát khuyết điểm sau kiểm điểm năm trước; còn chậm khắc phục.\n"
    "Giải pháp: mỗi đồng chí lập kế hoạch khắc phục, chi ủy kiểm tra hằng tháng."
)
STATE: dict = {}


def _today() -> datetime.date:
    return datetime.datetime.now(TZ).date()


def _at(date: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(date, datetime.time(hour, minute), tzinfo=TZ)


def _choose(select, text: str) -> None:
    """Pick the option of a <select> whose label contains `text`."""
    value = select.locator("option", has_text=text).first.get_attribute("value")
    select.select_option(value)


def _small_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _decoded(value: str | None) -> str:
    return str(email.header.make_header(email.header.decode_header(value or "")))


def _body(message) -> str:
    parts = message.walk() if message.is_multipart() else [message]
    texts = []
    for part in parts:
        if part.get_content_type() in ("text/plain", "text/html"):
            texts.append(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8", "replace"))
    return "\n".join(texts)


def _sent_to(address: str):
    address = address.lower()
    return lambda m: address in (m.get("X-Envelope-To") or "").lower()


def _dashboard_figures(page, cell_name: str) -> dict:
    stat = {
        name: page.locator(f"[data-stat={name}]").inner_text().strip()
        for name in ("total", "compliant", "non-compliant", "reports")
    }
    row = page.locator("table tbody tr", has=page.get_by_role("link", name=cell_name, exact=True))
    cells = row.locator("td").all_inner_texts()
    return {
        "compliant": int(stat["compliant"]),
        "non_compliant": int(stat["non-compliant"]),
        "reports": int(stat["reports"]),
        "total": int(stat["total"]),
        "cell_row": [c.strip() for c in cells],
    }


@pytest.fixture(scope="module")
def demo(stack):
    """Names and addresses the journeys need, read from the seeded database."""
    code = """
import json
from meetings.models import Member, Organization
bithu = Member.objects.select_related("cell", "cell__parent").get(user__username="bithu")
dangvien = Member.objects.get(user__username="dangvien")
others = list(
    Member.objects.filter(cell=bithu.cell, status__in=["active", "visiting"])
    .exclude(pk__in=[bithu.pk, dangvien.pk]).order_by("card_number").values("full_name", "email", "position")
)
print(json.dumps({
    "cell": bithu.cell.name, "committee": bithu.cell.parent.name, "committee_email": bithu.cell.parent.email,
    "bithu": bithu.full_name, "dangvien": dangvien.full_name, "dangvien_email": dangvien.email,
    "others": others,
}))
"""
    out = stack.manage("shell", "-c", code).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def dates():
    today = _today()
    meeting_day = today + datetime.timedelta(days=3)
    if quarter_of(meeting_day) != quarter_of(today):
        # Last days of a quarter: hold it today+2 at the latest (still ≥ 1 day of notice).
        meeting_day = today + datetime.timedelta(days=2)
    return {
        "today": today,
        "due": today + datetime.timedelta(days=1),
        "meeting": meeting_day,
        "year": meeting_day.year,
        "quarter": quarter_of(meeting_day),
    }


def test_capuy_dashboard_before(browser, stack, demo, dates):
    journey = Journey(browser, stack, "0-capuy-before")
    page = journey.page
    journey.login("capuy")
    page.goto(f"/tong-hop/?nam={dates['year']}&quy={dates['quarter']}")
    page.get_by_role("heading", name="Tổng hợp sinh hoạt chuyên đề").wait_for()
    before = _dashboard_figures(page, demo["cell"])
    page.wait_for_timeout(1500)  # let Chart.js finish its animation before the screenshot
    journey.shot("dashboard-before")
    page.goto("/bao-cao-nhan-duoc/")
    journey.shot("report-inbox-before")
    STATE["dashboard_before"] = before
    journey.close()


def test_bithu_plans_prepares_schedules_and_sends_notice(browser, stack, demo, dates):
    journey = Journey(browser, stack, "1-bithu-prepare", viewport=DESKTOP)
    page = journey.page
    journey.login("bithu")

    # The yearly plan (the demo made this year's; create next year's if the meeting falls there).
    page.goto("/ke-hoach/")
    journey.shot("plan-index")
    year_link = page.get_by_role("link", name=re.compile(rf"Năm {dates['year']}"))
    if year_link.count() == 0:
        page.fill("input[name=year]", str(dates["year"]))
        page.get_by_role("button", name="Lập kế hoạch").click()
    else:
        year_link.first.click()
    page.get_by_role("heading", name=f"Kế hoạch sinh hoạt chuyên đề năm {dates['year']}").wait_for()
    journey.shot("plan-detail")

    # Add a thematic meeting for the quarter with a topic directed by the superior committee.
    meetings_before = set(page.locator("a[href^='/buoi-sinh-hoat/']").evaluate_all("els => els.map(e => e.pathname)"))
    page.select_option("#id_quarter", str(dates["quarter"]))
    page.select_option("#id_planned_month", str(dates["meeting"].month))
    _choose(page.locator("#id_directed_topic"), DIRECTED_TITLE)
    _choose(page.locator("#id_responsible"), demo["bithu"])
    page.fill("#id_description", "Mỗi đảng viên tự soi, tự sửa; chi bộ thống nhất giải pháp khắc phục hạn chế.")
    journey.shot("plan-add-filled")
    page.get_by_role("button", name="Thêm vào kế hoạch").click()
    page.locator(".alert-success", has_text="Đã thêm chuyên đề").wait_for()
    meetings_after = set(page.locator("a[href^='/buoi-sinh-hoat/']").evaluate_all("els => els.map(e => e.pathname)"))
    new = meetings_after - meetings_before
    assert len(new) == 1, (meetings_before, meetings_after)
    meeting_path = new.pop()
    STATE["meeting_path"] = meeting_path
    STATE["meeting_id"] = int(meeting_path.strip("/").split("/")[-1])
    journey.shot("plan-added")

    # Meeting overview: start the preparation.
    page.goto(meeting_path)
    page.get_by_role("button", name="Bắt đầu chuẩn bị").click()
    page.locator(".alert-success", has_text="Đang chuẩn bị").wait_for()
    journey.shot("meeting-preparing")

    # Topic: lead-paper author, lead paper, approval, a contribution for dangvien.
    page.get_by_role("link", name="1. Chuẩn bị chuyên đề").click()
    page.get_by_role("heading", name=DIRECTED_TITLE).wait_for()
    STATE["topic_path"] = page.url.split(stack.url, 1)[-1]
    _choose(page.locator("#id_author"), demo["bithu"])
    page.fill("#id_due", dates["due"].isoformat())
    page.get_by_role("button", name="Phân công", exact=True).click()
    page.locator(".alert-success", has_text="chuẩn bị đề dẫn").wait_for()
    journey.shot("topic-author-assigned")

    page.fill(
        "#id_text",
        "Đề dẫn chuyên đề “Tự soi, tự sửa”.\n1. Ý nghĩa của việc tự soi, tự sửa.\n"
        "2. Thực trạng tại chi bộ: kết quả, hạn chế.\n3. Giải pháp cho từng đảng viên và chi bộ.",
    )
    page.get_by_role("button", name="Nộp đề dẫn").click()
    page.locator(".alert-success", has_text="Đã nộp đề dẫn").wait_for()
    page.get_by_role("button", name="Duyệt đề dẫn").click()
    page.locator(".alert-success", has_text="Đã duyệt đề dẫn").wait_for()
    journey.shot("topic-lead-paper-approved")

    _choose(page.locator("#id_member"), demo["dangvien"])
    page.fill("#id_subject", CONTRIBUTION_SUBJECT)
    page.fill("#id_due_on", dates["due"].isoformat())
    page.get_by_role("button", name="Phân công tham luận").click()
    page.locator(".alert-success", has_text="chuẩn bị tham luận").wait_for()
    assigned = page.locator(".card", has_text="Tham luận được phân công").locator(".list-group-item")
    assert assigned.filter(has_text=CONTRIBUTION_SUBJECT).count() == 1
    journey.shot("topic-contribution-assigned")

    # Schedule: three days ahead, so the notice is on time.
    page.goto(meeting_path)
    schedule = page.locator("form[action$='/lich-hop/']")
    schedule.locator("[name=scheduled_date]").fill(dates["meeting"].isoformat())
    schedule.locator("[name=start_time]").fill("14:00")
    schedule.locator("[name=place]").fill("Hội trường tầng 2, trụ sở cơ quan")
    _choose(schedule.locator("[name=chair]"), demo["bithu"])
    clerk = next(m for m in demo["others"] if m["position"] == "committee")
    STATE["clerk"] = clerk["full_name"]
    _choose(schedule.locator("[name=clerk]"), clerk["full_name"])
    journey.shot("schedule-filled")
    schedule.get_by_role("button", name="Lưu lịch họp").click()
    page.locator(".alert-success", has_text="Đã lưu lịch họp").wait_for()
    page.get_by_role("button", name="Lên lịch họp").click()
    page.locator(".alert-success", has_text="Đã lên lịch").wait_for()
    assert page.locator(".card-footer .text-warning-emphasis").count() == 0, "notice would be late"
    journey.shot("meeting-scheduled")
    page.get_by_role("button", name="Gửi thông báo").click()
    page.locator(".alert-success", has_text="Đã gửi thông báo").wait_for()
    assert page.locator(".alert-warning").count() == 0
    assert "chưa gửi" not in page.locator(".card", has_text="Tình hình chuẩn bị").inner_text()
    journey.shot("notice-sent")
    journey.close()


def test_notice_email_reaches_dangvien(smtp, demo, dates):
    subject = f"Thông báo sinh hoạt chuyên đề “{DIRECTED_TITLE}” – 14:00 {dates['meeting']:%d/%m/%Y}"

    def notice(m):
        return _sent_to(demo["dangvien_email"])(m) and _decoded(m["Subject"]) == subject

    found = smtp.wait_for(notice, timeout=60)
    assert found, [(_decoded(m["Subject"]), m["X-Envelope-To"]) for m in smtp.messages[-10:]]
    assert len(found) == 1
    assert "Hội trường tầng 2" in _body(found[0])


def test_dangvien_phone_submits_contribution_and_replies(browser, stack, demo, dates, tmp_path):
    journey = Journey(browser, stack, "2-dangvien-phone", mobile=True)
    page = journey.page
    journey.login("dangvien")

    page.goto("/viec-cua-toi/")
    task = page.locator(".list-group-item", has_text=CONTRIBUTION_SUBJECT)
    task.wait_for()
    assert "Chưa nộp" in task.inner_text()
    journey.shot("my-tasks")
    task.get_by_role("link", name="Nộp tham luận").click()
    page.get_by_role("heading", name=re.compile("Tham luận:")).wait_for()
    page.fill("#id_text", CONTRIBUTION_TEXT)
    attachment = tmp_path / "tham-luan.pdf"
    attachment.write_bytes(_small_pdf())
    page.set_input_files("#id_file", str(attachment))
    journey.shot("contribution-filled")
    page.get_by_role("button", name="Nộp tham luận").click()
    page.locator(".alert-success", has_text="Đã nộp tham luận").wait_for()
    task = page.locator(".list-group-item", has_text=CONTRIBUTION_SUBJECT)
    assert "Đã nộp" in task.inner_text()
    journey.shot("my-tasks-submitted")

    page.goto("/lich-hop/")
    reply = page.locator(f"#reply-{STATE['meeting_id']}")
    reply.wait_for()
    card = page.locator(".card", has=reply)
    assert dates["meeting"].strftime("%d/%m/%Y") in card.inner_text()
    journey.shot("my-meetings")
    with page.expect_response(lambda r: "/tra-loi/" in r.url):
        reply.get_by_role("button", name="Tôi sẽ tham dự").click()
    page.locator(f"#reply-{STATE['meeting_id']}", has_text="Sẽ tham dự").wait_for()
    journey.shot("replied-will-attend")
    journey.close()


def test_bithu_runs_the_meeting_on_its_day(browser, stack, smtp, demo, dates):
    # The meeting day, 14:00: the secretary opens the run page as the meeting starts.
    stack.travel(_at(dates["meeting"], 14, 0))
    journey = Journey(browser, stack, "3-bithu-run", viewport=DESKTOP)
    page = journey.page
    journey.login("bithu")
    run_path = STATE["meeting_path"] + "dien-bien/"
    page.goto(run_path)
    journey.shot("run-before-start")
    page.get_by_role("button", name="Bắt đầu sinh hoạt").click()
    page.locator(".alert-success", has_text="Đang sinh hoạt").wait_for()

    def record(button_name: str, next_step_number: int | None):
        page.get_by_role("button", name=button_name).click()
        if next_step_number is not None:
            page.locator("#step-card .card-header", has_text=f"Bước {next_step_number}/9").wait_for()

    # 1. Purpose and guests.
    page.locator("#step-card .card-header", has_text="Bước 1/9").wait_for()
    page.locator("summary", has_text="Thêm đại biểu").click()
    page.fill("#step-card [name=name]", "Trần Văn Khối")
    page.fill("#step-card [name=title]", "Ủy viên Ban Thường vụ Đảng ủy Khối")
    page.get_by_role("button", name="Thêm", exact=True).click()
    page.locator("#step-card .list-group-item", has_text="Trần Văn Khối").wait_for()
    page.fill("#id_note", "Chủ trì tuyên bố lý do, giới thiệu đại biểu Đảng ủy Khối.")
    journey.shot("step1-opening")
    record("Ghi nhận và sang bước 2", 2)

    # 2. Clerk (chosen when scheduling; confirmed here).
    assert page.locator("#id_clerk option:checked").inner_text() == STATE["clerk"]
    journey.shot("step2-clerk")
    record("Ghi nhận và sang bước 3", 3)

    # 3. Attendance: dangvien's advance reply is pre-filled; one member is away with a reason.
    row = page.locator("tr", has_text=demo["dangvien"])
    assert "Theo trả lời trước" in row.inner_text()
    assert row.locator("input[value=present]").is_checked()
    journey.shot("step3-attendance-prefilled")
    absent = demo["others"][-1]["full_name"]
    # "Tất cả có mặt" first, then the exception.
    with page.expect_response(lambda r: "/dien-bien/ghi/" in r.url):
        page.get_by_role("button", name="✓ Tất cả có mặt").click()
    page.locator(".alert-success", has_text="Đã ghi có mặt").wait_for()
    row = page.locator("#attendance-form tbody tr", has_text=absent)
    with page.expect_response(lambda r: "/dien-bien/ghi/" in r.url):
        row.locator("input[value=excused]").check()
    # Choosing "excused" opens the reason field, without an error.
    row.locator(".attendance-reason input").wait_for(state="visible")
    assert "vui lòng ghi lý do" not in row.inner_text()
    with page.expect_response(lambda r: "/dien-bien/ghi/" in r.url):
        row.locator("input[name^=reason_]").fill("Đi công tác theo quyết định của cơ quan")
        row.locator("input[name^=reason_]").press("Tab")
    page.locator("#attendance-counts", has_text="✓ khớp").wait_for()
    counts = page.locator("#attendance-counts").inner_text()
    assert re.search(r"Chưa điểm danh\s+0", counts), counts
    assert "✓ khớp" in page.locator("#step-card").inner_text()
    journey.shot("step3-attendance-done")
    record("Ghi nhận và sang bước 4", 4)

    # 4. Programme (the default programme is pre-filled).
    assert "Trình bày đề dẫn" in page.input_value("#id_text")
    journey.shot("step4-programme")
    record("Ghi nhận và sang bước 5", 5)

    # 5. Purpose and requirements.
    page.fill("#id_text", "Mỗi đảng viên tự soi, tự sửa; chi bộ thống nhất giải pháp khắc phục hạn chế, khuyết điểm.")
    journey.shot("step5-purpose")
    record("Ghi nhận và sang bước 6", 6)

    # 6. Lead paper.
    page.fill("#id_text", f"Đồng chí {demo['bithu']} trình bày đề dẫn: ý nghĩa, thực trạng, giải pháp.")
    journey.shot("step6-lead-paper")
    record("Ghi nhận và sang bước 7", 7)

    # 7. Speeches: dangvien's contribution, then a spoken opinion.
    pending = page.locator("form", has_text=CONTRIBUTION_SUBJECT)
    with page.expect_response(lambda r: "/dien-bien/ghi/" in r.url):
        pending.get_by_role("button", name="Đã trình bày").click()
    page.locator("#speeches .list-group-item", has_text=demo["dangvien"]).wait_for()
    speaker = demo["others"][2]["full_name"]
    _choose(page.locator("#step-card [name=speaker]"), speaker)
    page.fill("#step-card [name=content]", "Đồng tình với đề dẫn; đề nghị mỗi đảng viên đăng ký nội dung tự sửa.")
    with page.expect_response(lambda r: "/dien-bien/ghi/" in r.url):
        page.get_by_role("button", name="Ghi ý kiến").click()
    page.locator("#speeches .list-group-item", has_text=speaker).wait_for()
    assert page.locator("#speeches .list-group-item").count() == 2
    assert CONTRIBUTION_TEXT.splitlines()[0] in page.locator("#speeches").inner_text()
    journey.shot("step7-speeches")
    record("Ghi nhận và sang bước 8", 8)

    # 8. The author's response.
    page.fill("#id_text", "Đồng chí bí thư tiếp thu các ý kiến, bổ sung giải pháp vào đề dẫn.")
    journey.shot("step8-response")
    record("Ghi nhận và sang bước 9", 9)

    # 9. Conclusion with the quality criteria, a resolution and its vote.
    page.fill("#id_preparation_evaluation", "Chi ủy chuẩn bị chu đáo; đề dẫn và tham luận gửi trước ba ngày.")
    page.fill("#id_quality_evaluation", "Buổi sinh hoạt nghiêm túc, nhiều ý kiến liên hệ bản thân.")
    page.fill("#id_adopted", "Thống nhất mỗi đảng viên đăng ký nội dung tự sửa, chi ủy kiểm tra hằng tháng.")
    page.fill("#id_orientation", "Nêu cao tinh thần tự phê bình và phê bình.")
    scores = {"preparation": 19, "attendance": 14, "procedure": 14, "discussion": 23, "conclusion": 14, "minutes": 9}
    for key, value in scores.items():
        page.fill(f"#id_score_{key}", str(value))
    # Only full members present vote: the page says how many. One form, one save for step 9.
    present = int(page.locator("#resolution-voters").get_attribute("data-present"))
    page.fill("#id_text", "Chi bộ ban hành nghị quyết chuyên đề “Tự soi, tự sửa”, giao chi ủy tổ chức thực hiện.")
    page.fill("#id_votes_for", str(present))
    journey.shot("step9-conclusion-filled")
    page.get_by_role("button", name="Lưu kết luận và ghi nhận bước 9").click()
    total = sum(scores.values())
    page.locator(".alert-success", has_text=f"{total} điểm").wait_for()
    page.locator("#resolution-result", has_text="nghị quyết hợp lệ").wait_for()
    STATE["present"] = present
    journey.shot("step9-resolution")
    journey.close()

    # 16:05, the meeting is over: actual times, end, finalise.
    stack.travel(_at(dates["meeting"], 16, 5))
    journey = Journey(browser, stack, "4-bithu-finalise", viewport=DESKTOP)
    page = journey.page
    journey.login("bithu")
    page.goto(run_path + "?buoc=conclusion")
    assert page.locator(".stepper .done").count() == 9
    journey.shot("run-all-steps-done")
    # Ending asks the actual times (pre-filled: the start click, now); the secretary corrects them.
    page.get_by_role("link", name="Kết thúc sinh hoạt").first.click()
    page.fill("#id_end-actual_start", "14:00")
    page.fill("#id_end-actual_end", "16:00")
    page.get_by_role("button", name="Kết thúc và sang hoàn tất biên bản").click()
    page.locator(".alert-success", has_text="Đã kết thúc buổi sinh hoạt (14:00 – 16:00)").wait_for()
    assert "120 phút" in page.content()
    page.get_by_role("heading", name=DIRECTED_TITLE).wait_for()
    # Before closing, the minute-taker read the minutes back and the cell adopted them.
    assert "Chưa ghi việc thư ký đọc lại biên bản" in page.content()
    page.get_by_label("Thư ký đã đọc lại biên bản cho chi bộ nghe").check()
    page.fill("#id_read_back_time", "15:55")
    page.get_by_label("Thống nhất 100%").check()
    page.get_by_role("button", name="Lưu kết quả thông qua biên bản").click()
    page.locator(".alert-success", has_text="Đã ghi việc đọc lại biên bản").wait_for()
    assert "✓ Đã ghi đủ 9 bước" in page.content()
    assert "Không có cảnh báo." in page.content()
    journey.shot("finalise-check")
    STATE["mail_mark"] = len(smtp.messages)
    page.get_by_role("link", name="Hoàn tất biên bản…").click()
    page.get_by_role("button", name="Xác nhận: hoàn tất và gửi biên bản").click()
    done = page.locator(".alert-success", has_text="Đã hoàn tất biên bản số")
    done.wait_for()
    STATE["minutes_label"] = re.search(r"biên bản số (\S+?);", done.inner_text()).group(1)
    journey.shot("finalised")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải biên bản (PDF)").first.click()
    download = download_info.value
    assert download.suggested_filename.startswith("bien-ban-")
    pdf_path = journey.folder / download.suggested_filename
    download.save_as(pdf_path)
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(text.split())
    assert "BIÊN BẢN" in flat
    assert DIRECTED_TITLE in flat
    assert demo["dangvien"] in flat
    assert "đọc lại cho chi bộ nghe lúc 15 giờ 55 phút; chi bộ thống nhất thông qua 100%" in flat
    journey.close()


def test_dangvien_reads_the_finished_topic_in_the_library(browser, stack, demo, dates):
    journey = Journey(browser, stack, "5-dangvien-library", mobile=True)
    page = journey.page
    journey.login("dangvien")
    page.goto("/thu-vien/")
    page.fill("input[name=q]", "tu soi")
    page.get_by_role("button", name="Tìm").click()
    page.wait_for_url(re.compile(r"q=tu\+soi"))
    day = dates["meeting"].strftime("%d/%m/%Y")
    hit = page.locator(".list-group a", has_text=DIRECTED_TITLE).filter(has_text=day)
    assert hit.count() == 1
    journey.shot("library-search")
    hit.click()
    page.get_by_role("heading", name=DIRECTED_TITLE).wait_for()
    body = page.locator("main").inner_text() if page.locator("main").count() else page.content()
    assert CONTRIBUTION_SUBJECT in body
    assert f"Sinh hoạt ngày {day}" in body
    journey.shot("library-topic")
    journey.close()


def test_capuy_sees_the_cell_compliant_and_the_report(browser, stack, demo, dates):
    before = STATE["dashboard_before"]
    journey = Journey(browser, stack, "6-capuy-after")
    page = journey.page
    journey.login("capuy")
    page.goto(f"/tong-hop/?nam={dates['year']}&quy={dates['quarter']}")
    page.get_by_role("heading", name="Tổng hợp sinh hoạt chuyên đề").wait_for()
    after = _dashboard_figures(page, demo["cell"])
    page.wait_for_timeout(1500)  # let Chart.js finish its animation before the screenshot
    journey.shot("dashboard-after")
    assert after["total"] == before["total"]
    assert after["compliant"] == before["compliant"] + 1, (before, after)
    assert after["non_compliant"] == before["non_compliant"] - 1, (before, after)
    assert after["reports"] == before["reports"] + 1, (before, after)
    # The cell's own row: 1 cell, 1 done, 0 not done.
    assert after["cell_row"][1:4] == ["1", "1", "0"], after["cell_row"]
    assert before["cell_row"][1:4] == ["1", "0", "1"], before["cell_row"]

    page.locator("nav a", has_text="Báo cáo nhận được").first.click()
    page.get_by_role("heading", name="Báo cáo nhận được").wait_for()
    report = (
        page.locator(".list-group a", has_text=demo["cell"])
        .filter(has_text=DIRECTED_TITLE)
        .filter(has_text=f"Biên bản số {STATE['minutes_label']}")
    )
    assert report.count() == 1
    journey.shot("report-inbox")
    report.click()
    page.get_by_text("Biên bản (PDF)").wait_for()
    journey.shot("report-detail")
    journey.close()


def test_finalisation_emails_reach_members_and_committee(smtp, demo):
    assert demo["committee_email"] == COMMITTEE_EMAIL
    mark = STATE["mail_mark"]  # the sink's length just before finalising

    def after_finalising(predicate):
        def check(m):
            return predicate(m) and any(m is x for x in smtp.messages[mark:])

        return check

    study_subject = f"Tài liệu nghiên cứu: chuyên đề “{DIRECTED_TITLE}” đã hoàn thành"
    to_member = smtp.wait_for(
        after_finalising(lambda m: _sent_to(demo["dangvien_email"])(m) and _decoded(m["Subject"]) == study_subject),
        timeout=60,
    )
    assert to_member, [(_decoded(m["Subject"]), m["X-Envelope-To"]) for m in smtp.messages[mark:][-10:]]
    assert len(to_member) == 1

    report_subject = (
        f"Báo cáo sinh hoạt chuyên đề: {demo['cell']} – “{DIRECTED_TITLE}” (biên bản số {STATE['minutes_label']})"
    )
    to_committee = smtp.wait_for(
        after_finalising(lambda m: _sent_to(COMMITTEE_EMAIL)(m) and _decoded(m["Subject"]) == report_subject),
        timeout=60,
    )
    assert to_committee, [(_decoded(m["Subject"]), m["X-Envelope-To"]) for m in smtp.messages[mark:][-10:]]
    assert len(to_committee) == 1
