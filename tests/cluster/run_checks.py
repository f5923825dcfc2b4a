"""`make cluster-test`: what the one-machine cluster (`make cluster`, deploy/cluster/cluster.sh)
survives. Not collected by pytest (not a test_*.py file); run on a cluster that is up:

    .venv/bin/python tests/cluster/run_checks.py [--load-seconds 30] [--users 10]

1. the three browser journeys (tests/e2e/test_journeys.py) through nginx;
2. a bounded locust run (bench/load/locustfile.py) during which web node 1 is killed (SIGKILL)
   and restarted: failed requests may only be ones in flight on that node;
3. the share of the dashboards' queries that the replica served (the router's log lines) and
   the replica's own counters (pg_stat_database);
4. a fan-out of notices during which the documents worker is killed and the Redis primary is
   killed (Sentinel promotes the replica): every e-mail delivered exactly once.
Prints the figures and writes them to $CLUSTER_DIR/cluster-test.json. Exit status 1 if a check fails.
"""

import argparse
import collections
import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.cluster.stack import cluster, cluster_env  # noqa: E402

CLUSTER_DIR = Path(os.environ.get("CLUSTER_DIR", "/tmp/chibo-cluster"))  # noqa: S108 - cluster.sh's default
NGINX = "http://127.0.0.1:8080"
PG_PRIMARY = ["psql", "-h", "127.0.0.1", "-p", "5433", "-U", "postgres", "-XAtq"]
PG_REPLICA = ["psql", "-h", "127.0.0.1", "-p", "5434", "-U", "postgres", "-XAtq"]
SENTINEL = ["redis-cli", "-p", "26379"]
WEB_WORKERS_PER_NODE = int(os.environ.get("WEB_WORKERS", "2"))
FAILURES: list[str] = []


def say(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def check(condition, what):
    say(("ok      " if condition else "FAILED  ") + what)
    if not condition:
        FAILURES.append(what)


def sql(cmd, query, database="chibo"):
    result = subprocess.run([*cmd, "-d", database, "-c", query], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def manage(*args, direct=False, extra_env=None):
    env = cluster_env()
    if direct:  # bulk writes straight to the primary, as migrations are
        env.update(DATABASE_URL="postgres://postgres@127.0.0.1:5433/chibo", DATABASE_POOLER="")
        env.update(DATABASE_REPLICA_URLS="")
    env.update(extra_env or {})
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=1800).stdout


def journeys():
    say("1. browser journeys through nginx (tests/e2e/test_journeys.py)")
    cluster("sink-stop")  # the journeys' own sink listens on the cluster's SMTP port
    env = {
        **os.environ,
        "CHIBO_E2E": "1",
        "E2E_CLUSTER": "1",
        "CLUSTER_SMTP_PORT": os.environ.get("CLUSTER_SMTP_PORT", "2526"),
        "E2E_ARTIFACTS": str(CLUSTER_DIR / "e2e"),
    }
    try:
        pytest = ["-m", "pytest", "tests/e2e/test_journeys.py", "-p", "no:cacheprovider", "-o", "addopts=", "-q"]
        result = subprocess.run(
            [sys.executable, *pytest],
            cwd=ROOT,
            env=env,
            timeout=1800,
            check=False,
        )
    finally:
        cluster("sink-start")
    check(result.returncode == 0, "the three browser journeys pass on the cluster")


def router_counts(logs_from: dict[str, int]) -> collections.Counter:
    """Sums the router's per-page lines (chibo.db_router, DEBUG) written since the given offsets."""
    counts = collections.Counter()
    line = re.compile(r"replica reads view=(dashboard:\S+) replica=(\S+) queries_replica=(\d+) queries_primary=(\d+)")
    for name, offset in logs_from.items():
        with open(CLUSTER_DIR / "log" / name, encoding="utf-8", errors="replace") as fh:
            fh.seek(offset)
            for match in line.finditer(fh.read()):
                counts["pages"] += 1
                counts["replica"] += int(match.group(3))
                counts["primary"] += int(match.group(4))
                if match.group(2) == "-":  # pinned to the primary: a POST (the login) less than 10 s before
                    counts["pinned_pages"] += 1
                else:
                    counts["unpinned_replica"] += int(match.group(3))
                    counts["unpinned_primary"] += int(match.group(4))
    return counts


def log_offsets():
    return {name: (CLUSTER_DIR / "log" / name).stat().st_size for name in ("web1.log", "web2.log")}


def replica_reads():
    return int(sql(PG_REPLICA, "SELECT xact_commit + tup_returned FROM pg_stat_database WHERE datname = 'chibo'"))


def load_with_node_kill(seconds, users, scale_cells, figures):
    say("2. load through nginx, web node 1 killed and restarted during it")
    ids_path = CLUSTER_DIR / "load-ids.json"
    size_before = int(sql(PG_PRIMARY, "SELECT pg_database_size('chibo')"))
    try:
        # A national-shaped tree for the dashboards (and the database size per cell-year).
        manage("seed_scale", "--cells", str(scale_cells), direct=True)
        size_per_cell = (int(sql(PG_PRIMARY, "SELECT pg_database_size('chibo')")) - size_before) / scale_cells
        figures["database_bytes_per_cell_year"] = round(size_per_cell)
        say(f"   seed_scale --cells {scale_cells}: {size_per_cell / 1024:.1f} KiB per cell and year of meetings")
    except subprocess.CalledProcessError as exc:
        say(f"   seed_scale failed, the load runs on the demo tree: {exc.stderr.strip().splitlines()[-1]}")
    manage("shell", "-c", (ROOT / "bench/load/prepare.py").read_text(), extra_env={"CHIBO_LOAD_IDS": str(ids_path)})
    cluster("replica-catch-up")
    offsets = log_offsets()
    replica_before = replica_reads()
    prefix = CLUSTER_DIR / "load"
    locust = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench/load/locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            NGINX,
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "10",
        ],
        cwd=ROOT,
        env={**os.environ, "CHIBO_LOAD_IDS": str(ids_path)},
        stdout=subprocess.DEVNULL,
        stderr=open(CLUSTER_DIR / "log" / "locust.log", "w"),  # noqa: SIM115
    )
    time.sleep(seconds / 3)
    killed_at = time.monotonic()
    cluster("web-kill", "1")
    say("   web node 1 killed (SIGKILL)")
    time.sleep(5)  # what systemd's RestartSec does
    cluster("web-start", "1")
    recovered = time.monotonic() - killed_at
    say(f"   web node 1 serving again {recovered:.1f} s after the kill")
    locust.wait(timeout=seconds + 120)
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))  # noqa: SIM115
    total = next(row for row in rows if row["Name"] == "Aggregated")
    requests, failed = int(total["Request Count"]), int(total["Failure Count"])
    figures.update(
        load_seconds=seconds,
        load_users=users,
        requests=requests,
        requests_failed_during_node_kill=failed,
        requests_per_second=round(float(total["Requests/s"]), 1),
        web_node_recovery_seconds=round(recovered, 1),
    )
    say(f"   {requests} requests, {failed} failed, {float(total['Requests/s']):.1f} req/s")
    check(requests > 0, "the load run made requests")
    check(
        failed <= WEB_WORKERS_PER_NODE,
        f"failed requests ({failed}) are at most the requests in flight on the killed node ({WEB_WORKERS_PER_NODE})",
    )

    say("3. dashboard reads on the replica")
    counts = router_counts(offsets)
    share = counts["replica"] / max(1, counts["replica"] + counts["primary"])
    unpinned = counts["unpinned_replica"] / max(1, counts["unpinned_replica"] + counts["unpinned_primary"])
    replica_delta = replica_reads() - replica_before
    figures.update(
        dashboard_pages=counts["pages"],
        dashboard_queries_replica=counts["replica"],
        dashboard_queries_primary=counts["primary"],
        dashboard_share_replica=round(share, 3),
        dashboard_pages_pinned_to_primary=counts["pinned_pages"],
        dashboard_share_replica_unpinned_pages=round(unpinned, 3),
        replica_pg_stat_database_delta=replica_delta,
    )
    say(
        f"   {counts['pages']} dashboard pages: {counts['replica']} queries on the replica, "
        f"{counts['primary']} on the primary ({share:.0%} on the replica); {counts['pinned_pages']} pages pinned to "
        f"the primary after a login, the others {unpinned:.0%} on the replica (the primary reads the session); "
        f"replica's own counters +{replica_delta}"
    )
    check(counts["pages"] > 0 and share > 0.5, "most dashboard queries were served by the replica")
    check(replica_delta > 0, "the replica's pg_stat_database counters grew during the load")


FANOUT = """
import datetime, json
from django.db import transaction
from django.utils import timezone
from meetings.models import Member, Organization, OrgKind, Notification
from meetings.periods import quarter_of
from meetings.services import notifications as svc
from meetings.workflow import Stage
from tests import factories as f
parent = Organization.objects.filter(kind=OrgKind.COMMITTEE).order_by("pk").first()
cell = f.CellFactory(parent=parent, name="Chi bộ thử chuyển đổi dự phòng")
Member.objects.bulk_create([
    Member(cell=cell, full_name=f"Đảng viên {i}", email=f"dv{i:04d}@failover.test", sort_key=f"{i:05d}")
    for i in range(RECIPIENTS)
])
starts = (timezone.now() + datetime.timedelta(days=10)).replace(second=0, microsecond=0)
local = timezone.localtime(starts)
meeting = f.MeetingFactory(cell=cell, stage=Stage.NOTICED, starts_at=starts, scheduled_date=local.date(),
    start_time=local.time(), place="Phòng họp số 1", year=local.year, quarter=quarter_of(local))
with transaction.atomic():
    svc.notifications_for_notice(meeting=meeting)
keys = Notification.objects.filter(meeting=meeting, kind="notice").values_list("key", flat=True)
print(json.dumps({"meeting": meeting.pk, "keys": list(keys)}))
"""


def delivered(keys):
    counts = collections.Counter()
    times = []
    with open(CLUSTER_DIR / "mail.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["key"] in keys:
                counts[row["key"]] += 1
                times.append(row["at"])
    return counts, times


def fanout_with_failover(recipients, figures):
    say(f"4. fan-out of {recipients} notices; the documents worker and the Redis primary killed during it")
    before_master = subprocess.run(
        [*SENTINEL, "SENTINEL", "get-master-addr-by-name", "chibo"], capture_output=True, text=True, check=True
    ).stdout.split()
    out = manage("shell", "-c", FANOUT.replace("RECIPIENTS", str(recipients)))
    keys = set(json.loads(out.strip().splitlines()[-1])["keys"])
    check(len(keys) == recipients, f"{recipients} outbox rows written")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and sum(delivered(keys)[0].values()) < recipients // 10:
        time.sleep(0.2)
    # The worst moment for a crash: a message handed to the SMTP server, its 250 not yet read.
    hold = CLUSTER_DIR / "mail.jsonl.hold"
    held = CLUSTER_DIR / "mail.jsonl.held"
    hold.touch()
    while not held.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    cluster("worker-kill", "documents")
    hold.unlink()
    say(f"   documents worker killed (SIGKILL) after {sum(delivered(keys)[0].values())} deliveries, awaiting a 250")
    killed_port = cluster("redis-kill").strip()
    failed_at = time.time()
    say(f"   Redis primary (port {killed_port}) killed")
    while True:
        master = subprocess.run(
            [*SENTINEL, "SENTINEL", "get-master-addr-by-name", "chibo"], capture_output=True, text=True, check=True
        ).stdout.split()
        if master != before_master or time.time() - failed_at > 60:
            break
        time.sleep(0.2)
    promoted = time.time() - failed_at
    check(master != before_master, f"Sentinel promoted the replica ({master[-1]}) in {promoted:.1f} s")
    delivered_before = sum(delivered(keys)[0].values())
    cluster("worker-start", "documents")  # what systemd's Restart=on-failure does
    cluster("redis-start")  # the old primary comes back as a replica of the new one
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        listed = ",".join(repr(key) for key in keys)
        sent = int(
            sql(PG_PRIMARY, f"SELECT count(*) FROM meetings_notification WHERE key IN ({listed}) AND status = 'sent'")
        )
        if sent == recipients:
            break
        time.sleep(1)
    time.sleep(10)  # anything sent twice would arrive now (redelivered tasks, the sweeper)
    counts, times = delivered(keys)
    after = [t for t in times if t > failed_at]
    figures.update(
        fanout_recipients=recipients,
        delivered_before_failover=delivered_before,
        delivered_after_failover=len(after),
        sentinel_promotion_seconds=round(promoted, 1),
        mail_recovery_seconds=round(min(after) - failed_at, 1) if after else None,
        delivered_total=sum(counts.values()),
        duplicates=sum(n - 1 for n in counts.values() if n > 1),
        lost=recipients - len(counts),
    )
    say(
        f"   delivered: {delivered_before} before the fail-over, {len(after)} after it; "
        f"first after it {figures['mail_recovery_seconds']} s after the kill"
    )
    check(len(counts) == recipients, f"every recipient got the notice ({len(counts)}/{recipients}, none lost)")
    check(all(n == 1 for n in counts.values()), f"none twice ({figures['duplicates']} duplicates)")
    health = subprocess.run(["curl", "-s", f"{NGINX}/healthz"], capture_output=True, text=True).stdout
    check('"broker": "ok"' in health, f"/healthz sees the new Redis primary: {health}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--load-seconds", type=int, default=30)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--recipients", type=int, default=300)
    parser.add_argument("--scale-cells", type=int, default=2000)
    parser.add_argument("--skip-journeys", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    figures = {}
    if not args.skip_journeys:
        journeys()
    load_with_node_kill(args.load_seconds, args.users, args.scale_cells, figures)
    fanout_with_failover(args.recipients, figures)
    figures["total_seconds"] = round(time.monotonic() - started)
    (CLUSTER_DIR / "cluster-test.json").write_text(json.dumps(figures, indent=2))
    say("figures:")
    for key, value in figures.items():
        print(f"   {key:36} {value}")
    if FAILURES:
        say(f"{len(FAILURES)} check(s) failed: " + "; ".join(FAILURES))
        sys.exit(1)
    say(f"all checks passed in {figures['total_seconds']} s")


if __name__ == "__main__":
    main()
