"""Load test of the production shape: `oncoroute serve` and `oncoroute worker` on PostgreSQL and
Redis, 50 patients sending the request form and 10 coordinators paging the queue (locust,
headless), then the cases counted: none lost, none twice.

    .venv/bin/python bench/load_test.py [--seconds 120] [--workers 3] [--threads 4]

Loopback only. It uses its own database (oncoroute_load, dropped at the end) on the PostgreSQL
at PG_URL and Redis database 14 at REDIS_BASE, and stops by itself after --seconds.
"""

# Every process started here is our own interpreter with fixed arguments.
# ruff: noqa: S603

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_BASE = os.environ.get("REDIS_BASE", "redis://127.0.0.1:6379")
DB_NAME = "oncoroute_load"
PORT = int(os.environ.get("LOAD_PORT", "18765"))
PYTHON = sys.executable

SETUP = """
import json, django
django.setup()
from django.test import Client
from oncoroute.accounts.models import User
coordinator = User.objects.get(email="coordinator@oncoroute.example")
sessions = []
for _ in range(10):
    client = Client()
    client.force_login(coordinator)
    sessions.append(client.cookies["sessionid"].value)
print(json.dumps(sessions))
"""

COUNT = """
import json, sys, django
django.setup()
from django.db.models import Count
from oncoroute.cases.models import Case
accepted = set(json.load(open(sys.argv[1])))
load = Case.objects.filter(email__endswith="@load.test")
stored = [str(t) for t in load.values_list("submission_token", flat=True)]
twice = load.values("submission_token").annotate(n=Count("id")).filter(n__gt=1).count()
print(json.dumps({
    "accepted": len(accepted), "stored": len(stored), "lost": len(accepted - set(stored)),
    "stored_not_accepted": len(set(stored) - accepted), "duplicated": twice,
}))
"""


def _database(action: str) -> None:
    with psycopg.connect(PG_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if action == "create":
            connection.execute(f"CREATE DATABASE {DB_NAME}")


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _wait_ready(base: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not become ready")


def _stats(prefix: Path) -> list[dict[str, str]]:
    with (prefix.parent / f"{prefix.name}_stats.csv").open() as stats:
        return list(csv.DictReader(stats))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--coordinators", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per process")
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--pool", type=int, default=4, help="PostgreSQL pool per process")
    args = parser.parse_args()

    if not _port_free(PORT):
        raise SystemExit(f"127.0.0.1:{PORT} is taken: set LOAD_PORT")
    var = Path(tempfile.mkdtemp(prefix="oncoroute-load-"))
    env = {
        **os.environ,
        "ONCOROUTE_VAR_DIR": str(var),
        "DATABASE_URL": PG_URL.rsplit("/", 1)[0] + "/" + DB_NAME,
        "REDIS_URL": f"{REDIS_BASE}/14",
        "PORT": str(PORT),
        "DJANGO_SETTINGS_MODULE": "oncoroute.config.settings",
        # Each patient comes with its own address through one trusted proxy hop.
        "TRUSTED_PROXY_COUNT": "1",
        "REQUEST_RATE_LIMIT_PER_HOUR": "1000000",
        "DB_POOL_MAX_SIZE": str(args.pool),
        "WEB_CONCURRENCY": str(args.workers),
        "WEB_THREADS": str(args.threads),
        "WEB_WORKER_CLASS": args.worker_class,
        "LOG_LEVEL": "WARNING",
        "LOAD_PATIENTS": str(args.patients),
        "LOAD_COORDINATORS": str(args.coordinators),
    }
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    _database("create")
    processes: list[subprocess.Popen[bytes]] = []
    try:
        oncoroute = [PYTHON, "-m", "oncoroute.cli"]
        subprocess.run([*oncoroute, "migrate", "-v", "0"], env=env, check=True)
        subprocess.run([*oncoroute, "demo_data"], env=env, check=True, stdout=subprocess.DEVNULL)
        sessions = subprocess.run(
            [PYTHON, "-c", SETUP], env=env, check=True, capture_output=True, text=True
        ).stdout
        env["LOAD_SESSIONS"] = sessions.strip().splitlines()[-1]
        env["LOAD_TOKENS_OUT"] = str(var / "accepted.json")
        processes.append(subprocess.Popen([*oncoroute, "serve"], env=env))
        processes.append(subprocess.Popen([*oncoroute, "worker"], env=env))
        base = f"http://127.0.0.1:{PORT}"
        _wait_ready(base)
        prefix = var / "locust"
        users = args.patients + args.coordinators
        started = time.monotonic()
        subprocess.run(
            [
                PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                "--headless", "--host", base, "-u", str(users), "-r", str(users),
                "-t", f"{args.seconds}s", "--csv", str(prefix), "--only-summary",
                "--stop-timeout", "10", "--loglevel", "WARNING",
            ],
            env=env,
            check=False,
        )  # fmt: skip
        elapsed = time.monotonic() - started
        # The worker sends the emails of the last requests; then the cases are counted.
        queue = redis.Redis.from_url(env["REDIS_URL"])
        deadline = time.monotonic() + 120
        while queue.llen("rq:queue:default") and time.monotonic() < deadline:
            time.sleep(1)
        counts = json.loads(
            subprocess.run(
                [PYTHON, "-c", COUNT, env["LOAD_TOKENS_OUT"]],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        rows = _stats(prefix)
        static = next(r for r in rows if r["Name"] == "static")
        print(f"\n== {args.seconds} s, {args.patients} patients + {args.coordinators} coordinators,"
              f" gunicorn {args.worker_class} {args.workers}x{args.threads}")  # fmt: skip
        print(f"{'page':18} {'requests':>9} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6}"
              f" {'req/s':>7} {'p50/static':>10} {'p95/static':>10}")  # fmt: skip
        for row in rows:
            p50, p95, p99 = (float(row[k] or 0) for k in ("50%", "95%", "99%"))
            ratio50 = p50 / max(float(static["50%"] or 1), 1)
            ratio95 = p95 / max(float(static["95%"] or 1), 1)
            print(f"{row['Name']:18} {row['Request Count']:>9} {row['Failure Count']:>5}"
                  f" {p50:6.0f} {p95:6.0f} {p99:6.0f} {float(row['Requests/s']):7.1f}"
                  f" {ratio50:10.1f} {ratio95:10.1f}")  # fmt: skip
        print(f"cases: {json.dumps(counts)}; queue left: {queue.llen('rq:queue:default')}")
        print(f"submissions per second: {counts['accepted'] / args.seconds:.1f}"
              f" (over {elapsed:.0f} s of locust run)")  # fmt: skip
        ok = (
            counts["lost"] == 0
            and counts["duplicated"] == 0
            and counts["stored_not_accepted"] == 0
            and all(row["Failure Count"] == "0" for row in rows)
        )
        print("RESULT:", "no errors, none lost, none duplicated" if ok else "PROBLEMS (see above)")
        return 0 if ok else 1
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
        _database("drop")


if __name__ == "__main__":
    sys.exit(main())
