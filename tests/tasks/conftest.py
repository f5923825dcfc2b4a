"""Real services for the background-job tests: a local SMTP sink (aiosmtpd), real Celery
worker and beat processes on Redis, sharing the PostgreSQL test database."""

import collections
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from tests.services_required import missing, require_postgres, require_redis

BASE_DIR = Path(settings.BASE_DIR)
CELERY = str(Path(sys.executable).with_name("celery"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class SinkHandler:
    """Records every accepted message. `refuse` makes it answer 550; `on_data(n)` is called
    before the n-th message is accepted and may return an SMTP reply to reject it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[dict] = []
        self.refuse = False
        self.on_data = None
        self.seen = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.7.1 Hộp thư tạm thời từ chối nhận thư"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.seen += 1
            seen = self.seen
        if self.on_data is not None:
            reply = self.on_data(seen)
            if reply:
                return reply
        from email import message_from_bytes

        msg = message_from_bytes(envelope.content)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.messages.append({"to": rcpt, "key": msg.get("X-Chibo-Key", ""), "subject": msg.get("Subject")})
        return "250 Message accepted for delivery"

    def per_recipient(self) -> collections.Counter:
        with self.lock:
            return collections.Counter(m["to"] for m in self.messages)

    def count(self) -> int:
        with self.lock:
            return len(self.messages)


@pytest.fixture
def smtp_sink():
    handler = SinkHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] or "postgres"
    if s["PASSWORD"]:
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Processes:
    """Starts worker/beat subprocesses in their own process groups so a test can SIGKILL a
    whole worker (main process and pool children) like a crashed machine would."""

    def __init__(self, tmp_path, sink, broker_url):
        self.tmp_path = tmp_path
        self.sink = sink
        self.broker_url = broker_url
        self.procs: list[subprocess.Popen] = []
        self.env_extra: dict[str, str] = {}

    def env(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("REQUIRE_SERVICES",)}
        env.update(
            DJANGO_SETTINGS_MODULE="chibo.settings",
            DATABASE_URL=_database_url(),
            REDIS_URL=self.broker_url,
            EMAIL_URL=f"smtp://127.0.0.1:{self.sink.port}",
            CONN_MAX_AGE="0",
            NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS="3",
            NOTIFICATIONS_RETRY_BASE_SECONDS="0.5",
            NOTIFICATIONS_RETRY_MAX_SECONDS="2",
            NOTIFICATIONS_BATCH_SIZE="20",
            CELERY_VISIBILITY_TIMEOUT="5",
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            LOG_LEVEL="WARNING",
        )
        env.update(self.env_extra)
        env.update(extra)
        return env

    def _start(self, args, name, **extra) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}-{len(self.procs)}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(
            [CELERY, "-A", "chibo", *args],
            cwd=BASE_DIR,
            env=self.env(**extra),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        proc.log_path = log.name
        self.procs.append(proc)
        return proc

    def worker(self, *, concurrency: int = 1, **extra) -> subprocess.Popen:
        proc = self._start(
            [
                "worker",
                "-l",
                "info",
                "-c",
                str(concurrency),
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test{len(self.procs)}@%h",
            ],
            "worker",
            **extra,
        )
        wait_for(
            lambda: b"ready." in Path(proc.log_path).read_bytes() or proc.poll() is not None,
            timeout=60,
            what="worker ready",
        )
        assert proc.poll() is None, Path(proc.log_path).read_text()
        return proc

    def beat(self, *, every: float, **extra) -> subprocess.Popen:
        return self._start(
            ["beat", "-l", "info", "-s", str(self.tmp_path / "beat-schedule"), "--pidfile="],
            "beat",
            NOTIFICATIONS_SWEEP_SECONDS=str(every),
            **extra,
        )

    def kill(self, proc):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def point_app_to(url: str) -> None:
    """Publish from this (test) process to another broker, as the web process would."""
    from chibo.celery import app

    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url
    app.conf.broker_write_url = None
    app.conf.broker_read_url = None


@pytest.fixture
def services(transactional_db, tmp_path, smtp_sink):
    require_postgres()
    redis_url = require_redis()
    from chibo.celery import app
    from meetings.models import TOPIC_GROUPS, TopicGroup

    # transactional_db flushes tables between tests, data-migration rows included.
    for number, name in TOPIC_GROUPS:
        TopicGroup.objects.update_or_create(number=number, defaults={"name": name})
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    point_app_to(redis_url)
    app.control.purge()
    procs = Processes(tmp_path, smtp_sink, redis_url)
    yield procs
    procs.stop_all()
    point_app_to(redis_url)
    app.control.purge()
    app.conf.task_always_eager = eager


class PrivateRedis:
    """A throw-away redis-server of our own, so the test can stop and restart "Redis"
    without touching the shared one."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.dir = tmp_path
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(self.dir),
                "--pidfile",
                str(self.dir / "redis.pid"),
            ],
            check=True,
            capture_output=True,
        )
        import redis

        wait_for(lambda: _pings(redis, self.url), timeout=10, what="private redis")

    def stop(self):
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True, check=False)
        import redis

        wait_for(lambda: not _pings(redis, self.url), timeout=10, what="private redis to stop")


def _pings(redis, url) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        return False


@pytest.fixture
def private_redis(tmp_path):
    if not (shutil.which("redis-server") and shutil.which("redis-cli")):
        missing("needs the redis-server binary to stop and restart a private Redis")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop() if _pings(__import__("redis"), server.url) else None
