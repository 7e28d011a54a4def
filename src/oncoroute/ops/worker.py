"""`oncoroute worker`: run the background tasks of whichever backend is configured.

Database backend (the default): tasks that this worker held when it died are put back first,
then `db_worker` runs. On Redis (`REDIS_URL`): an RQ worker, and beside it a database worker for
the tasks queued while Redis was away (ops.tasks_rq). A worker process that ends is started
again. SIGTERM or SIGINT is passed on to the worker processes, which finish the task in hand
before they stop.
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

# A worker process that ended is started again after this pause.
RESTART_SECONDS = float(os.environ.get("WORKER_RESTART_SECONDS", "5"))
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
    # RQ refuses a name whose last holder has not been seen dead yet (a kill -9 leaves its
    # record for minutes); each start takes its own, and RQ finds the dead one's jobs.
    rq_name = f"{worker}.{os.getpid()}"
    return [
        [
            *me, "rqworker", "default", "--name", rq_name,
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
    return _supervise(worker_commands(worker))


def _supervise(commands: list[list[str]]) -> int:
    """Run each command, started again RESTART_SECONDS after it ends (an RQ worker ends when
    Redis goes away; the database worker beside it goes on with the tasks queued meanwhile),
    until SIGTERM or SIGINT, which is passed on."""
    # Our own interpreter and fixed arguments; the worker id comes from the environment.
    children = [subprocess.Popen(command) for command in commands]  # noqa: S603
    ended_at: dict[int, float] = {}
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
        while not stopping:
            for index, child in enumerate(children):
                if child.poll() is None:
                    continue
                ended = ended_at.setdefault(index, time.monotonic())
                if time.monotonic() - ended >= RESTART_SECONDS and not stopping:
                    logger.warning(
                        "%s ended (%s); starting it again", commands[index][-1], child.returncode
                    )
                    children[index] = subprocess.Popen(commands[index])  # noqa: S603
                    del ended_at[index]
            time.sleep(0.5)
    finally:
        stop(signal.SIGTERM, None)
        for child in children:
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
    return 0
