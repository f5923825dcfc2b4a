"""The in-app guide: one page per role, the user's own first, every link and screenshot real."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve, reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

GUIDE_PAGES = ["guide:index", "guide:secretary", "guide:member", "guide:committee"]
STATIC = Path(settings.BASE_DIR) / "static"


def _links_and_images(html):
    hrefs = re.findall(r'href="(/[^"#]*)', html)
    images = re.findall(r'<img[^>]+src="([^"]+)"', html)
    return hrefs, images


@pytest.mark.parametrize("name", GUIDE_PAGES)
def test_guide_page_renders_for_a_member_with_links_that_resolve_and_images_that_exist(client, name):
    member = f.MemberWithUserFactory()
    client.force_login(member.user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    hrefs, images = _links_and_images(response.content.decode())
    for href in hrefs:
        if href.startswith(settings.STATIC_URL):
            continue
        try:
            resolve(href.split("?")[0])
        except Resolver404:  # pragma: no cover - the message names the broken link
            pytest.fail(f"{name}: link {href} resolves to no page")
    for src in images:
        assert src.startswith(settings.STATIC_URL), src
        path = STATIC / src.removeprefix(settings.STATIC_URL)
        assert path.is_file(), f"{name}: screenshot {path} is missing"
        assert path.stat().st_size < 300_000, f"{path} is too heavy for a phone"


@pytest.mark.parametrize("name", GUIDE_PAGES[1:])
def test_role_guides_show_screenshots_and_numbered_steps(client, name):
    html = client.get(reverse(name)).content.decode()
    assert '<ol class="guide-steps">' in html
    assert html.count("<img ") >= 2
    assert "đồng chí" in html.lower()


def test_guide_is_readable_without_logging_in_and_holds_no_cell_data(client):
    cell = f.CellFactory(name="Chi bộ Bí Mật Riêng")
    f.SecretaryFactory(cell=cell)
    for name in GUIDE_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "Chi bộ Bí Mật Riêng" not in response.content.decode()


def test_login_page_links_to_the_guide_and_to_password_reset(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("guide:index")}"' in html
    assert f'href="{reverse("accounts:password_reset")}"' in html


def _order(html):
    return [m for m in re.findall(r'href="/huong-dan/([a-z-]+)/"', html) if m in ("bi-thu", "dang-vien", "cap-uy")]


@pytest.mark.parametrize(
    ("who", "first"),
    [("secretary", "bi-thu"), ("member", "dang-vien"), ("staff", "cap-uy")],
)
def test_index_puts_the_users_own_guide_first(client, who, first):
    if who == "secretary":
        user = f.SecretaryFactory().user
    elif who == "member":
        user = f.MemberWithUserFactory().user
    else:
        user = f.StaffUserFactory()
    client.force_login(user)
    html = client.get(reverse("guide:index")).content.decode()
    assert _order(html)[0] == first
    assert "Dành cho đồng chí" in html


def test_every_signed_in_page_links_to_the_guide_in_the_menu_and_footer(client):
    secretary = f.SecretaryFactory()
    client.force_login(secretary.user)
    html = client.get(reverse("home")).content.decode()
    assert html.count(f'href="{reverse("guide:index")}"') >= 2
    html = client.get(reverse("guide:secretary")).content.decode()
    assert f'href="{reverse("guide:index")}" aria-current="page"' in html


def test_guide_pages_need_few_queries(client, django_assert_max_num_queries):
    member = f.MemberWithUserFactory()
    client.force_login(member.user)
    # Session, user and the session tracking's bookkeeping only: the page itself reads nothing.
    with django_assert_max_num_queries(6):
        assert client.get(reverse("guide:member")).status_code == 200
