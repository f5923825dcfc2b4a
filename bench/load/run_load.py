"""Load test of chibo on the real stack, loopback only, bounded in time.

    python bench/load/run_load.py [--cells 300000] [--users 50] [--duration 2m]

Starts PostgreSQL database `chibo_load` (recreated), the demo data plus a national-size tree
(`seed_scale`), gunicorn with 5 workers (2 cores) and a Celery worker, then:
1. locust: the realistic mix of bench/load/locustfile.py at N concurrent users;
2. wrk: the throughput of the meeting page and of the member's task page against a bare
   Django view served by the same stack (the limit), and their ratios.
Prints the tables and writes them to bench/results/load.md.
"""

import argparse
import csv
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.e2e.stack import SmtpSink, Stack  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PASSWORD = "chibo-demo-2026"  # noqa: S105


def login_cookie(base, username):
    session = requests.Session()
    page = session.get(f"{base}/dang-nhap/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(
        f"{base}/dang-nhap/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        timeout=30,
    )
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items())


def warm_up(stack):
    """Untimed: flush the seed's writes to disk now (CHECKPOINT) rather than during the run,
    and let every gunicorn worker open its database connection and serve each kind of page
    once, as a server that has been up for a while has."""
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", "CHECKPOINT"], check=True)
    ids = json.loads((RESULTS / "load-ids.json").read_text())
    pages = {
        "dangvien": ["/viec-cua-toi/", "/thu-vien/", "/lich-hop/"],
        "bithu": [f"/buoi-sinh-hoat/{ids['meeting']}/", f"/buoi-sinh-hoat/{ids['meeting']}/dien-bien/?buoc=attendance"],
        "bench-bloc": ["/tong-hop/"],
        "bench-root": ["/tong-hop/"],
    }
    for username, urls in pages.items():
        cookie = login_cookie(stack.url, username)
        for _ in range(10):  # enough to reach each of the 5 workers
            for url in ["/", *urls]:
                requests.get(stack.url + url, headers={"Cookie": cookie}, timeout=30)


def wrk(url, cookie=None, seconds=20, connections=10):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    return {"rps": rps, "non2xx": int(non2xx.group(1)) if non2xx else 0, "p50": p50, "p99": p99}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=300_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", default="2m")
    parser.add_argument("--throughput-seconds", type=int, default=20)
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    ids_path = RESULTS / "load-ids.json"

    smtp = SmtpSink().start()
    stack = Stack(
        db_name="chibo_load",
        redis_url="redis://127.0.0.1:6379/4",
        workers=5,
        smtp=smtp,
        extra_env={"CHIBO_BENCH_BARE_VIEW": "True", "CHIBO_LOAD_IDS": str(ids_path), "LOG_LEVEL": "WARNING"},
    )
    t0 = time.monotonic()
    stack.start()
    try:
        stack.manage("seed_scale", "--cells", str(args.cells))
        stack.manage("shell", "-c", (ROOT / "bench/load/prepare.py").read_text())
        ids = json.loads(ids_path.read_text())
        print(
            f"stack ready in {time.monotonic() - t0:.0f}s: {ids['root_cells']} cells under the root, "
            f"{ids['bloc_cells']} under the bloc committee",
            flush=True,
        )

        warm_up(stack)

        prefix = RESULTS / "load"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench/load/locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                "10",
                "-t",
                args.duration,
                "--host",
                stack.url,
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "10",
            ],
            cwd=ROOT,
            env={**stack.env(), "CHIBO_LOAD_IDS": str(ids_path)},
            check=False,
            timeout=3600,
        )
        rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))  # noqa: SIM115
        lines = [
            f"## Mixed load: {args.users} users, {args.duration}, gunicorn 5 workers, PostgreSQL, "
            f"{ids['root_cells']:,} cells",
            "",
            "| page | method | requests | failures | req/s | p50 ms | p95 ms | p99 ms |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for row in rows:
            lines.append(
                f"| {row['Name']} | {row['Type']} | {row['Request Count']} | {row['Failure Count']} | "
                f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
            )

        member_cookie = login_cookie(stack.url, "dangvien")
        secretary_cookie = login_cookie(stack.url, "bithu")
        secs = args.throughput_seconds
        bare = wrk(f"{stack.url}/bench/bare/", member_cookie, secs)
        meeting = wrk(f"{stack.url}/buoi-sinh-hoat/{ids['meeting']}/", secretary_cookie, secs)
        run_page = wrk(
            f"{stack.url}/buoi-sinh-hoat/{ids['meeting']}/dien-bien/?buoc=attendance", secretary_cookie, secs
        )
        tasks = wrk(f"{stack.url}/viec-cua-toi/", member_cookie, secs)
        lines += [
            "",
            f"## Throughput against the bare Django view (wrk, 10 connections, {secs}s each, same stack)",
            "",
            "| page | req/s | p50 | p99 | non-2xx | ratio to bare |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for label, result in [
            ("bare Django view (limit)", bare),
            ("meeting page", meeting),
            ("meeting run page (attendance)", run_page),
            ("member's task page", tasks),
        ]:
            lines.append(
                f"| {label} | {result['rps']:.0f} | {result['p50']} | {result['p99']} | "
                f"{result['non2xx']} | {result['rps'] / bare['rps']:.2f} |"
            )
        report = "\n".join(lines) + "\n"
        (RESULTS / "load.md").write_text(report)
        print(report)
    finally:
        stack.stop()
        smtp.stop()


if __name__ == "__main__":
    main()
