"""The cell's register of decisions, in Chromium at 1366 px and at 390 px (issue 17, item 5).

On the demo data (every finalised meeting of `bithu`'s cell has a conclusion, a resolution and
action items): `bithu` opens it from the plan page, searches "nghi quyet" without diacritics and
downloads the Excel file; `dangvien` opens it from the library; `capuy` from the committee's page
of the cell. No sideways scroll at 390 px, no serious/critical axe violation.
Screenshots in $E2E_ARTIFACTS/register-*/.
"""

import pytest
from openpyxl import load_workbook

from tests.e2e.checks import axe_blocking
from tests.e2e.conftest import Journey

pytestmark = [pytest.mark.browser]

VIEWPORTS = {"desktop": False, "390": True}


def _check(journey, view, label):
    assert journey.page.locator("h1").inner_text() == "Sổ nghị quyết, kết luận"
    assert journey.page.locator("[data-register-row]").count() >= 1
    if VIEWPORTS[view]:
        width = journey.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{journey.name}: page scrolls sideways ({width} px)"
    found = axe_blocking(journey.page)
    assert found == [], f"{journey.name} {journey.page.url}: {found}"
    journey.shot(label)


def _open(journey, link):
    with journey.page.expect_navigation() as navigation:
        journey.page.locator(link).first.click()
    assert navigation.value.status == 200


@pytest.mark.parametrize("view", VIEWPORTS)
def test_secretary_searches_and_exports(browser, stack, view):
    j = Journey(browser, stack, f"register-bithu-{view}", mobile=VIEWPORTS[view])
    j.login("bithu")
    j.page.goto("/ke-hoach/")
    if j.page.locator("[data-register-link]").count() == 0:  # the index lists plans: open this year's
        _open(j, "a[href^='/ke-hoach/'][href$='/']:not([href='/ke-hoach/'])")
    _open(j, "[data-register-link]")
    _check(j, view, "register")
    j.page.fill("input[name=q]", "nghi quyet")
    with j.page.expect_navigation():
        j.page.get_by_role("button", name="Lọc").click()
    rows = j.page.locator("[data-register-row]")
    assert rows.count() >= 1
    for i in range(rows.count()):
        assert "nghị quyết" in rows.nth(i).inner_text().lower()
    _check(j, view, "search-nghi-quyet")
    with j.page.expect_download() as download:
        j.page.locator("[data-register-export]").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as saved:  # a temporary name without .xlsx
        sheet = load_workbook(saved).active
    data = list(sheet.iter_rows(values_only=True))
    assert data[0][0] == "STT" and len(data) == rows.count() + 1
    j.close()


@pytest.mark.parametrize("view", VIEWPORTS)
def test_member_opens_it_from_the_library(browser, stack, view):
    j = Journey(browser, stack, f"register-dangvien-{view}", mobile=VIEWPORTS[view])
    j.login("dangvien")
    j.page.goto("/thu-vien/")
    _open(j, "[data-register-link]")
    _check(j, view, "register")
    j.close()


@pytest.mark.parametrize("view", VIEWPORTS)
def test_committee_opens_it_from_the_cells_page(browser, stack, view):
    j = Journey(browser, stack, f"register-capuy-{view}", mobile=VIEWPORTS[view])
    j.login("capuy")
    j.page.goto("/tong-hop/chi-bo/3/")
    _open(j, "[data-register-link]")
    _check(j, view, "register")
    j.close()
