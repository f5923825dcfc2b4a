"""The real stack for browser journeys and load tests: PostgreSQL, Redis, gunicorn, a Celery
worker and a local SMTP sink, all on loopback, started and stopped by the test session."""

import contextlib
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import psycopg2
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Sink:
    def __init__(self):
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self.lock:
            self.messages.append(message)
        return "250 OK"


@dataclass
class SmtpSink:
    port: int = field(default_factory=free_port)

    def __post_init__(self):
        self.handler = _Sink()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    @property
    def messages(self):
        with self.handler.lock:
            return list(self.handler.messages)

    def wait_for(self, predicate, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.messages if predicate(m)]
            if found:
                return found
            time.sleep(0.25)
        return []


def recreate_database(name: str) -> str:
    conn = psycopg2.connect(PG_ADMIN_URL)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return f"postgres://postgres@127.0.0.1:5432/{name}"


@dataclass
class Stack:
    """gunicorn + celery worker against a fresh database seeded with the demo data."""

    db_name: str = "chibo_e2e"
    redis_url: str = "redis://127.0.0.1:6379/3"
    workers: int = 2
    smtp: SmtpSink | None = None
    port: int = field(default_factory=free_port)
    processes: list = field(default_factory=list)
    seed: bool = True
    extra_env: dict = field(default_factory=dict)

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
        env.update(
            {
                "DEBUG": "False",
                "SECRET_KEY": "e2e-" + "k" * 60,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "SECURE_SSL_REDIRECT": "False",
                "SECURE_COOKIES": "False",
                "SECURE_HSTS_SECONDS": "0",
                "STATIC_ROOT": str(self.static_root),
                "MEDIA_ROOT": str(self.media_root),
                "SITE_URL": self.url,
                "AXES_ENABLED": "False",
                "CONN_MAX_AGE": "60",
            }
        )
        if self.smtp is not None:
            env["EMAIL_URL"] = f"smtp://127.0.0.1:{self.smtp.port}"
        env.update(self.extra_env)
        return env

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args, check=True):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            check=check,
            capture_output=True,
            text=True,
            timeout=1800,
        )

    def start(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="chibo-stack-"))
        self.static_root = self.tmp / "static"
        self.media_root = self.tmp / "media"
        self.database_url = recreate_database(self.db_name)
        subprocess.run(["redis-cli", "-u", self.redis_url, "FLUSHDB"], check=False, capture_output=True)
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        if self.seed:
            self.manage("seed_demo", "--force")
        log = open(self.tmp / "worker.log", "w")  # noqa: SIM115 - lives as long as the process
        self.processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "chibo",
                    "worker",
                    "-l",
                    "info",
                    "--concurrency",
                    "2",
                    "--without-gossip",
                    "--without-mingle",
                    "-n",
                    f"e2e-{self.port}@%h",
                ],
                cwd=ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        weblog = open(self.tmp / "web.log", "w")  # noqa: SIM115
        self.processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "chibo.wsgi",
                    "-b",
                    f"127.0.0.1:{self.port}",
                    "-w",
                    str(self.workers),
                    "--timeout",
                    "60",
                    "--access-logfile",
                    "-",
                ],
                cwd=ROOT,
                env=self.env(),
                stdout=weblog,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/dang-nhap/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start: " + (self.tmp / "web.log").read_text()[-2000:])

    def stop(self):
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(self.tmp, ignore_errors=True)
