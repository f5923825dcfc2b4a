"""The home page is where work starts, in Chromium at 1366 px and at 390 px.

On the demo data plus one meeting noticed through the services (an approved lead paper and a
contribution for `dangvien`): `bithu`, `dangvien` and `capuy` each log in, see their items as
links, and one tap on an item lands on its page. `dangvien` opens the meeting from the home page
and reads the lead paper there, with no secretary control on the page.
Screenshots in $E2E_ARTIFACTS/home-*/.
"""

import json
from urllib.parse import urlsplit

import pytest

from tests.e2e.checks import axe_blocking
from tests.e2e.conftest import Journey

pytestmark = [pytest.mark.browser]

LEAD_PAPER = "ĐỀ DẪN TRANG CHỦ: mỗi đảng viên làm tròn việc được giao."
VIEWPORTS = {"desktop": False, "390": True}

SETUP = """
import datetime, json
from django.utils import timezone
from meetings.models import Meeting, Member, TopicGroup
from meetings.periods import quarter_of
from meetings.services import meetings as meeting_services
from meetings.services import plans as plan_services
from meetings.services import topics as topic_services

bithu = Member.objects.select_related("cell", "user").get(user__username="bithu")
dangvien = Member.objects.get(user__username="dangvien", cell=bithu.cell)
actor = bithu.user
day = timezone.localdate() + datetime.timedelta(days=5)
plan = plan_services.plan_get_or_create(cell=bithu.cell, year=day.year, actor=actor)
meeting = plan_services.plan_add_meeting(
    plan=plan, actor=actor, quarter=quarter_of(day), group=TopicGroup.objects.order_by("number").first(),
    title="Trách nhiệm nêu gương của đảng viên trong cơ quan",
)
topic = meeting.topic
topic_services.topic_assign_lead_author(topic=topic, actor=actor, author=bithu, due=day - datetime.timedelta(days=3))
contribution = topic_services.contribution_assign(
    topic=topic, actor=actor, member=dangvien, subject="Nêu gương ở bộ phận", due_on=day - datetime.timedelta(days=2)
)
topic_services.topic_submit_lead_paper(topic=topic, actor=actor, text="<p>__LEAD__</p>")
topic_services.topic_approve_lead_paper(topic=topic, actor=actor)
meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target="preparing")
meeting = meeting_services.meeting_schedule(
    meeting=meeting, actor=actor, version=None, scheduled_date=day, start_time=datetime.time(8, 0),
    place="Hội trường tầng 2", chair=bithu,
)
meeting = meeting_services.meeting_transition(meeting=meeting, actor=actor, target="scheduled")
meeting = meeting_services.meeting_send_notice(meeting=meeting, actor=actor)
finished = Meeting.objects.filter(cell=bithu.cell, stage="finalized").order_by("-scheduled_date").first()
print(json.dumps({"meeting": meeting.pk, "contribution": contribution.pk, "finished": finished.pk}))
""".replace("__LEAD__", LEAD_PAPER)


@pytest.fixture(scope="module")
def prepared(stack):
    out = stack.manage("shell", "-c", SETUP).stdout
    return json.loads(out.strip().splitlines()[-1])


def _journey(browser, stack, who, view):
    return Journey(browser, stack, f"home-{who}-{view}", mobile=VIEWPORTS[view])


def _no_sideways_scroll(journey, view):
    if VIEWPORTS[view]:
        width = journey.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{journey.name}: page scrolls sideways ({width} px)"


def _axe(journey):
    """No serious or critical axe-core violation on the page shown (the crawl's rule set)."""
    found = axe_blocking(journey.page)
    assert found == [], f"{journey.name} {journey.page.url}: {found}"


def _items(journey, section):
    """The section's items: each a link to a page of the site, with its action in words."""
    items = journey.page.locator(f"{section} a.home-item")
    assert items.count() >= 1, f"{journey.name}: no item in {section}"
    for i in range(items.count()):
        link = items.nth(i)
        href = link.get_attribute("href")
        assert href and href.startswith("/"), href
        assert link.inner_text().strip()
    return items


def _follow(journey, link, label):
    """Tap the item: the page it names answers 200 and is the one opened."""
    href = link.get_attribute("href")
    with journey.page.expect_navigation() as navigation:
        link.click()
    assert navigation.value.status == 200, (href, navigation.value.status)
    opened = urlsplit(journey.page.url)
    wanted = urlsplit(href)
    assert (opened.path, opened.query) == (wanted.path, wanted.query), (journey.page.url, href)
    assert "{#" not in journey.page.inner_text("body"), "a template comment shows on the page"
    journey.shot(label)
    return href


@pytest.mark.parametrize("view", VIEWPORTS)
def test_secretary_home_items_lead_to_their_pages(browser, stack, prepared, view):
    j = _journey(browser, stack, "bithu", view)
    j.login("bithu")
    _axe(j)
    assert j.page.locator("h1").inner_text() == "Trang chủ"
    items = _items(j, "#secretary-home")
    # Most urgent first, and the quarter always says how many days are left.
    assert "còn" in j.page.locator("#secretary-home").inner_text()
    _no_sideways_scroll(j, view)
    _follow(j, items.first, "bithu-first-item")
    _no_sideways_scroll(j, view)
    j.close()


@pytest.mark.parametrize("view", VIEWPORTS)
def test_member_home_leads_to_the_meeting_page_with_the_lead_paper(browser, stack, prepared, view):
    j = _journey(browser, stack, "dangvien", view)
    j.login("dangvien")
    _axe(j)
    # A plain member's menu has no secretary entry.
    for secretary_only in ("/ke-hoach/", "/buoi-sinh-hoat/", "/dang-vien/", "/thu-gui-di/"):
        assert j.page.locator(f'nav a[href="{secretary_only}"]').count() == 0, secretary_only
    items = _items(j, "#member-home")
    texts = [items.nth(i).inner_text() for i in range(items.count())]
    assert any("Nộp tham luận: Nêu gương ở bộ phận" in t for t in texts), texts
    _no_sideways_scroll(j, view)
    reply = j.page.locator(f'#member-home a.home-item[href="/lich-hop/?buoi={prepared["meeting"]}#tra-loi"]')
    assert reply.count() == 1
    _follow(j, reply, "dangvien-meeting-page")
    page = j.page
    assert page.locator("#tra-loi").is_visible()
    assert page.locator("#tra-loi button", has_text="Tôi sẽ tham dự").is_visible()
    assert page.locator(".lead-paper", has_text=LEAD_PAPER).is_visible()
    assert page.locator("#nhiem-vu", has_text="Nêu gương ở bộ phận").is_visible()
    assert "Hội trường tầng 2" in page.locator("#thoi-gian-dia-diem").inner_text()
    # No secretary control on the member's page.
    assert page.locator(f'a[href^="/buoi-sinh-hoat/{prepared["meeting"]}/"]').count() == 0
    assert page.locator("text=Bước tiếp theo").count() == 0
    _axe(j)
    _no_sideways_scroll(j, view)
    # A finished meeting's page: what the cell concluded and resolved, from the minutes.
    page.goto(f"/lich-hop/?buoi={prepared['finished']}")
    outcome = page.locator("#ket-qua")
    assert outcome.is_visible()
    assert "Kết luận" in outcome.inner_text() or "Nghị quyết" in outcome.inner_text()
    j.shot("dangvien-finished-meeting")
    _no_sideways_scroll(j, view)
    _axe(j)
    # The submit task from the home page opens the submit form.
    page.goto("/")
    task = page.locator(f'#member-home a.home-item[href="/tham-luan/{prepared["contribution"]}/nop/"]')
    _follow(j, task, "dangvien-contribution")
    assert page.locator("textarea[name=text]").is_visible()
    j.close()


@pytest.mark.parametrize("view", VIEWPORTS)
def test_committee_home_items_lead_to_their_pages(browser, stack, prepared, view):
    j = _journey(browser, stack, "capuy", view)
    j.login("capuy")
    _axe(j)
    items = _items(j, "#committee-home")
    _no_sideways_scroll(j, view)
    kinds = [items.nth(i).get_attribute("data-kind") for i in range(items.count())]
    # One of each kind the demo has, review first when there is one.
    first = items.nth(kinds.index("review")) if "review" in kinds else items.first
    _follow(j, first, "capuy-first-item")
    _no_sideways_scroll(j, view)
    if "dashboard" in kinds:
        j.page.goto("/")
        _follow(j, j.page.locator('#committee-home a.home-item[data-kind="dashboard"]'), "capuy-dashboard")
    j.close()
