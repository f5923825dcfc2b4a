import os

import pytest

from tests import factories as f

# Browser journeys run only through `make e2e` (they start gunicorn, a worker and Chromium).
collect_ignore = [] if os.environ.get("CHIBO_E2E") == "1" else ["e2e"]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Transactional tests without serialized rollback run last: their flush re-creates the
    content types under new ids, which a later serialized-rollback test cannot load again.
    Browser tests marked `holds_quarter` run after the other browser tests, which share their
    stack and expect the demo cell's current quarter not yet held."""

    def flushes_without_restore(item) -> bool:
        marker = item.get_closest_marker("django_db")
        kwargs = marker.kwargs if marker else {}
        transactional = kwargs.get("transaction") or "transactional_db" in getattr(item, "fixturenames", [])
        return bool(transactional and not kwargs.get("serialized_rollback"))

    def holds_quarter(item) -> bool:
        return item.get_closest_marker("holds_quarter") is not None

    items.sort(key=lambda item: (flushes_without_restore(item), holds_quarter(item)))


def _missing_services() -> list[str]:
    from django.conf import settings

    missing = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing.append("PostgreSQL (DATABASE_URL)")
    if not os.environ.get("REDIS_URL"):
        missing.append("Redis (REDIS_URL)")
    return missing


def pytest_runtest_setup(item):
    # Tests marked `services` need PostgreSQL and Redis. Without them they are skipped,
    # except with REQUIRE_SERVICES=1 (CI), where a missing service fails the run.
    if item.get_closest_marker("services") is None:
        return
    missing = _missing_services()
    if missing:
        reason = "cần dịch vụ: " + ", ".join(missing)
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 nhưng thiếu {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Lockout is tested on its own; elsewhere repeated logins must not lock test users out.
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in-process unless a test starts a real worker (those tests switch this off)."""
    from chibo.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def committee(db):
    return f.CommitteeFactory(name="Đảng ủy Khối các cơ quan tỉnh")


@pytest.fixture
def cell(committee):
    return f.CellFactory(name="Chi bộ Văn phòng", parent=committee)


@pytest.fixture
def other_cell(committee):
    return f.CellFactory(name="Chi bộ Tài chính", parent=committee)


@pytest.fixture
def secretary(cell):
    return f.SecretaryFactory(cell=cell, full_name="Nguyễn Văn Bí Thư")


@pytest.fixture
def member(cell):
    return f.MemberWithUserFactory(cell=cell, full_name="Trần Thị Đảng Viên")


@pytest.fixture
def other_secretary(other_cell):
    return f.SecretaryFactory(cell=other_cell, full_name="Lê Văn Khác")


@pytest.fixture
def staff(committee):
    return f.StaffUserFactory(committee=committee, full_name="Cán bộ Khối")


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def services_required():
    return os.environ.get("REQUIRE_SERVICES") == "1"


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client
