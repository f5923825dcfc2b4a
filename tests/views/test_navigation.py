"""The menu marks the page the user is on (aria-current) and the page starts with a skip link."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_menu_marks_the_current_section_and_offers_a_skip_link(client):
    secretary = f.SecretaryFactory()
    client.force_login(secretary.user)
    html = client.get(reverse("members:list")).content.decode()
    assert 'href="#main"' in html and 'id="main"' in html
    assert f'href="{reverse("members:list")}" aria-current="page"' in html
    assert f'href="{reverse("plans:index")}" aria-current' not in html


@pytest.mark.parametrize(
    ("namespace", "name", "section"),
    [
        ("", "home", "home"),
        ("plans", "index", "plans"),
        ("topics", "detail", "plans"),
        ("minutes", "verify", "verify"),
        ("minutes", "pdf", "meetings"),
        ("portal", "tasks", "tasks"),
        ("portal", "contribution_edit", "tasks"),
        ("portal", "meeting_reply", "calendar"),
        ("reports", "cell_list", "reports"),
        ("reports", "inbox", "inbox"),
        ("archive", "index", "dashboard"),
    ],
)
def test_each_page_belongs_to_one_menu_entry(namespace, name, section):
    from types import SimpleNamespace

    from meetings.context_processors import nav_section

    assert nav_section(SimpleNamespace(namespace=namespace, url_name=name)) == section
