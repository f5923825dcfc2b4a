"""Tests that need real services: skip with a clear reason when they are not configured,
fail instead when REQUIRE_SERVICES=1 (CI), so a missing service can never pass silently."""

import os

import pytest


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def missing(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1: this test must run)", pytrace=False)
    pytest.skip(reason)


def require_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        missing("needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name")


def require_redis() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        missing("needs Redis: set REDIS_URL=redis://host:6379/N")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:
        missing(f"Redis at {url} is unreachable: {exc}")
    return url
