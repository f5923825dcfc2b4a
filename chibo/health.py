"""Health check for the load balancer / monitoring: database and broker, no login."""

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        # Class name only: connection errors can echo host names or users.
        logger.error("healthz: cơ sở dữ liệu lỗi (%s)", exc.__class__.__name__)
        return False
    return True


def _redis_client(url: str):
    if url.startswith("sentinel://"):
        # The primary that the Sentinels name now (REDIS_URL in deploy/OPERATIONS.md).
        from urllib.parse import urlsplit

        from redis.sentinel import Sentinel

        sentinels = [urlsplit(part) for part in url.split(";")]
        sentinel = Sentinel(
            [(each.hostname, each.port or 26379) for each in sentinels],
            socket_timeout=1,
            sentinel_kwargs={"socket_timeout": 1, "socket_connect_timeout": 1},
        )
        return sentinel.master_for(
            settings.CELERY_BROKER_TRANSPORT_OPTIONS["master_name"], socket_timeout=1, password=sentinels[0].password
        )
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def _check_broker(url: str) -> bool:
    try:
        client = _redis_client(url)
    except Exception as exc:
        logger.error("healthz: broker lỗi (%s)", exc.__class__.__name__)
        return False
    try:
        client.ping()
    except Exception as exc:
        logger.error("healthz: broker lỗi (%s)", exc.__class__.__name__)
        return False
    finally:
        client.close()
    return True


@never_cache
@require_GET
def healthz(request):
    database_ok = _check_database()
    broker_url = getattr(settings, "REDIS_URL", "")
    broker = ("ok" if _check_broker(broker_url) else "error") if broker_url else "not configured"
    healthy = database_ok and broker != "error"
    body = {"status": "ok" if healthy else "error", "database": "ok" if database_ok else "error", "broker": broker}
    return JsonResponse(body, status=200 if healthy else 503)
