"""Accessibility and phone-width audit: every page each role reaches from its home page and
menu, at 1366 px and at 390 px (a phone), checked by axe-core (vendored in tests/e2e/vendor,
nothing is downloaded) for serious or critical violations, and at 390 px for sideways scroll.
Small tap targets are reported, not asserted. The report is e2e-artifacts/a11y-report.md with
a screenshot of every failing page beside it.

Runs on the freshly seeded stack before the journeys (which move the server's clock); it only
reads (GET), so the journeys start from the same data.
"""

import os
import re
from collections import deque
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.checks import AXE, AXE_RUN, AXE_SOURCE, BLOCKING, LAYOUT, TAP_MIN
from tests.e2e.conftest import ARTIFACTS, Journey

pytestmark = [pytest.mark.browser]

ROLES = {"bithu": "Bí thư", "dangvien": "Đảng viên", "capuy": "Cấp ủy", "admin": "Quản trị"}
WIDTHS = {"desktop": None, "390": "mobile"}
MAX_PAGES = 60

# Not pages: files, feeds, exports, logout, Django's own admin site; POST-only actions have
# no links to them (they are form actions), and anything not answering HTML is skipped too.
SKIP = re.compile(
    r"(\.pdf|\.ics|\.xlsx|\.docx|/pdf/|/tep(-[a-z-]+)?/?$|/tep/|xuat-excel|/luu-tru/|dang-xuat|/admin/|/static/|/media/)",
)


# What axe does not check (report only): a skip link first, the current page marked in the
# menu, one h1 and no skipped heading level, every visible control named by a label.
STRUCTURE = """() => {
  const first = document.querySelector('body a[href], body button');
  const skip = !!(first && first.getAttribute('href') && first.getAttribute('href').startsWith('#')
    && document.querySelector(first.getAttribute('href')));
  const nav = document.querySelector('nav');
  const current = !nav || !nav.querySelector('.navbar-nav') || !!nav.querySelector('[aria-current]');
  const levels = [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')]
    .filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]));
  const jumps = [];
  levels.forEach((level, i) => {
    const before = i ? levels[i - 1] : 0;
    if (level > before + 1) jumps.push(`h${before || '-'}→h${level}`);
  });
  const unlabelled = [];
  for (const el of document.querySelectorAll('input:not([type=hidden]):not([type=submit]), select, textarea')) {
    if (!el.getClientRects().length) continue;
    const labelled = (el.labels && el.labels.length)
      || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!labelled) unlabelled.push(el.name || el.id || el.type);
  }
  return {skip, current, h1: levels.filter(l => l === 1).length, jumps: [...new Set(jumps)], unlabelled};
}"""

RESULTS: list[dict] = []
BROKEN: list[dict] = []


def _pattern(url: str) -> str:
    """A URL with its ids blanked and its query reduced to its keys: one page per pattern."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/<id>", parts.path)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def _local(href: str, base: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != base:
        return None
    if SKIP.search(parts.path):
        return None
    query = urlencode(parse_qsl(parts.query, keep_blank_values=True))
    return parts.path + ("?" + query if query else "")


def _crawl(page, base: str, role: str) -> list[str]:
    """Breadth first from the home page, one URL per pattern, at most MAX_PAGES pages. A link
    that answers an error is kept for the report (BROKEN) with the page that shows it."""
    seen_patterns: set[str] = set()
    queue = deque([("/", "")])
    pages: list[str] = []
    while queue and len(pages) < MAX_PAGES:
        url, source = queue.popleft()
        pattern = _pattern(url)
        if pattern in seen_patterns:
            continue
        seen_patterns.add(pattern)
        try:
            response = page.goto(url)
        except PlaywrightError as exc:  # a download (an archive, a file) is not a page
            if "Download is starting" in str(exc):
                continue
            raise
        if response is None or response.status != 200:
            BROKEN.append({"role": role, "url": url, "status": response.status if response else None, "from": source})
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if "/dang-nhap/" in page.url:
            continue
        pages.append(url)
        hrefs = page.locator("a[href]").evaluate_all("els => els.map(e => e.href)")
        for href in hrefs:
            local = _local(href.split("#", 1)[0], base)
            if local and _pattern(local) not in seen_patterns:
                queue.append((local, url))
    return pages


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "home"


def _audit(journey: Journey, role: str, width: str, url: str) -> dict:
    page = journey.page
    page.goto(url)
    page.wait_for_load_state("load")
    # The app's CSP (script-src 'self') refuses an injected <script>; evaluating the source
    # through the DevTools protocol is not subject to it.
    page.evaluate(AXE_SOURCE)
    found = page.evaluate(AXE_RUN)
    violations = [v for v in found if v["impact"] in BLOCKING]
    minor = [v for v in found if v["impact"] not in BLOCKING]
    layout = page.evaluate(LAYOUT, TAP_MIN) if width == "390" else None
    structure = page.evaluate(STRUCTURE) if width == "desktop" else None
    sideways = bool(layout and layout["scrollWidth"] > layout["innerWidth"])
    record = {
        "role": role,
        "width": width,
        "url": url,
        "violations": violations,
        "minor": minor,
        "layout": layout,
        "structure": structure,
        "sideways": sideways,
    }
    if violations or sideways or os.environ.get("A11Y_SHOTS") == "all":
        folder = ARTIFACTS / "a11y"
        folder.mkdir(parents=True, exist_ok=True)
        shot = folder / f"{role}-{width}-{_slug(url)}.png"
        page.screenshot(path=str(shot), full_page=True)
        record["screenshot"] = str(shot.relative_to(ARTIFACTS))
    return record


def _write_report() -> Path:
    lines = ["# Accessibility and 390 px audit", ""]
    lines.append(
        f"axe-core ({AXE.name}), tags wcag2a/aa, wcag21a/aa, best-practice; serious and critical fail the test."
    )
    lines.append("")
    failing = [r for r in RESULTS if r["violations"] or r["sideways"]]
    lines.append(f"Pages checked: {len(RESULTS)}; failing: {len(failing)}.")
    lines.append("")
    # Rules across every page: the quickest way to see what to fix first.
    by_rule: dict[tuple, set] = {}
    for record in RESULTS:
        for v in record["violations"]:
            by_rule.setdefault((v["id"], v["impact"], v["help"]), set()).add(
                f"{record['role']}@{record['width']} {record['url']}"
            )
    if by_rule:
        lines += ["## Rules", "", "| rule | impact | pages | help |", "| --- | --- | --- | --- |"]
        for (rule, impact, help_text), where in sorted(by_rule.items(), key=lambda item: -len(item[1])):
            lines.append(f"| {rule} | {impact} | {len(where)} | {help_text} |")
        lines.append("")
    # Moderate and minor findings (heading order, landmarks, ...): reported, not asserted.
    by_minor: dict[tuple, dict] = {}
    for record in RESULTS:
        for v in record["minor"]:
            entry = by_minor.setdefault((v["id"], v["impact"], v["help"]), {"pages": set(), "targets": set()})
            entry["pages"].add(record["url"])
            entry["targets"].update(v["targets"][:3])
    if by_minor:
        lines += ["## Moderate and minor (not asserted)", "", "| rule | impact | pages | help | examples |"]
        lines.append("| --- | --- | --- | --- | --- |")
        for (rule, impact, help_text), entry in sorted(by_minor.items(), key=lambda item: -len(item[1]["pages"])):
            pages = ", ".join(sorted(entry["pages"])[:6]) + (" …" if len(entry["pages"]) > 6 else "")
            examples = "<br>".join(f"`{t}`" for t in sorted(entry["targets"])[:4])
            lines.append(f"| {rule} | {impact} | {len(entry['pages'])}: {pages} | {help_text} | {examples} |")
        lines.append("")
    lines += ["## Violations", "", "| page | role | width | rule | impact | count | targets | first node |"]
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for record in RESULTS:
        for v in record["violations"]:
            targets = "<br>".join(f"`{t}`" for t in v["targets"][:12]) + (" …" if len(v["targets"]) > 12 else "")
            detail = v.get("detail", "").replace("|", "/")
            lines.append(
                f"| {record['url']} | {record['role']} | {record['width']} | {v['id']} | {v['impact']} "
                f"| {len(v['targets'])} | {targets} | {detail} |"
            )
        if record["sideways"]:
            layout = record["layout"]
            lines.append(
                f"| {record['url']} | {record['role']} | 390 | sideways-scroll | serious | 1 "
                f"| scrollWidth {layout['scrollWidth']} > {layout['innerWidth']}: {', '.join(layout['wide'])} | |"
            )
    lines += ["", "## Tap targets under 44 px at 390 px (report only)", ""]
    for record in RESULTS:
        if record["layout"] and record["layout"]["small"]:
            small = record["layout"]["small"]
            lines.append(
                f"- {record['role']} {record['url']}: {len(small)} — "
                + "; ".join(small[:8])
                + (" …" if len(small) > 8 else "")
            )
    structure = [r for r in RESULTS if r["structure"]]
    if structure:
        lines += ["", "## Page structure (report only; desktop)", ""]
        no_skip = [r["url"] for r in structure if not r["structure"]["skip"]]
        no_current = [r["url"] for r in structure if not r["structure"]["current"]]
        lines.append(f"- no skip link as the first control: {len(no_skip)} of {len(structure)} pages")
        lines.append(f"- no `aria-current` in the menu: {len(no_current)} of {len(structure)} pages")
        for r in structure:
            s = r["structure"]
            issues = []
            if s["h1"] != 1:
                issues.append(f"{s['h1']} h1")
            if s["jumps"]:
                issues.append("heading levels skipped " + ", ".join(s["jumps"]))
            if s["unlabelled"]:
                issues.append("controls without a label: " + ", ".join(s["unlabelled"]))
            if issues:
                lines.append(f"- {r['role']} {r['url']}: " + "; ".join(issues))
    if BROKEN:
        lines += ["", "## Links that answer an error (report only)", ""]
        lines += [f"- {b['role']}: {b['url']} → HTTP {b['status']}, linked from {b['from'] or 'start'}" for b in BROKEN]
    lines += ["", "## Screenshots of failing pages", ""]
    lines += [f"- {r['role']} {r['width']} {r['url']}: {r['screenshot']}" for r in failing]
    path = ARTIFACTS / "a11y-report.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    if RESULTS:
        _write_report()


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_the_role_is_accessible_and_fits_a_phone(browser, stack, role):
    crawler = Journey(browser, stack, f"a11y-{role}-crawl")
    crawler.login(role)
    urls = _crawl(crawler.page, stack.url, role)
    # Not crawler.close(): a link answering 404 is reported below, not a console error here.
    crawler.context.close()
    assert len(urls) >= 3, f"{role} reaches only {urls}"

    records = []
    for width, mode in WIDTHS.items():
        journey = Journey(browser, stack, f"a11y-{role}-{width}", mobile=mode == "mobile")
        journey.login(role)
        for url in urls:
            records.append(_audit(journey, role, width, url))
        journey.close()
    RESULTS.extend(records)
    _write_report()

    problems = [
        f"{r['width']} {r['url']}: "
        + ", ".join(f"{v['id']} ({v['impact']}, {len(v['targets'])})" for v in r["violations"])
        for r in records
        if r["violations"]
    ]
    problems += [
        f"390 {r['url']}: scrolls sideways ({r['layout']['scrollWidth']} px > {r['layout']['innerWidth']} px)"
        for r in records
        if r["sideways"]
    ]
    assert problems == [], f"{role}: {len(problems)} page(s) fail, see {ARTIFACTS / 'a11y-report.md'}:\n" + "\n".join(
        problems
    )
