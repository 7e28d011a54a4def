"""Side effects of background tasks done once, even when a task runs again.

A worker can die after a task sent its first email and before it finished: the task is then
run again under the same task result id (`oncoroute worker` puts back what a dead database
worker held; RQ retries an abandoned job). Each side effect is a named step; the key of a step
is the task result's id and the step's name, and a step already done is skipped. The step is
marked done right after it succeeded, so the only window for a repeat is between the mail
server's answer and that one-row write. Called outside a worker (a test's `.call()`, the
command line), a step simply runs.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from datetime import timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.signals import task_finished, task_started

from oncoroute.ops.models import TaskStep

T = TypeVar("T")

# Keys outlive any retry by far; the scheduler forgets older ones (task_steps_prune).
STEP_KEEP = timedelta(days=30)

_running: ContextVar[str] = ContextVar("oncoroute_task_result_id", default="")


def _started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _running.set(str(task_result.id))


def _finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _running.set("")


def connect() -> None:
    task_started.connect(_started, dispatch_uid="oncoroute.ops.steps.started")
    task_finished.connect(_finished, dispatch_uid="oncoroute.ops.steps.finished")


def task_step(step: str, action: Callable[[], T], skipped: T) -> T:
    """Run `action` unless the running task already did the step `step`; `skipped` otherwise."""
    run = _running.get()
    if not run:
        return action()
    key = f"{run}:{step}"[:200]
    if TaskStep.objects.filter(key=key).exists():
        return skipped
    result = action()
    try:
        with transaction.atomic():
            TaskStep.objects.create(key=key)
    except IntegrityError:
        pass
    return result


def task_steps_prune() -> int:
    """Forget the steps older than STEP_KEEP; returns how many."""
    deleted, _ = TaskStep.objects.filter(done_at__lt=timezone.now() - STEP_KEEP).delete()
    return deleted
