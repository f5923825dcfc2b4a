import os
import re
from pathlib import Path

import pytest

from tests.e2e.stack import SmtpSink, Stack

ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", "e2e-artifacts"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PASSWORD = "chibo-demo-2026"

pytestmark = [pytest.mark.services, pytest.mark.browser]


# `make cluster-test` runs the journeys on the running cluster (tests/cluster/stack.py): its
# nginx, its database, and this sink on the port its workers send to.
CLUSTER = os.environ.get("E2E_CLUSTER") == "1"


@pytest.fixture(scope="session")
def smtp():
    sink = (SmtpSink(port=int(os.environ["CLUSTER_SMTP_PORT"])) if CLUSTER else SmtpSink()).start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def stack(smtp):
    if CLUSTER:
        from tests.cluster.stack import ClusterStack

        live = ClusterStack(smtp=smtp).start()
    else:
        live = Stack(smtp=smtp).start()
    yield live
    live.stop(keep_logs_in=ARTIFACTS / "logs")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class Journey:
    """A logged-in browser tab that screenshots every step and records console errors."""

    def __init__(self, browser, stack, name, *, viewport=None, mobile=False):
        options = {"viewport": viewport or {"width": 1366, "height": 900}, "locale": "vi-VN", "accept_downloads": True}
        if mobile:
            options.update(
                {
                    "viewport": {"width": 390, "height": 844},
                    "is_mobile": True,
                    "has_touch": True,
                    "device_scale_factor": 2,
                }
            )
        # Reduced motion: the dashboard's charts are drawn at once, not animated into the screenshot.
        self.context = browser.new_context(base_url=stack.url, reduced_motion="reduce", **options)
        self.page = self.context.new_page()
        self.name = name
        self.step_no = 0
        self.errors: list[str] = []
        self.http_errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        # A server error is a bug even when the page around it still renders.
        self.page.on("response", self._response)
        # `data-confirm` buttons ask window.confirm(); the user answers yes.
        self.page.on("dialog", lambda dialog: dialog.accept())
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)

    def _console(self, message):
        if message.type == "error":
            where = message.location.get("url") or ""
            self.errors.append(f"{message.text} [{where}]" if where else message.text)

    def _response(self, response):
        # Kept so that a console "Failed to load resource" names its URL; a 5xx always fails.
        if response.status >= 400:
            self.http_errors.append(f"HTTP {response.status} {response.request.method} {response.url}")
        if response.status >= 500:
            self.errors.append(self.http_errors[-1])

    def shot(self, label):
        self.step_no += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        self.page.screenshot(path=str(self.folder / f"{self.step_no:02d}-{slug}.png"), full_page=True)

    def login(self, username):
        self.page.goto("/dang-nhap/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(lambda url: "/dang-nhap/" not in url)
        self.shot(f"{username}-home")

    def close(self):
        self.context.close()
        assert self.errors == [], f"browser console errors in {self.name}: {self.errors} (HTTP: {self.http_errors})"
