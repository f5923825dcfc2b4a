"""Rendered-page cache for the most read pages (meeting page, member's tasks, dashboard).

A page is stored under a key made of everything it depends on: the URL, the user and their
rights, the CSRF cookie (the forms' tokens), the local date, and the versions of the data
scopes it shows (meetings/models/pagecache.py: PostgreSQL triggers bump a scope on every
write, whatever writes it). A write therefore makes the next request render afresh; only
what depends on the clock within one day can be up to ``PAGE_CACHE_SECONDS`` old. Pages
with a pending flash message, htmx requests and non-200 responses are never stored.

The store is per process (LocMemCache): no network, nothing to fail, and versioned keys make
the processes agree. Off on SQLite (no triggers) and with ``CHIBO_PAGE_CACHE=false``.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone

from meetings.permissions import access_for

ALIAS = "pages"
GLOBAL = "g"


def cell_scope(cell_id: int) -> str:
    return f"c{cell_id}"


def dashboard_scope(org_id: int) -> str:
    return f"d{org_id}"


def enabled() -> bool:
    return settings.CHIBO_PAGE_CACHE and connection.vendor == "postgresql"


def scope_versions(scopes: Iterable[str]) -> tuple[int, ...]:
    """The scopes' versions, read in one statement (one snapshot)."""
    scopes = list(scopes)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE((SELECT n FROM meetings_pageversion v WHERE v.scope = s.scope), 0)"
            " + (SELECT count(*) FROM meetings_pagebump b WHERE b.scope = s.scope)"
            " FROM unnest(%s::varchar[]) WITH ORDINALITY AS s(scope, i) ORDER BY s.i",
            [scopes],
        )
        return tuple(row[0] for row in cursor.fetchall())


def page_key(request, scopes: Iterable[str]) -> str | None:
    """The cache key of this request's page, or None when it must not be cached."""
    if not enabled() or request.method != "GET" or request.headers.get("HX-Request"):
        return None
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not csrf_cookie or len(get_messages(request)):
        # Without the cookie the page would carry a fresh CSRF secret; a flash message is
        # shown once.
        return None
    scopes = [GLOBAL, *scopes]
    parts = (
        request.get_full_path(),
        str(request.user.pk),
        repr(access_for(request.user)),
        csrf_cookie,
        timezone.localdate().isoformat(),
        ",".join(f"{s}={v}" for s, v in zip(scopes, scope_versions(scopes), strict=True)),
    )
    return "page:" + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).hexdigest()


def cached_page(request, *, scopes: Iterable[str], render: Callable[[], HttpResponse]) -> HttpResponse:
    """The stored page for this request, or `render()` (stored when it may be reused)."""
    key = page_key(request, scopes)
    if key is None:
        return render()
    store = caches[ALIAS]
    content = store.get(key)
    if content is not None:
        return HttpResponse(content)
    response = render()
    if response.status_code == 200 and not response.streaming and not response.cookies:
        store.set(key, response.content)
    return response


def pagecache_compact() -> int:
    """Folds the bump log into the versions (same totals) so that counting stays cheap."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        # One statement: a reader sees the rows either before or after, never both or neither.
        cursor.execute(
            "WITH gone AS (DELETE FROM meetings_pagebump RETURNING scope)"
            " INSERT INTO meetings_pageversion (scope, n) SELECT scope, count(*) FROM gone GROUP BY scope"
            " ON CONFLICT (scope) DO UPDATE SET n = meetings_pageversion.n + EXCLUDED.n"
        )
        return cursor.rowcount
