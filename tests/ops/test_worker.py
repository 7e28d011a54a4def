"""`oncoroute worker` puts back what a dead database worker held, and runs the right workers."""

from __future__ import annotations

from datetime import timedelta
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
