"""Issue 17 in the browser, two meetings of bithu's cell in a row (Chromium, 1366 px; the new
committee pages also at 390 px):

1. both meetings are prepared and noticed through the services (the preparation is not this
   path); dangvien opens the first meeting's materials from the notice e-mail, bithu from the
   portal, nobody else: the run page and the finalise page must say 2 of the expected members
   read them at least a day before;
2. the first meeting is held through its nine steps; step 9 turns two points of the conclusion
   into action items (one for dangvien, one for the cell committee);
3. two days later dangvien reports his item done from his home page;
4. the second meeting reviews the committee's item at step 1 (not done) and is finalised;
5. capuy's dashboard then shows, for the cell and the quarter of the due dates, two more items
   due of which one more done on time; the drill-down marks dangvien's item on time and the
   committee's late; the Excel export holds them. axe and sideways scroll on the new pages.

Screenshots in $E2E_ARTIFACTS/actions-*/.
"""

import datetime
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from tests.e2e.checks import axe_blocking, plain_text, scrolls_sideways, subject
from tests.e2e.conftest import PASSWORD, Journey

pytestmark = [pytest.mark.browser, pytest.mark.holds_quarter]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime.time(14, 0)
CELL = "Chi bộ cơ quan Ủy ban Mặt trận Tổ quốc tỉnh"
MEMBER_ITEM = "Đồng chí tự rà soát, đăng ký nội dung khắc phục với chi bộ (kiểm thử e2e)."
COMMITTEE_ITEM = "Chi ủy xây dựng kế hoạch thực hiện kết luận chuyên đề (kiểm thử e2e)."

# Through the services, on the real clock: the demo's meeting in preparation is the first (in
# two days at 14:00), a new thematic meeting twelve days later the second; both get an
# approved lead paper, a chair and a clerk, and their notice.
SETUP = """
import datetime, json
from django.utils import timezone
from meetings.models import Meeting, Member, Plan, TopicGroup
from meetings.periods import quarter_of
from meetings.services import meetings as meeting_services
from meetings.services import topics as topic_services
from meetings.services.plans import plan_add_meeting, plan_create

bithu = Member.objects.select_related("cell", "user").get(user__username="bithu")
dangvien = Member.objects.get(user__username="dangvien")
actor, cell = bithu.user, bithu.cell
today = timezone.localdate()
day1 = today + datetime.timedelta(days=2)
day2 = day1 + datetime.timedelta(days=12)
others = Member.objects.filter(cell=cell).expected().exclude(pk__in=[bithu.pk, dangvien.pk])
clerk = others.order_by("card_number").first()

def notice(meeting, day):
    topic = meeting.topic
    if topic.lead_author_id is None:
        topic_services.topic_assign_lead_author(topic=topic, actor=actor, author=bithu, due=today)
    topic_services.topic_submit_lead_paper(topic=topic, actor=actor, text="<p>Đề dẫn của chi bộ.</p>")
    topic_services.topic_approve_lead_paper(topic=topic, actor=actor)
    if meeting.stage == "planned":
        meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target="preparing")
    meeting = meeting_services.meeting_schedule(
        meeting=meeting, actor=actor, version=None, scheduled_date=day, start_time=datetime.time(14, 0),
        place="Phòng họp tầng 2", chair=bithu, clerk=clerk,
    )
    meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target="scheduled")
    return meeting_services.meeting_send_notice(meeting=meeting, actor=actor)

# Meetings of their own: the cell's meeting in preparation belongs to test_paths_run.
plan = Plan.objects.filter(cell=cell, year=day1.year).first() or plan_create(cell=cell, year=day1.year, actor=actor)
first = plan_add_meeting(
    plan=plan, actor=actor, quarter=quarter_of(day1), title="Thực hiện nghiêm kết luận của chi bộ",
    group=TopicGroup.objects.get(number=3),
)
first = notice(first, day1)
plan = Plan.objects.filter(cell=cell, year=day2.year).first() or plan_create(cell=cell, year=day2.year, actor=actor)
second = plan_add_meeting(
    plan=plan, actor=actor, quarter=quarter_of(day2), title="Nâng cao chất lượng thực hiện kết luận của chi bộ",
    group=TopicGroup.objects.get(number=3),
)
second = notice(second, day2)
print(json.dumps({
    "first": first.pk, "second": second.pk, "day1": day1.isoformat(), "day2": day2.isoformat(),
    "cell": cell.pk, "expected": Member.objects.filter(cell=cell).expected().count(),
    "dangvien": dangvien.full_name, "dangvien_email": dangvien.email,
}))
"""

ITEM_IDS = """
import json
from meetings.models import ActionItem
items = ActionItem.objects.filter(meeting_id=__MEETING__).order_by("number")
print(json.dumps({i.text: i.pk for i in items}))
"""


def _at(date, time):
    return datetime.datetime.combine(date, time, tzinfo=TZ)


def _after_start(day, minutes):
    return _at(day, (datetime.datetime.combine(day, START) + datetime.timedelta(minutes=minutes)).time())


def _axe(page):
    found = [(v["id"], v["impact"], v["targets"][:3], v.get("detail")) for v in axe_blocking(page)]
    assert found == [], f"axe on {page.url}: {found}"


def _phone_look(phone, path, label, wait_for):
    phone.page.goto(path)
    phone.page.locator(wait_for).first.wait_for()
    assert not scrolls_sideways(phone.page), phone.page.url
    phone.shot(label)


def _visit(journey, username, path):
    """Open the page; sessions end days later (the clock travels), so log in again when asked."""
    page = journey.page
    page.goto(path)
    if "/dang-nhap/" in page.url:
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/dang-nhap/" not in url)


def _cell_row(page, cell_id) -> tuple[int, int]:
    """(done on time, due) of the cell's row in the dashboard's "Thực hiện kết luận" table;
    nothing due anywhere below the committee: the section says so and the figures are 0."""
    page.locator("[data-actions-totals], [data-state=no-actions]").first.wait_for()
    if page.locator("[data-state=no-actions]").count():
        return 0, 0
    row = page.locator(f"[data-actions-row='{cell_id}']")
    on_time, due = row.locator("td").nth(2).inner_text().strip().split("/")
    return int(on_time), int(due)


def _hold(stack, desk, pk, day, *, at_step1=None, at_step9=None):
    """bithu holds the meeting through its nine steps, ends it two hours later and finalises."""
    page = desk.page
    run = f"/buoi-sinh-hoat/{pk}/dien-bien/"
    stack.travel(_after_start(day, 3))
    _visit(desk, "bithu", run)
    page.get_by_role("button", name="Bắt đầu sinh hoạt").click()
    page.get_by_role("link", name="Kết thúc sinh hoạt").wait_for()
    if at_step1:
        at_step1(page)
    page.get_by_role("button", name="Ghi nhận và sang bước 2: Cử thư ký ghi biên bản").click()
    page.get_by_role("button", name="Ghi nhận và sang bước 3: Thông báo tình hình đảng viên dự họp").click()
    page.get_by_role("button", name="Tất cả có mặt").click()
    page.locator(".alert-success", has_text="Đã ghi có mặt").wait_for()
    page.get_by_role("button", name="Ghi nhận và sang bước 4").click()
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
    # The page as it now stands (the saved opinion moved the meeting's version on).
    page.reload()
    page.get_by_role("button", name="Ghi nhận và sang bước 8").click()
    page.fill("#id_text", "Người chuẩn bị đề dẫn tiếp thu các ý kiến.")
    page.get_by_role("button", name="Ghi nhận và sang bước 9").click()
    page.fill("#id_preparation_evaluation", "Chi ủy chuẩn bị chu đáo; tài liệu gửi trước.")
    page.fill("#id_quality_evaluation", "Buổi sinh hoạt nghiêm túc, nhiều ý kiến liên hệ bản thân.")
    page.fill("#id_adopted", "Thống nhất mỗi đảng viên đăng ký nội dung tự sửa.")
    for score in page.locator("input[id^=id_score_]").all():
        score.fill(score.get_attribute("max") or "10")
    page.get_by_role("button", name="Lưu kết luận và ghi nhận bước 9").click()
    page.locator(".alert-success", has_text="Đã lưu bước 9").wait_for()
    if at_step9:
        at_step9(page)

    # Two hours after the start: end (times pre-filled), read back, adopted, finalised.
    stack.travel(_after_start(day, 125))
    _visit(desk, "bithu", run + "?buoc=conclusion")
    page.get_by_role("link", name="Kết thúc sinh hoạt").first.click()
    page.locator("#ket-thuc").wait_for()
    page.get_by_role("button", name="Kết thúc và sang hoàn tất biên bản").click()
    page.locator(".alert-success", has_text="Đã kết thúc buổi sinh hoạt").wait_for()
    page.get_by_label("Thư ký đã đọc lại biên bản cho chi bộ nghe").check()
    page.fill(
        "#id_read_back_time",
        (datetime.datetime.combine(day, START) + datetime.timedelta(minutes=115)).strftime("%H:%M"),
    )
    page.get_by_label("Thống nhất 100%").check()
    page.get_by_role("button", name="Lưu kết quả thông qua biên bản").click()
    page.locator(".alert-success", has_text="Đã ghi việc đọc lại biên bản").wait_for()
    desk.shot(f"meeting-{pk}-finalise-page")
    finalize_text = page.locator("#materials-figure").inner_text() if page.locator("#materials-figure").count() else ""
    page.get_by_role("link", name="Hoàn tất biên bản…").click()
    page.locator("#xac-nhan").wait_for()
    page.get_by_role("button", name="Xác nhận: hoàn tất và gửi biên bản").click()
    page.locator(".alert-success", has_text="Đã hoàn tất biên bản số").wait_for()
    desk.shot(f"meeting-{pk}-finalised")
    return finalize_text


def _add_items(setup, due_member, due_committee):
    def add(page):
        form = page.locator("#action-item-add")
        for text, owner, due in (
            (MEMBER_ITEM, setup["dangvien"], due_member),
            (COMMITTEE_ITEM, "Chi ủy", due_committee),
        ):
            form = page.locator("#action-item-add")
            form.locator("textarea[name$='-text']").fill(text)
            value = form.locator("select[name$='-owner'] option", has_text=owner).first.get_attribute("value")
            form.locator("select[name$='-owner']").select_option(value)
            form.locator("input[name$='-due_on']").fill(due.isoformat())
            with page.expect_response(lambda r: "/dien-bien/ghi/" in r.url):
                form.get_by_role("button", name="Thêm việc").click()
            page.locator("#action-item-list", has_text=text).wait_for()
        page.locator("#action-items").scroll_into_view_if_needed()

    return add


def _notice_link(smtp, address, meeting_pk) -> str:
    """The link of the meeting's notice e-mail to this member (the demo sent earlier notices)."""
    pattern = re.compile(rf"https?://\S*buoi={meeting_pk}\b\S*")

    def match(m):
        return (
            address in (m.get("X-Envelope-To") or "")
            and subject(m).startswith("Thông báo sinh hoạt chuyên đề")
            and pattern.search(plain_text(m))
        )

    found = smtp.wait_for(match, timeout=60)
    assert found, f"no notice e-mail of meeting {meeting_pk} to {address}"
    return pattern.search(plain_text(found[-1])).group(0)


def test_two_meetings_from_action_items_to_the_committees_dashboard(stack, smtp, browser):
    # On the real clock: an earlier test of the session may have left the stack at its meeting day,
    # where these notices would be cancelled as late.
    stack.travel(None)
    setup = json.loads(stack.manage("shell", "-c", SETUP).stdout.strip().splitlines()[-1])
    first, second, cell = setup["first"], setup["second"], setup["cell"]
    day1, day2 = datetime.date.fromisoformat(setup["day1"]), datetime.date.fromisoformat(setup["day2"])
    due_member, due_committee = day1 + datetime.timedelta(days=5), day1 + datetime.timedelta(days=8)
    period = f"?nam={due_member.year}&quy={(due_member.month - 1) // 3 + 1}"
    desk = Journey(browser, stack, "actions-desktop")
    member = Journey(browser, stack, "actions-dangvien")
    committee = Journey(browser, stack, "actions-capuy")
    phone = Journey(browser, stack, "actions-390", mobile=True)
    try:
        # The committee's figures for the cell before anything happens.
        committee.login("capuy")
        committee.page.goto(f"/tong-hop/{period}")
        committee.page.locator("[data-section=actions]").wait_for()
        on_time_before, due_before = _cell_row(committee.page, cell)

        # Read receipts: dangvien from the notice e-mail's link, bithu from the portal.
        link = _notice_link(smtp, setup["dangvien_email"], first)
        assert "tu=thu" in link, link
        member.login("dangvien")
        member.page.goto(link)
        member.page.locator(f"#reply-{first}").wait_for()
        member.shot("materials-from-email")
        desk.login("bithu")
        desk.page.goto(f"/lich-hop/?buoi={first}")
        desk.page.locator(f"#reply-{first}").wait_for()
        expected_figure = f"đọc tài liệu trước ≥ 1 ngày: 2/{setup['expected']}"

        # Meeting 1: the figure on the run page, two action items in step 9.
        def step1_first(page):
            figure = page.locator("[data-materials-figure]").inner_text()
            assert expected_figure in figure.lower(), figure
            desk.shot("first-run-materials-figure")

        finalize_figure = _hold(
            stack,
            desk,
            first,
            day1,
            at_step1=step1_first,
            at_step9=_add_items(setup, due_member, due_committee),
        )
        assert expected_figure in finalize_figure, finalize_figure
        items = json.loads(
            stack.manage("shell", "-c", ITEM_IDS.replace("__MEETING__", str(first))).stdout.splitlines()[-1]
        )
        assert set(items) == {MEMBER_ITEM, COMMITTEE_ITEM}

        # Two days later the owner reports his item done from his home page.
        stack.travel(_at(day1 + datetime.timedelta(days=2), datetime.time(20, 0)))
        page = member.page
        _visit(member, "dangvien", "/")
        page.locator(f"a[href='/viec-thuc-hien/{items[MEMBER_ITEM]}/']").click()
        page.locator("#progress-form").wait_for()
        page.get_by_label("Đã hoàn thành").check()
        page.fill("#id_note", "Đã đăng ký nội dung khắc phục với chi bộ.")
        member.shot("progress-typed")
        page.get_by_role("button", name="Lưu tiến độ").click()
        page.locator(".alert-success", has_text="Đã cập nhật tiến độ").wait_for()
        member.shot("progress-saved")

        # Meeting 2 reviews the committee's item at step 1: not done (past its due date).
        def review(page):
            row = page.locator(f"#kiem-diem-{items[COMMITTEE_ITEM]}")
            row.wait_for()
            assert page.locator(f"#kiem-diem-{items[MEMBER_ITEM]}").count() == 0  # done: nothing to review
            row.get_by_label("Tình trạng").select_option("not_done")
            row.get_by_label("Ghi chú").fill("Chưa ban hành kế hoạch; chuyển kỳ sau.")
            with page.expect_response(lambda r: "/kiem-diem-viec/" in r.url):
                row.get_by_role("button", name=re.compile("Lưu kiểm điểm")).click()
            saved = page.locator(f"#kiem-diem-{items[COMMITTEE_ITEM]}")
            saved.get_by_role("button", name=re.compile("Sửa kiểm điểm")).wait_for()
            desk.shot("second-review-saved")
            _axe(page)

        _hold(stack, desk, second, day2, at_step1=review)

        # The committee's dashboard: two more items due, one more done on time.
        stack.travel(_after_start(day2, 180))
        page = committee.page
        _visit(committee, "capuy", f"/tong-hop/{period}")
        page.locator("[data-section=actions]").wait_for()
        assert _cell_row(page, cell) == (on_time_before + 1, due_before + 2)
        page.locator("[data-section=actions]").scroll_into_view_if_needed()
        committee.shot("dashboard-actions-section")
        _axe(page)
        page.locator(f"[data-actions-row='{cell}'] a").click()
        page.get_by_role("heading", name="Thực hiện kết luận").wait_for()
        member_row = page.locator("[data-item]", has_text=MEMBER_ITEM)
        committee_row = page.locator("[data-item]", has_text=COMMITTEE_ITEM)
        assert "Đúng hạn" in member_row.inner_text() and member_row.get_attribute("data-late") is None
        assert "Trễ hạn" in committee_row.inner_text() and "Không hoàn thành" in committee_row.inner_text()
        committee.shot("drill-down")
        _axe(page)
        with page.expect_download() as download:
            page.locator("[data-export]").click()
        assert download.value.suggested_filename.endswith(".xlsx"), download.value.suggested_filename
        with open(download.value.path(), "rb") as saved:
            book = load_workbook(io.BytesIO(saved.read()))
        texts = [row[5] for row in book.active.iter_rows(min_row=2, values_only=True)]
        assert MEMBER_ITEM in texts and COMMITTEE_ITEM in texts

        # The same pages on a phone: nothing scrolls sideways.
        phone.login("capuy")
        _phone_look(phone, f"/tong-hop/{period}", "dashboard", "[data-section=actions]")
        phone.page.locator("[data-section=actions]").scroll_into_view_if_needed()
        phone.shot("dashboard-actions-section")
        _phone_look(phone, f"/tong-hop/{cell}/thuc-hien-ket-luan/{period}", "drill-down", "[data-items]")
        _axe(phone.page)
    except Exception:
        for journey in (desk, member, committee, phone):
            journey.shot("failure")
        raise
    finally:
        stack.travel(None)
    for journey in (desk, member, committee, phone):
        journey.close()
