"""`oncoroute worker`: run the background tasks of whichever backend is configured.

Database backend (the default): tasks that this worker held when it died are put back first,
then `db_worker` runs. On Redis (`REDIS_URL`): an RQ worker, and beside it a database worker for
the tasks queued while Redis was away (ops.tasks_rq). SIGTERM or SIGINT is passed on to the
worker processes, which finish the task in hand before they stop.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from types import FrameType

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

# A task still running after this long is taken to be abandoned, whoever held it.
ABANDONED_AFTER = timedelta(hours=int(os.environ.get("TASKS_ABANDONED_HOURS", "6")))


def worker_id() -> str:
    """Stable across restarts of the same worker: WORKER_ID, else the host's name."""
    return os.environ.get("WORKER_ID") or socket.gethostname()


def abandoned_tasks_requeue(*, worker: str, backend: str) -> int:
    """Put back the database tasks that `worker` was running when it died (or that anyone has
    been running for longer than ABANDONED_AFTER); returns how many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, backend_name=backend)
    stale = timezone.now() - ABANDONED_AFTER
    ids = [
        result.pk
        for result in running.only("pk", "worker_ids", "started_at")
        if (result.worker_ids and result.worker_ids[-1] == worker)
        or (result.started_at is not None and result.started_at < stale)
    ]
    if ids:
        DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY
        )
        logger.warning("put back %d task(s) that a stopped worker had started", len(ids))
    return len(ids)


def _on_rq() -> bool:
    return "rq" in settings.TASKS["default"]["BACKEND"].lower()


def worker_commands(worker: str) -> list[list[str]]:
    """The processes this worker runs."""
    me = [sys.executable, "-m", "oncoroute.cli"]
    if not _on_rq():
        return [[*me, "db_worker", "--worker-id", worker, "--backend", "default", "-v", "0"]]
    return [
        [
            *me, "rqworker", "default", "--name", worker,
            "--job-class", "django_tasks_rq.backend.Job", "--with-scheduler",
        ],
        [*me, "db_worker", "--worker-id", f"{worker}-db", "--backend", "database", "-v", "0"],
    ]  # fmt: skip


def worker_run() -> int:
    worker = worker_id()
    if _on_rq():
        abandoned_tasks_requeue(worker=f"{worker}-db", backend="database")
    else:
        abandoned_tasks_requeue(worker=worker, backend="default")
    # Our own interpreter and fixed arguments; the worker id comes from the environment.
    children = [subprocess.Popen(command) for command in worker_commands(worker)]  # noqa: S603
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        # One process ending ends the worker: the service manager restarts it whole.
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        if not stopping:
            stop(signal.SIGTERM, None)
        for child in children:
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
    return 0 if stopping else 1
