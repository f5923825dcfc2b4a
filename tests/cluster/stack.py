"""The browser journeys' stack on the running one-machine cluster (`make cluster`): nginx's
URL, manage.py with the cluster's environment, and clock travel by restarting the web nodes
and workers through deploy/cluster/cluster.sh. Used by tests/e2e/conftest.py when
E2E_CLUSTER=1 (tests/cluster/run_checks.py sets it)."""

import datetime
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLUSTER = ROOT / "deploy" / "cluster" / "cluster.sh"


def cluster(*args, env=None, timeout=900) -> str:
    result = subprocess.run(
        [str(CLUSTER), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode:
        raise RuntimeError(f"cluster.sh {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def cluster_env() -> dict:
    """The app environment of the cluster, as its web nodes and workers have it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "CHIBO_E2E"))}
    for line in cluster("env").splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    return env


@dataclass
class ClusterStack:
    smtp: object = None
    clock: datetime.datetime | None = None
    url: str = field(default_factory=lambda: f"http://127.0.0.1:{os.environ.get('NGINX_PORT', '8080')}")

    def env(self) -> dict:
        return cluster_env()

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
        # A fresh database with the demo data, as the e2e stack has (replica included).
        cluster("reset-db")
        cluster("apps-start")
        return self

    def travel(self, moment: datetime.datetime | None):
        """Restart the web nodes and workers with their wall clock at `moment` (ticking on),
        or on the real clock with None; database, media and queued mail stay."""
        self.clock = moment
        env = dict(os.environ)
        env.pop("CHIBO_E2E_CLOCK_OFFSET", None)
        if moment is not None:
            env["CHIBO_E2E_CLOCK_OFFSET"] = str(moment.timestamp() - time.time())
        cluster("apps-stop")
        cluster("apps-start", env=env)

    def stop(self, keep_logs_in: Path | None = None):
        if self.clock is not None:
            self.travel(None)
