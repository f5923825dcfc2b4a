"""The real stack for browser journeys and load tests: PostgreSQL, Redis, gunicorn, a Celery
worker and a local SMTP sink, all on loopback, started and stopped by the test session."""

import contextlib
import datetime
import email
import hashlib
import logging
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
        # aiosmtpd logs every SMTP command at INFO; the seed alone sends hundreds of mails.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
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


def static_cache_dir() -> Path:
    """Where collected static files are kept between runs, named by a digest of the sources
    (the project's static folder, Django's and the installed apps' versions)."""
    import django

    digest = hashlib.sha256(django.__version__.encode())
    for path in sorted((ROOT / "static").rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    digest.update((ROOT / "chibo" / "settings.py").read_bytes())
    return Path(tempfile.gettempdir()) / f"chibo-e2e-static-{digest.hexdigest()[:16]}"


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

    # Overridable so that two e2e runs on one machine do not share a database or a Redis db.
    db_name: str = field(default_factory=lambda: os.environ.get("E2E_DB", "chibo_e2e"))
    redis_url: str = field(default_factory=lambda: os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379/3"))
    workers: int = 2
    smtp: SmtpSink | None = None
    port: int = field(default_factory=free_port)
    processes: list = field(default_factory=list)
    seed: bool = True
    extra_env: dict = field(default_factory=dict)
    clock: datetime.datetime | None = None
    launches: int = 0

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
        # collectstatic (hashing and compressing every file) runs alongside migrate + seed; its
        # result depends only on the static sources, so it is reused while they are unchanged.
        cached = static_cache_dir()
        collect = None
        if (cached / "staticfiles.json").exists():
            self.static_root = cached
        else:
            collect = subprocess.Popen(
                [sys.executable, "manage.py", "collectstatic", "--noinput"],
                cwd=ROOT,
                env=self.env(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        self.manage("migrate", "--noinput")
        if self.seed:
            self.manage("seed_demo", "--force")
        if collect is not None:
            _, err = collect.communicate(timeout=600)
            if collect.returncode:
                raise RuntimeError("collectstatic failed: " + err[-2000:])
            with contextlib.suppress(OSError):
                shutil.copytree(self.static_root, cached.with_suffix(".tmp"), dirs_exist_ok=True)
                cached.with_suffix(".tmp").rename(cached)
        self._launch()
        return self

    def _launch(self):
        """Start the Celery worker and gunicorn (through tests.e2e.clock, which moves their
        wall clock when `clock` is set) and wait until the login page answers."""
        env = self.env()
        worker_env = dict(env)
        if self.clock is not None:
            offset = self.clock.timestamp() - time.time()
            env["CHIBO_E2E_CLOCK_OFFSET"] = str(offset)
            # Moved clocks of separate processes drift apart by up to a second; the worker
            # skips rows not yet due on its own clock (the sweeper, absent here, would send
            # them a minute later), so its clock runs a few seconds ahead of the web's.
            worker_env["CHIBO_E2E_CLOCK_OFFSET"] = str(offset + 5)
        launcher = [sys.executable, "-m", "tests.e2e.clock"]
        log = open(self.tmp / "worker.log", "a")  # noqa: SIM115 - lives as long as the process
        self.processes.append(
            subprocess.Popen(
                [
                    *launcher,
                    "celery",
                    "-A",
                    "chibo",
                    "worker",
                    "-l",
                    "info",
                    "--concurrency",
                    "2",
                    # A moved clock does not reach prefork's child processes; threads share it.
                    *(["--pool", "threads"] if self.clock is not None else []),
                    "--without-gossip",
                    "--without-mingle",
                    "-n",
                    f"e2e-{self.port}-{self.launches}@%h",
                ],
                cwd=ROOT,
                env=worker_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        weblog = open(self.tmp / "web.log", "a")  # noqa: SIM115
        self.processes.append(
            subprocess.Popen(
                [
                    *launcher,
                    "gunicorn",
                    "-c",
                    "deploy/gunicorn.conf.py",  # the production settings (preload and warm-up)
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
                env=env,
                stdout=weblog,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        self.launches += 1
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/dang-nhap/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self._halt()  # never leave a worker behind to eat the next run's tasks
        raise RuntimeError("gunicorn did not start: " + (self.tmp / "web.log").read_text()[-2000:])

    def travel(self, moment: datetime.datetime | None):
        """Restart gunicorn and the worker with their wall clock at `moment` (ticking on), or
        on the real clock with None. Database, media files and queued mail stay."""
        self._halt()
        self.clock = moment
        self._launch()

    def _halt(self):
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.processes.clear()

    def stop(self, keep_logs_in: Path | None = None):
        self._halt()
        if keep_logs_in is not None:
            keep_logs_in.mkdir(parents=True, exist_ok=True)
            for name in ("web.log", "worker.log"):
                with contextlib.suppress(OSError):
                    shutil.copy(self.tmp / name, keep_logs_in / name)
        shutil.rmtree(self.tmp, ignore_errors=True)
