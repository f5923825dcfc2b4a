"""Read replicas (chibo/db_router.py). The "replica" is a second connection to the test
database (what Django's TEST MIRROR does), so a query's connection shows where it was routed."""

import pytest
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.db_router import PIN_COOKIE, ReplicaRouter, reads_from
from meetings.models import Organization
from tests import factories as f

MIDDLEWARE = "chibo.db_router.ReplicaReadsMiddleware"


def test_without_replicas_nothing_is_routed(settings):
    # The settings of a run without DATABASE_REPLICA_URLS: no router, no middleware.
    assert settings.DATABASE_REPLICAS == []
    assert not getattr(settings, "DATABASE_ROUTERS", [])
    assert MIDDLEWARE not in settings.MIDDLEWARE
    assert router.db_for_read(Organization) == "default"
    assert router.db_for_write(Organization) == "default"


def test_router_outside_a_scope_reads_the_primary():
    assert ReplicaRouter().db_for_read(Organization) == "default"


def test_router_in_a_scope_reads_the_replica_and_writes_the_primary():
    replica_router = ReplicaRouter()
    with reads_from("replica1"):
        assert replica_router.db_for_read(Organization) == "replica1"
        assert replica_router.db_for_write(Organization) == "default"


@pytest.mark.django_db
def test_router_in_a_transaction_reads_the_primary():
    replica_router = ReplicaRouter()
    with reads_from("replica1"), transaction.atomic():
        assert replica_router.db_for_read(Organization) == "default"


def test_router_keeps_sessions_and_lockouts_on_the_primary():
    from axes.models import AccessAttempt
    from django.contrib.sessions.models import Session

    from meetings.models import UserSession

    replica_router = ReplicaRouter()
    with reads_from("replica1"):
        for model in (Session, AccessAttempt, UserSession):
            assert replica_router.db_for_read(model) == "default"


def test_router_never_migrates_a_replica(settings):
    settings.DATABASE_REPLICAS = ["replica1"]
    assert ReplicaRouter().allow_migrate("replica1", "meetings") is False
    assert ReplicaRouter().allow_migrate("default", "meetings") is None


@pytest.fixture(scope="module")
def _replica_alias(django_db_setup, django_db_blocker):
    """A "replica1" connection to the test database, defined before the tests' database
    access is set up (Django checks a test's databases against the defined ones)."""
    connections.settings["replica1"] = {**connections["default"].settings_dict}
    yield "replica1"
    with django_db_blocker.unblock():
        connections["replica1"].close()
    del connections["replica1"]
    del connections.settings["replica1"]


@pytest.fixture
def replica(_replica_alias, settings):
    """The router and middleware installed as settings does when DATABASE_REPLICA_URLS is set."""
    settings.DATABASE_REPLICAS = [_replica_alias]
    settings.DATABASE_ROUTERS = ["chibo.db_router.ReplicaRouter"]
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index("django.contrib.sessions.middleware.SessionMiddleware"), MIDDLEWARE)
    settings.MIDDLEWARE = middleware
    return _replica_alias


def _queries(alias):
    return CaptureQueriesContext(connections[alias])


@pytest.mark.django_db(transaction=True, databases=["default", "replica1"])
def test_dashboard_is_read_from_the_replica(client, replica):
    root = f.CommitteeFactory(name="Đảng bộ tỉnh")
    f.CellFactory(parent=root)
    client.force_login(f.StaffUserFactory(committee=root))
    with _queries("replica1") as on_replica, _queries("default") as on_primary:
        response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert len(on_replica.captured_queries) > 0
    # The primary reads only the session (and takes the session's writes).
    primary_reads = [q["sql"] for q in on_primary.captured_queries if q["sql"].startswith("SELECT")]
    assert primary_reads and all('FROM "django_session"' in sql for sql in primary_reads)


@pytest.mark.django_db(transaction=True, databases=["default", "replica1"])
def test_other_pages_are_read_from_the_primary(client, replica):
    user = f.MemberWithUserFactory().user
    client.force_login(user)
    with _queries("replica1") as on_replica:
        response = client.get(reverse("portal:tasks"))
    assert response.status_code == 200
    assert on_replica.captured_queries == []


@pytest.mark.django_db(transaction=True, databases=["default", "replica1"])
def test_a_post_pins_the_browser_to_the_primary(client, replica, settings):
    settings.DATABASE_REPLICA_PIN_SECONDS = 7
    root = f.CommitteeFactory()
    user = f.StaffUserFactory(committee=root)
    client.force_login(user)
    # Any unsafe request, even one the view refuses, may have written: the cookie follows.
    response = client.post(reverse("accounts:logout"))
    assert response.cookies[PIN_COOKIE]["max-age"] == 7
    client.force_login(user)
    with _queries("replica1") as on_replica:
        assert client.get(reverse("dashboard:home")).status_code == 200
    assert on_replica.captured_queries == []
    # Once the cookie has expired, the replica serves the page again.
    client.cookies.pop(PIN_COOKIE)
    with _queries("replica1") as on_replica:
        assert client.get(reverse("dashboard:home")).status_code == 200
    assert len(on_replica.captured_queries) > 0


@pytest.mark.django_db(transaction=True, databases=["default", "replica1"])
def test_an_object_read_from_the_replica_is_saved_on_the_primary(replica):
    org = f.CommitteeFactory(name="Cũ")
    with reads_from("replica1"):
        fetched = Organization.objects.get(pk=org.pk)
        assert fetched._state.db == "replica1"
        fetched.name = "Mới"
        with _queries("default") as on_primary:
            fetched.save(update_fields=["name"])
    assert any("UPDATE" in q["sql"] for q in on_primary.captured_queries)
    assert Organization.objects.get(pk=org.pk).name == "Mới"
