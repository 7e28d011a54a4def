"""`oncoroute worker` puts back what a dead database worker held, and runs the right workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from oncoroute.cases.tasks import case_request_emails_send
from oncoroute.ops.worker import abandoned_tasks_requeue, worker_commands

pytestmark = pytest.mark.django_db(transaction=True)


def _running(worker: str, *, started_ago: timedelta = timedelta(minutes=1)) -> DBTaskResult:
    case_request_emails_send.enqueue(case_id=1)
    result = DBTaskResult.objects.latest("enqueued_at")
    result.claim(worker)
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - started_ago)
    return result


def test_a_restarted_worker_puts_back_the_task_it_died_in() -> None:
    mine = _running("host-1")
    theirs = _running("host-2")
    assert abandoned_tasks_requeue(worker="host-1", backend="default") == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == TaskResultStatus.READY
    assert theirs.status == TaskResultStatus.RUNNING


def test_a_task_running_for_hours_is_put_back_whoever_held_it() -> None:
    old = _running("gone-host", started_ago=timedelta(hours=7))
    assert abandoned_tasks_requeue(worker="host-1", backend="default") == 1
    old.refresh_from_db()
    assert old.status == TaskResultStatus.READY


def test_the_database_backend_runs_one_db_worker(settings: Any) -> None:
    (command,) = worker_commands("host-1")
    assert command[-7:] == ["db_worker", "--worker-id", "host-1", "--backend", "default", "-v", "0"]


def test_on_redis_an_rq_worker_runs_beside_a_database_one(settings: Any) -> None:
    settings.TASKS = {
        **settings.TASKS,
        "default": {"BACKEND": "oncoroute.ops.tasks_rq.RetryingRQBackend"},
    }
    rq, db = worker_commands("host-1")
    assert "rqworker" in rq and "django_tasks_rq.backend.Job" in rq
    assert "db_worker" in db and "database" in db
    # A restart right after a kill -9 must not meet the dead worker's name.
    assert rq[rq.index("--name") + 1] == f"host-1.{os.getpid()}"


def test_a_worker_process_that_ends_is_started_again_until_the_worker_is_stopped(
    tmp_path: Path,
) -> None:
    runs = tmp_path / "runs"
    # A process that ends at once, as an RQ worker does when Redis goes away.
    command = [sys.executable, "-c", f"open({str(runs)!r}, 'a').write('x')"]
    script = (
        "import sys\nfrom oncoroute.ops import worker\nworker.RESTART_SECONDS = 0.2\n"
        f"sys.exit(worker._supervise([{command!r}]))"
    )
    supervisor = subprocess.Popen([sys.executable, "-c", script])  # noqa: S603 - our own
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(runs.read_text() if runs.exists() else "") < 3:
        time.sleep(0.1)
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(30) == 0
    assert len(runs.read_text()) >= 3
