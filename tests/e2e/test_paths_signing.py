"""Signing sealed minutes and checking a signed PDF, in Chromium at 1366 px and at 390 px (issue 18).

A stack of its own with signing on: seed_demo makes the demo CA and signs the latest finalised
minutes as chair (`chutri`) and clerk (`thuky`). The chair opens the finalise page of the
cell's earlier finalised meeting, types a wrong password (told on the form, nothing signed),
then the right one; downloads the minutes and checks the file on the verification page, which
lists the signature as valid. No sideways scroll at 390 px, no serious/critical axe violation.
Screenshots in $E2E_ARTIFACTS/signing-*/.
"""

import json
import os

import pytest
from cryptography.fernet import Fernet

from tests.e2e.checks import axe_blocking
from tests.e2e.conftest import ARTIFACTS, PASSWORD, Journey
from tests.e2e.stack import Stack

pytestmark = [pytest.mark.browser]

VIEWPORTS = {"desktop": False, "390": True}

# Finalised meetings of the demo's signers whose minutes nobody has signed yet (the demo signed
# the latest one).
UNSIGNED = """
import json
from meetings.models import Member, Minutes
chair = Member.objects.get(user__username="chutri")
clerk = Member.objects.get(user__username="thuky")
rows = [
    m.meeting_id
    for m in Minutes.objects.filter(cell=chair.cell).order_by("finalized_at")
    if (m.snapshot.get("chair") or {}).get("id") == chair.pk
    and (m.snapshot.get("clerk") or {}).get("id") == clerk.pk
    and not m.signatures.exists()
]
print(json.dumps(rows))
"""


@pytest.fixture(scope="module")
def signing_stack():
    live = Stack(
        db_name=os.environ.get("E2E_SIGNING_DB", "chibo_e2e_signing"),
        redis_url=os.environ.get("E2E_SIGNING_REDIS_URL", "redis://127.0.0.1:6379/14"),
        workers=1,
        extra_env={"CHIBO_SIGNING_ENABLED": "True", "CHIBO_SIGNING_KEY": Fernet.generate_key().decode()},
    ).start()
    yield live
    live.stop(keep_logs_in=ARTIFACTS / "logs-signing")


@pytest.fixture(scope="module")
def meeting_to_sign(signing_stack):
    rows = json.loads(signing_stack.manage("shell", "-c", UNSIGNED).stdout.strip().splitlines()[-1])
    assert rows, "the demo should leave an earlier minutes of its chair and clerk unsigned"
    return rows[0]


def _check(journey, view, label):
    if VIEWPORTS[view]:
        width = journey.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{journey.name}: page scrolls sideways ({width} px)"
    found = axe_blocking(journey.page)
    assert found == [], f"{journey.name} {journey.page.url}: {found}"
    journey.shot(label)


def _sign(journey, view, meeting_id, *, last: bool):
    page = journey.page
    page.goto(f"/buoi-sinh-hoat/{meeting_id}/hoan-tat/")
    card = page.locator("#ky-so")
    assert "chưa ký" in card.inner_text()
    card.scroll_into_view_if_needed()
    _check(journey, view, "finalise-signing-form")

    card.locator("input[name=password]").fill("khong-dung")
    card.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "Mật khẩu của tệp chứng thư số không đúng" in page.locator("#ky-so").inner_text()
    # The refusal is a 400 by design, which the browser logs; only that one is let through.
    journey.errors = [e for e in journey.errors if not ("Failed to load resource" in e and "/ky-so/" in e)]
    _check(journey, view, "wrong-password")

    page.locator("#ky-so input[name=password]").fill(PASSWORD)
    page.locator("#ky-so button[type=submit]").click()
    page.wait_for_load_state()
    assert "Đã ký số biên bản" in page.content()
    card_text = page.locator("#ky-so").inner_text()
    assert "đã ký số" in card_text
    assert ("đã đủ chữ ký" in card_text) == last
    _check(journey, view, "signed")


def _verify(journey, view):
    page = journey.page
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải biên bản (PDF)").first.click()
    signed = download.value.path()
    page.goto("/bien-ban/xac-thuc/")
    page.set_input_files("input[name=file]", signed)
    page.get_by_role("button", name="Đối chiếu", exact=True).click()
    page.wait_for_load_state()
    text = page.locator("body").inner_text()
    assert "Khớp với hồ sơ" in text and "Chữ ký hợp lệ" in text
    assert "Chữ ký không hợp lệ" not in text
    _check(journey, view, "verification-result")


def test_chair_then_clerk_sign_on_the_finalise_page_and_the_file_verifies(browser, signing_stack, meeting_to_sign):
    """The chair at 1366 px (certifies), then the clerk at 390 px (locks)."""
    for view, username, last in (("desktop", "chutri", False), ("390", "thuky", True)):
        journey = Journey(browser, signing_stack, f"signing-{view}-{username}", mobile=VIEWPORTS[view])
        journey.login(username)
        _sign(journey, view, meeting_to_sign, last=last)
        _verify(journey, view)
        journey.close()
