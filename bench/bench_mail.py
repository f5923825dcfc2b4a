"""Queue and deliver 10,000 reminder e-mails through a real Celery worker to a local SMTP
sink; compare, in the same run, with plain smtplib sending the same messages over one
connection (the limit). Target: at least 0.3 of that rate (the worker renders every
message from its templates and sends it through Django's mail backend).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_bench REDIS_URL=redis://127.0.0.1:6379/5 \
        .venv/bin/python bench/bench_mail.py [--messages 10000] [--concurrency 2]

The database is migrated and the bench's own rows are deleted at the end; use a database
of its own.
"""

import argparse
import datetime
import json
import os
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")

TARGET = 0.3  # of plain smtplib's rate


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"SMTP sink did not start on port {port}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        raise SystemExit("Set DATABASE_URL (PostgreSQL, a database of its own) and REDIS_URL.")
    port = free_port()
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    os.environ["NOTIFICATIONS_BATCH_SIZE"] = str(args.batch)

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from chibo.celery import app
    from meetings import models as m
    from meetings.periods import quarter_of
    from meetings.services import notifications as svc
    from meetings.services.notifications.outbox import utc_stamp
    from meetings.services.notifications.rendering import MessageBuilder
    from meetings.services.organizations import organization_create
    from meetings.workflow import Stage

    call_command("migrate", verbosity=0)
    app.control.purge()

    procs = []
    stats_path = Path(tempfile.mkdtemp()) / "sink.json"

    def delivered() -> dict:
        """What the sink received since the last call: {times delivered: (recipient, Message-ID) pairs}."""
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.sendmail("bench@example.vn", ["stats@bench.invalid"], b"Subject: stats\r\n\r\nstats\r\n")
        return json.loads(stats_path.read_text())

    sink = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-c", "smtp_sink.CountingSink", "-l", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        cwd=BASE_DIR / "bench",
        env={**os.environ, "BENCH_SINK_STATS": str(stats_path), "PYTHONPATH": str(BASE_DIR / "bench")},
    )
    procs.append(sink)
    wait_port(port)

    # --- data: 50 noticed meetings x members = N reminder rows, all due now -----------------
    committee = organization_create(name="Đảng ủy bench", kind=m.OrgKind.COMMITTEE)
    cell = organization_create(name="Chi bộ bench", kind=m.OrgKind.CELL, parent=committee)
    per_meeting = 200
    meetings_count = max(1, args.messages // per_meeting)
    members = m.Member.objects.bulk_create(
        [
            m.Member(cell=cell, full_name=f"Đảng viên bench {i}", email=f"bench{i}@example.vn", sort_key=f"{i:06d}")
            for i in range(per_meeting)
        ]
    )
    group = m.TopicGroup.objects.order_by("number").first()
    starts = (timezone.now() + datetime.timedelta(days=5)).replace(second=0, microsecond=0)
    now = timezone.now()
    rows = []
    for j in range(meetings_count):
        topic = m.Topic.objects.create(cell=cell, year=starts.year, title=f"Chuyên đề bench {j}", group=group)
        meeting = m.Meeting.objects.create(
            cell=cell,
            topic=topic,
            stage=Stage.NOTICED,
            year=starts.year,
            quarter=quarter_of(timezone.localtime(starts)),
            scheduled_date=timezone.localtime(starts).date(),
            start_time=timezone.localtime(starts).time(),
            starts_at=starts,
            place="Hội trường",
        )
        for mem in members:
            rows.append(
                m.Notification(
                    key=f"bench:{meeting.pk}:{mem.pk}",
                    kind=m.NotificationKind.MEETING_REMINDER,
                    recipient_email=mem.email,
                    recipient_name=mem.full_name,
                    cell_id=cell.pk,
                    meeting_id=meeting.pk,
                    due_at=now,
                    context={"starts_at": utc_stamp(starts), "days": 1, "member_id": mem.pk},
                )
            )
    m.Notification.objects.bulk_create(rows, batch_size=1000)
    qs = m.Notification.objects.filter(cell=cell)
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    total = len(ids)

    try:
        # --- the limit: the same messages, pre-rendered, over one smtplib connection ---------
        builder = MessageBuilder()
        built = []
        for n in qs.select_related("meeting", "meeting__topic", "meeting__cell", "cell").order_by("pk"):
            msg = builder.build(n)
            built.append((msg.from_email, msg.recipients(), msg.message().as_bytes(linesep="\r\n")))
        t0 = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for from_addr, to, data in built:
                smtp.sendmail(from_addr, to, data)
        baseline = total / (time.perf_counter() - t0)
        baseline_delivered = delivered()
        del built

        # --- through the outbox and a real worker ------------------------------------------
        env = {**os.environ, "LOG_LEVEL": "WARNING", "CONN_MAX_AGE": "60"}
        worker = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "chibo",
                "worker",
                "-l",
                "warning",
                "-c",
                str(args.concurrency),
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        procs.append(worker)
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5) and time.monotonic() < deadline:
            pass
        t0 = time.perf_counter()
        svc.enqueue(ids)  # what on_commit does after the hooks wrote the rows
        sent = 0
        while sent < total:
            time.sleep(0.05)
            sent = qs.filter(status=m.NotificationStatus.SENT).count()
            if time.perf_counter() - t0 > 600:
                raise SystemExit(f"only {sent}/{total} sent after 600 s")
        through_worker = total / (time.perf_counter() - t0)
        time.sleep(0.5)  # the last message's 250 may precede its sent mark by a moment
        worker_delivered = delivered()
        failed = qs.exclude(status=m.NotificationStatus.SENT).count()
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
        m.Notification.objects.filter(cell=cell).delete()
        m.Meeting.objects.filter(cell=cell).delete()
        m.Topic.objects.filter(cell=cell).delete()
        m.Member.objects.filter(cell=cell).delete()
        cell.delete()
        committee.delete()

    ratio = through_worker / baseline
    print(f"messages: {total}  (reminder e-mail, HTML + text + .ics, ~{len(rows[0].key)}-char keys)")
    print(f"worker concurrency: {args.concurrency}, batch per task: {args.batch}")
    print(f"plain smtplib, one connection, pre-rendered:  {baseline:8.0f} msg/s  (the limit)")
    print(f"outbox -> Celery worker -> SMTP (render+claim): {through_worker:8.0f} msg/s")
    print(
        f"ratio: {ratio:.2f}  (target >= {TARGET:.2f})  {'OK' if ratio >= TARGET else 'BELOW TARGET'}  unsent: {failed}"
    )
    for label, got in (("smtplib", baseline_delivered), ("worker", worker_delivered)):
        once = got["counts"].get("1", 0)
        verdict = "OK" if once == total == got["pairs"] else "MISMATCH"
        print(f"sink, {label}: {got['pairs']} (recipient, Message-ID) pairs, delivered once: {once}  {verdict}")


if __name__ == "__main__":
    main()
