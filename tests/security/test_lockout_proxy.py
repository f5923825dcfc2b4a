"""Login lockout per user AND real client address behind nginx, through the real login view:
nginx connects from 127.0.0.1 and overwrites X-Forwarded-For with the address it saw."""

import pytest
from django.test import override_settings
from django.urls import reverse

from meetings.models import UserSession
from tests import factories as f

pytestmark = pytest.mark.django_db

ADDRESS_A = "203.0.113.10"
ADDRESS_B = "198.51.100.20"
NGINX = "127.0.0.1"
BEHIND_NGINX = override_settings(AXES_ENABLED=True, CHIBO_PROXY_COUNT=1, CHIBO_TRUSTED_PROXIES=[NGINX, "::1"])
NO_PROXY = override_settings(AXES_ENABLED=True, CHIBO_PROXY_COUNT=0)


def _post_login(client, username, password, *, remote_addr=NGINX, forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def _fail_until_locked(client, username, **where):
    from django.conf import settings

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, username, "sai-mat-khau", **where)


@BEHIND_NGINX
def test_locked_from_address_a_still_logs_in_from_address_b(client_factory, secretary):
    username = secretary.user.username
    _fail_until_locked(client_factory(), username, forwarded=ADDRESS_A)

    refused = _post_login(client_factory(), username, f.PASSWORD, forwarded=ADDRESS_A)
    assert refused.status_code == 429
    assert "tạm thời bị khóa" in refused.content.decode()

    assert _post_login(client_factory(), username, f.PASSWORD, forwarded=ADDRESS_B).status_code == 302


@BEHIND_NGINX
def test_a_spoofed_header_from_an_untrusted_client_is_ignored(client_factory, secretary):
    username = secretary.user.username
    attacker = "192.0.2.66"  # reaches gunicorn directly, not through nginx
    # Pretending to be the victim's address does not lock the victim out ...
    _fail_until_locked(client_factory(), username, remote_addr=attacker, forwarded=ADDRESS_A)
    assert _post_login(client_factory(), username, f.PASSWORD, forwarded=ADDRESS_A).status_code == 302
    # ... and a new made-up address on every try does not escape the lockout.
    for n in range(5):
        _post_login(client_factory(), username, "sai-mat-khau", remote_addr=attacker, forwarded=f"10.9.9.{n}")
    refused = _post_login(client_factory(), username, f.PASSWORD, remote_addr=attacker, forwarded="10.9.9.99")
    assert refused.status_code == 429


@NO_PROXY
def test_without_proxy_configuration_the_header_is_ignored(client_factory, secretary):
    username = secretary.user.username
    _fail_until_locked(client_factory(), username, forwarded=ADDRESS_A)
    # Every request is 127.0.0.1: another forwarded address changes nothing.
    assert _post_login(client_factory(), username, f.PASSWORD, forwarded=ADDRESS_B).status_code == 429
    assert _post_login(client_factory(), username, f.PASSWORD, remote_addr=ADDRESS_B).status_code == 302


@BEHIND_NGINX
def test_sessions_page_shows_the_real_address(client_factory, secretary):
    client = client_factory()
    assert _post_login(client, secretary.user.username, f.PASSWORD, forwarded=ADDRESS_A).status_code == 302
    assert UserSession.objects.get(user=secretary.user).ip_address == ADDRESS_A
    body = client.get(reverse("accounts:session_list")).content.decode()
    assert ADDRESS_A in body
    assert NGINX not in body


@BEHIND_NGINX
def test_the_attempt_is_recorded_with_the_real_address(client_factory, secretary):
    from axes.models import AccessAttempt

    _post_login(client_factory(), secretary.user.username, "sai-mat-khau", forwarded=ADDRESS_A)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ADDRESS_A]
