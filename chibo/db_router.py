"""Read replicas (deploy/OPERATIONS.md, "Bản sao chỉ đọc").

Only when DATABASE_REPLICA_URLS is set (settings.DATABASE_REPLICAS lists the aliases) does
settings install ReplicaRouter and ReplicaReadsMiddleware; without it every query goes to
"default", as before.

The middleware opens a replica scope for a GET/HEAD of one of the heavy read pages
(settings.DATABASE_REPLICA_VIEWS: dashboards, library, register, archive) unless the browser
is pinned. Inside the scope the router sends reads to the one replica chosen for the request;
writes, reads inside a transaction and the login machinery (sessions, lockouts) always go to
the primary. Every unsafe request (a POST: saving, logging in) pins the browser to the primary
for DATABASE_REPLICA_PIN_SECONDS with a cookie, so nobody reads a replica that has not yet
replayed their own change.
"""

import contextlib
import contextvars
import logging
import random

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

PIN_COOKIE = "chibo_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Models read on every request around the view, and written by it: never from a replica.
PRIMARY_ONLY_APPS = {"sessions", "axes"}
PRIMARY_ONLY_MODELS = {"meetings.usersession"}

# The replica alias of the current request's scope, or None (everything on the primary).
_replica = contextvars.ContextVar("chibo_replica_alias", default=None)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


@contextlib.contextmanager
def reads_from(alias: str | None):
    """Opens (an alias) or closes (None) a replica scope around a block, as the middleware
    does around a heavy page; for code outside a request, such as a long report."""
    token = _replica.set(alias)
    try:
        yield
    finally:
        _replica.reset(token)


class ReplicaRouter:
    """Django's router API: reads in a replica scope go to the replica, everything else to the primary."""

    def db_for_read(self, model, **hints):
        alias = _replica.get()
        if alias is None or _primary_only(model) or connections["default"].in_atomic_block:
            # In a transaction every read must see the transaction's own writes.
            return "default"
        return alias

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the primary's rows: an object read from one may point at one from the other.
        same = {"default", *replica_aliases()}
        if obj1._state.db in same and obj2._state.db in same:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A streaming replica is read-only; it receives the schema from the primary.
        if db in replica_aliases():
            return False
        return None


def _primary_only(model) -> bool:
    meta = model._meta
    return meta.app_label in PRIMARY_ONLY_APPS or meta.label_lower in PRIMARY_ONLY_MODELS


class ReplicaReadsMiddleware:
    """Opens the replica scope for the heavy read pages and pins writers to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica.set(None)
        counts = {}
        try:
            with contextlib.ExitStack() as stack:
                # Counts each database's queries of the request for the log line below; a
                # cheap wrapper per query, installed only when replicas are configured.
                for db in ("default", *replica_aliases()):
                    stack.enter_context(connections[db].execute_wrapper(_counter(counts, db)))
                response = self.get_response(request)
        finally:
            alias = _replica.get()
            _replica.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in settings.DATABASE_REPLICA_VIEWS:
            # One line per heavy page: how many of its queries each database served.
            logger.debug(
                "replica reads view=%s replica=%s queries_replica=%d queries_primary=%d",
                match.view_name,
                alias or "-",
                sum(n for db, n in counts.items() if db != "default"),
                counts.get("default", 0),
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        aliases = replica_aliases()
        if (
            aliases
            and request.method in SAFE_METHODS
            and PIN_COOKIE not in request.COOKIES
            and request.resolver_match.view_name in settings.DATABASE_REPLICA_VIEWS
        ):
            _replica.set(random.choice(aliases))  # noqa: S311 - load spreading, not security
        return None


def _counter(counts, alias):
    def count(execute, sql, params, many, context):
        counts[alias] = counts.get(alias, 0) + 1
        return execute(sql, params, many, context)

    return count
