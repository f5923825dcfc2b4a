"""The client's address behind nginx (chibo/security/client_ip.py): a forwarded address is
believed only from a trusted proxy, and only when a proxy is configured."""

import os
import subprocess
import sys

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory, override_settings

from chibo.security.client_ip import client_ip

CLIENT = "203.0.113.5"
SPOOFED = "198.51.100.66"
BEHIND_NGINX = override_settings(CHIBO_PROXY_COUNT=1, CHIBO_TRUSTED_PROXIES=["127.0.0.1", "::1"])


def _request(remote_addr, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


@override_settings(CHIBO_PROXY_COUNT=0)
def test_without_a_proxy_the_header_is_ignored_even_from_loopback():
    assert client_ip(_request("127.0.0.1", SPOOFED)) == "127.0.0.1"
    assert client_ip(_request("192.0.2.10", SPOOFED)) == "192.0.2.10"


@BEHIND_NGINX
def test_through_the_trusted_proxy_the_forwarded_address_is_the_client():
    assert client_ip(_request("127.0.0.1", CLIENT)) == CLIENT


@BEHIND_NGINX
def test_a_spoofed_header_from_an_untrusted_address_is_ignored():
    assert client_ip(_request("192.0.2.10", SPOOFED)) == "192.0.2.10"


@BEHIND_NGINX
def test_an_address_the_client_prepends_is_skipped():
    # Were nginx to append instead of overwrite, the right-most entry is still the one it saw.
    assert client_ip(_request("127.0.0.1", f"{SPOOFED}, {CLIENT}")) == CLIENT


@BEHIND_NGINX
def test_a_local_request_without_the_header_keeps_its_own_address():
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"


@BEHIND_NGINX
def test_a_header_that_is_not_an_address_falls_back_to_the_connection():
    assert client_ip(_request("127.0.0.1", "unknown, <script>")) == "127.0.0.1"


@BEHIND_NGINX
def test_ipv6_client_and_ipv4_mapped_proxy_address():
    assert client_ip(_request("::1", "2001:db8::5")) == "2001:db8::5"
    assert client_ip(_request("::ffff:127.0.0.1", CLIENT)) == CLIENT


@override_settings(CHIBO_PROXY_COUNT=2, CHIBO_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_two_proxies_count_from_the_right():
    # load balancer (overwrites) -> nginx 10.0.0.2 (appends) -> gunicorn
    assert client_ip(_request("10.0.0.2", f"{CLIENT}, 10.0.0.1")) == CLIENT
    assert client_ip(_request("10.0.0.2", f"{SPOOFED}, {CLIENT}, 10.0.0.1")) == CLIENT
    assert client_ip(_request("172.16.0.9", f"{SPOOFED}, 10.0.0.1")) == "172.16.0.9"


def test_axes_counts_failures_by_the_same_address():
    with BEHIND_NGINX:
        assert get_client_ip_address(_request("127.0.0.1", CLIENT)) == CLIENT
        assert get_client_ip_address(_request("192.0.2.10", SPOOFED)) == "192.0.2.10"
    with override_settings(CHIBO_PROXY_COUNT=0):
        assert get_client_ip_address(_request("127.0.0.1", CLIENT)) == "127.0.0.1"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CHIBO_TRUSTED_PROXIES", "127.0.0.1,localhost", "'localhost' is not an IP or a network"),
        ("CHIBO_PROXY_COUNT", "-1", "CHIBO_PROXY_COUNT must be 0 or more"),
    ],
)
def test_a_wrong_proxy_setting_stops_the_start(tmp_path, name, value, message):
    env = {**os.environ, name: value, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode != 0
    assert message in result.stderr
