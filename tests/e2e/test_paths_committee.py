"""The committee's path without a trainer, in Chromium at 1366 px and at 390 px: capuy opens
the home page, the dashboard, a cell, its report, reads the facts and the minutes on the page,
and returns the report with a comment (the confirmation says the cell must resend).
Screenshots in $E2E_ARTIFACTS/committee-*/.
"""

import pytest

from tests.e2e.conftest import Journey

pytestmark = [pytest.mark.browser]

VIEWPORTS = {"desktop": False, "390": True}
CELL = "Chi bộ cơ quan Ủy ban Mặt trận Tổ quốc tỉnh"  # bithu's cell: reports for Q1–Q3, none reviewed


def _no_sideways_scroll(journey) -> None:
    width = journey.page.evaluate("document.documentElement.scrollWidth")
    assert width <= journey.page.viewport_size["width"], (journey.page.url, width)


def _menu(page, name: str) -> None:
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.locator("nav a", has_text=name).first.click()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_capuy_goes_from_home_to_a_cells_report_and_returns_it(browser, stack, viewport):
    journey = Journey(browser, stack, f"committee-{viewport}", mobile=VIEWPORTS[viewport])
    page = journey.page
    journey.login("capuy")
    _no_sideways_scroll(journey)

    _menu(page, "Tổng hợp")
    page.get_by_role("heading", name="Tổng hợp sinh hoạt chuyên đề").wait_for()
    page.wait_for_timeout(300)
    journey.shot("dashboard")
    _no_sideways_scroll(journey)
    # The quarter under way is never plotted as a fall to 0, quarters to come not at all.
    quarters = page.evaluate("JSON.parse(document.getElementById('dashboard-data').textContent).quarters")
    assert quarters["labels"][-1].endswith("(đang diễn ra)") and quarters["compliance"][-1] is None

    page.locator("table tbody a", has_text=CELL).first.click()
    page.get_by_role("heading", name=CELL).wait_for()
    journey.shot("cell")
    _no_sideways_scroll(journey)

    page.locator("a[data-report-link]", has_text="chờ xem xét").first.click()
    page.get_by_role("heading", name="Số liệu của buổi sinh hoạt").wait_for()
    facts = page.locator("[data-facts]").inner_text()
    assert "đồng chí có mặt" in facts and "phút" in facts and "Ghi nhận:" in facts
    assert page.get_by_role("heading", name="Nội dung biên bản đã khóa").is_visible()
    assert page.get_by_role("link", name="Biên bản (PDF)").is_visible()
    journey.shot("report")
    _no_sideways_scroll(journey)

    # Returning without a comment is stopped by the browser before any question.
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.message))
    page.get_by_role("button", name="Trả lại để bổ sung").click()
    assert asked == []
    assert page.evaluate("document.getElementById('id_comment').validity.valueMissing")

    page.get_by_label("Ý kiến (bắt buộc khi trả lại)").fill(f"Đề nghị bổ sung lý do vắng ({viewport}).")
    page.get_by_label("Ý kiến (bắt buộc khi trả lại)").scroll_into_view_if_needed()
    journey.shot("comment-typed")
    page.get_by_role("button", name="Trả lại để bổ sung").click()
    page.get_by_role("heading", name="Báo cáo nhận được").wait_for()
    assert len(asked) == 1 and "phải gửi bản bổ sung" in asked[0], asked
    assert "phải gửi bản bổ sung" in page.locator(".alert").first.inner_text()
    journey.shot("returned")
    _no_sideways_scroll(journey)
    journey.close()
