import json
import os
import socket

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    # Bind then release: nothing listens there during the test.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_without_broker_reports_database_ok_and_broker_not_configured(client, settings):
    settings.REDIS_URL = ""
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "broker": "not configured"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_needs_no_login_and_answers_with_request_id(client, settings):
    settings.REDIS_URL = ""
    response = client.get(reverse("healthz"), headers={"X-Request-ID": "lb-check-0001"})
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-check-0001"


def test_healthz_with_broker_down_answers_503_and_names_the_broker(client, settings, caplog):
    settings.REDIS_URL = f"redis://:s3cret-broker-pass@127.0.0.1:{_closed_port()}/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "ok", "broker": "error"}
    # Never leaks the URL or its password, neither to the caller nor into the logs.
    assert b"s3cret" not in response.content
    assert b"127.0.0.1" not in response.content
    assert "s3cret" not in caplog.text
    assert "healthz: broker lỗi" in caplog.text


def test_healthz_refuses_post(client):
    assert client.post(reverse("healthz")).status_code == 405


@pytest.mark.services
def test_healthz_with_real_redis_reports_broker_ok(client, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "broker": "ok"}
