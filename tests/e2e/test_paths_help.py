"""Issue 15 (usable without a trainer), in Chromium at 1366 px and 390 px: the guide reached
from the menu of the home page; an htmx refusal (CSRF, server error, network) said where the
member tapped; a full-page post with errors lands on the error summary; "Quên mật khẩu?"
end to end through the SMTP sink. The new pages have no serious axe violation, fit 390 px and
have 44 px tap targets. Screenshots in e2e-artifacts/help-*/.
"""

import json
import re

import pytest

from tests.e2e.checks import LAYOUT, TAP_MIN, axe_blocking, plain_text, scrolls_sideways, subject
from tests.e2e.conftest import PASSWORD, Journey
from tests.e2e.test_email_links import SETUP

pytestmark = [pytest.mark.browser, pytest.mark.worker]

VIEWPORTS = {"desktop": False, "390": True}
ROLE_GUIDE = {"bithu": "bi-thu", "dangvien": "dang-vien", "capuy": "cap-uy"}


IN_VIEW = "(box) => { const r = box.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }"


def _audit(page, *, phone: bool):
    """No serious/critical axe violation; at 390 px no sideways scroll and no small tap target."""
    violations = axe_blocking(page)
    assert violations == [], f"{page.url}: {violations}"
    if phone:
        layout = page.evaluate(LAYOUT, TAP_MIN)
        assert layout["scrollWidth"] <= layout["innerWidth"], f"{page.url}: {layout['wide']}"
        # The skip link is off screen until focused; a card's stretched link taps as the whole card.
        small = [s for s in layout["small"] if ".skip-link" not in s and "stretched-link" not in s]
        assert small == [], f"{page.url}: small tap targets {small}"


def _open_user_menu(page, phone):
    if phone:
        page.get_by_role("button", name="Mở menu").click()
    page.locator("#nav .dropdown-toggle").click()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("username", list(ROLE_GUIDE))
def test_guide_is_reached_from_the_home_page_menu_with_the_users_role_first(browser, stack, username, viewport):
    phone = VIEWPORTS[viewport]
    journey = Journey(browser, stack, f"help-guide-{username}-{viewport}", mobile=phone)
    page = journey.page
    journey.login(username)
    _open_user_menu(page, phone)
    page.get_by_role("link", name="Hướng dẫn sử dụng").first.click()
    page.wait_for_url("**/huong-dan/")
    first = page.locator(".guide .card h2 a").first
    assert first.get_attribute("href") == f"/huong-dan/{ROLE_GUIDE[username]}/"
    assert "Dành cho đồng chí" in page.locator(".guide .card").first.inner_text()
    assert not scrolls_sideways(page)
    _audit(page, phone=phone)
    journey.shot("guide-index")

    first.click()
    page.wait_for_url(f"**/huong-dan/{ROLE_GUIDE[username]}/")
    page.locator(".guide-shot img").first.scroll_into_view_if_needed()
    images = page.locator(".guide-shot img")
    assert images.count() >= 2
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0"), images.nth(i).get_attribute("src")
    assert not scrolls_sideways(page)
    _audit(page, phone=phone)
    page.evaluate("window.scrollTo(0, 0)")
    journey.shot("role-guide")
    journey.close()


@pytest.fixture(scope="module")
def noticed(stack):
    out = stack.manage("shell", "-c", SETUP).stdout
    return json.loads(out.strip().splitlines()[-1])


# As if the page had outlived its session: the form's token and the htmx header both wrong.
STALE_TOKEN = """() => {
  document.querySelectorAll('input[name=csrfmiddlewaretoken]').forEach((i) => { i.value = 'x'.repeat(64); });
  document.body.setAttribute('hx-headers', JSON.stringify({'X-CSRFToken': 'x'.repeat(64)}));
}"""


def _expected_failures(journey):
    # The refusals below are provoked: the browser logs each failed request as a console error.
    # htmx logs the failed request itself (htmx:sendError, htmx:afterRequest) as errors too.
    journey.errors = [
        e for e in journey.errors if "Failed to load resource" not in e and "/tra-loi/" not in e and "htmx:" not in e
    ]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_an_htmx_refusal_is_said_where_the_member_tapped(browser, stack, noticed, viewport):
    phone = VIEWPORTS[viewport]
    journey = Journey(browser, stack, f"help-refusal-{viewport}", mobile=phone)
    page = journey.page
    journey.login(noticed["username"])
    page.goto(f"/lich-hop/?buoi={noticed['meeting']}")
    reply = page.locator(f"#reply-{noticed['meeting']}")
    reply.wait_for()

    # As it is: "cannot attend" without a reason asks for it, in place (a 200 fragment).
    with page.expect_response(lambda r: "/tra-loi/" in r.url):
        reply.get_by_role("button", name="Tôi không dự được").click()
    page.get_by_label("Đồng chí cho biết lý do không dự được").wait_for()
    journey.shot("cannot-attend-asks-the-reason")

    # A stale page (CSRF refused, 403): the refusal appears under the form just tapped.
    page.evaluate(STALE_TOKEN)
    page.get_by_label("Đồng chí cho biết lý do không dự được").fill("Đi công tác")
    with page.expect_response(lambda r: "/tra-loi/" in r.url and r.status == 403):
        page.get_by_role("button", name="Gửi lý do").click()
    alert = page.locator(".htmx-refusal[role=alert]")
    alert.wait_for()
    assert "phiên làm việc đã hết hạn" in alert.inner_text()
    assert alert.evaluate("(box) => !!box.previousElementSibling.closest('form')")
    assert alert.evaluate(
        "(box) => { const r = box.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    assert not scrolls_sideways(page)
    journey.shot("csrf-refusal-beside-the-form")

    # A server error and a lost connection: said in the same place, one message at a time.
    page.route(
        "**/tra-loi/",
        lambda route: route.fulfill(status=500, content_type="text/html", body="<!doctype html><h1>500</h1>"),
    )
    page.get_by_role("button", name="Gửi lý do").click()
    page.locator(".htmx-refusal", has_text="Hệ thống gặp lỗi").wait_for()
    assert page.locator(".htmx-refusal").count() == 1
    journey.shot("server-error-refusal")
    page.unroute("**/tra-loi/")
    page.route("**/tra-loi/", lambda route: route.abort())
    page.get_by_role("button", name="Gửi lý do").click()
    page.locator(".htmx-refusal", has_text="Không kết nối được").wait_for()
    journey.shot("network-refusal")
    page.unroute("**/tra-loi/")

    # A 4xx fragment the server means to show (a form with its reason) is swapped in.
    fragment = f'<div id="reply-{noticed["meeting"]}"><p class="text-danger" id="frag">Đã quá hạn trả lời.</p></div>'
    page.route(
        "**/tra-loi/", lambda route: route.fulfill(status=409, content_type="text/html; charset=utf-8", body=fragment)
    )
    page.get_by_role("button", name="Gửi lý do").click()
    page.locator("#frag").wait_for()
    page.unroute("**/tra-loi/")
    _expected_failures(journey)
    journey.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_full_page_post_with_errors_lands_on_the_error_summary(browser, stack, viewport):
    phone = VIEWPORTS[viewport]
    journey = Journey(browser, stack, f"help-form-errors-{viewport}", mobile=phone)
    page = journey.page
    journey.login("bithu")
    page.goto("/dang-vien/them/")
    # The browser's own required-field check is skipped, so that the server's answer is seen.
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state("load")
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert summary.get_attribute("role") == "alert"
    assert summary.evaluate(
        "(s) => { const r = s.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }"
    )
    links = summary.locator("a")
    assert links.count() >= 1
    target = links.first.get_attribute("href")
    links.first.click()
    assert page.evaluate("document.activeElement.id") == target.lstrip("#")
    assert not scrolls_sideways(page)
    journey.shot("error-summary-focused")
    _expected_failures(journey)
    journey.close()

    # A stale form (CSRF cookie gone) is refused on a Vietnamese page, not Django's English one.
    journey = Journey(browser, stack, f"help-csrf-page-{viewport}", mobile=phone)
    page = journey.page
    page.goto("/dang-nhap/")
    journey.context.clear_cookies()
    page.fill("input[name=username]", "bithu")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("heading", name="Thao tác chưa được thực hiện").wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    journey.shot("csrf-page")
    journey.errors = []
    journey.close()


# An account of its own, so that the demo logins of the other journeys keep their password.
NEW_ACCOUNT = """
import json
from meetings.models import Member, User
bithu = Member.objects.get(user__username="bithu")
member = Member.objects.filter(cell=bithu.cell, user__isnull=True).exclude(email="").order_by("pk").first()
user = User.objects.create_user(username="quen-mat-khau-__V__", password="__P__", full_name=member.full_name)
member.user = user
member.save(update_fields=["user"])
print(json.dumps({"email": member.email, "username": user.username}))
"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_forgotten_password_is_reset_through_the_emailed_link(browser, stack, smtp, viewport):
    phone = VIEWPORTS[viewport]
    code = NEW_ACCOUNT.replace("__V__", viewport).replace("__P__", PASSWORD)
    account = json.loads(stack.manage("shell", "-c", code).stdout.strip().splitlines()[-1])
    journey = Journey(browser, stack, f"help-password-reset-{viewport}", mobile=phone)
    page = journey.page
    page.goto("/dang-nhap/")
    _audit(page, phone=phone)
    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.wait_for_url("**/quen-mat-khau/")
    _audit(page, phone=phone)
    journey.shot("forgot-password")
    page.get_by_label("Địa chỉ e-mail").fill(account["email"].upper())
    page.get_by_role("button", name="Gửi đường dẫn đặt lại mật khẩu").click()
    page.wait_for_url("**/quen-mat-khau/da-gui/")
    page.get_by_role("heading", name="Đề nghị đồng chí kiểm tra hộp thư").wait_for()
    _audit(page, phone=phone)
    journey.shot("mail-sent")

    found = smtp.wait_for(
        lambda m: account["email"] in (m.get("X-Envelope-To") or "") and "Đặt lại mật khẩu" in subject(m), timeout=60
    )
    assert found, [(subject(m), m.get("X-Envelope-To")) for m in smtp.messages][-10:]
    body = plain_text(found[-1])
    link = re.search(r"https?://\S+/dat-lai-mat-khau/\S+/", body).group(0)
    assert link.startswith(stack.url + "/"), link  # the served address, which is SITE_URL here
    assert account["username"] in body

    page.goto(link)
    page.get_by_role("heading", name="Đặt mật khẩu mới").wait_for()
    assert "/set-password/" in page.url  # the token left the address bar
    _audit(page, phone=phone)
    new = "Hoa-sen-giua-dam-2026!"  # nothing like the login (the similarity rule would refuse it)
    page.locator("#id_new_password1").fill(new)
    page.locator("#id_new_password2").fill(new)
    journey.shot("new-password")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    page.get_by_role("heading", name="Đã đặt mật khẩu mới").wait_for()
    _audit(page, phone=phone)
    journey.shot("password-set")

    # The link is spent.
    page.goto(link)
    page.get_by_role("heading", name="Đường dẫn đặt lại mật khẩu không còn dùng được").wait_for()
    _audit(page, phone=phone)
    journey.shot("link-spent")

    page.goto("/dang-nhap/")
    page.fill("input[name=username]", account["username"])
    page.fill("input[name=password]", new)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
    assert not scrolls_sideways(page)
    journey.shot("logged-in-with-the-new-password")
    journey.close()
