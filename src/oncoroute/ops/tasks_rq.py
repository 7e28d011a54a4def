"""The tasks backend on Redis (django-tasks-rq), with retries and a way round a Redis outage.

Each job carries RQ retries, so a job whose worker died (RQ finds it abandoned) or that failed
runs again; its side effects are steps done once (ops.steps). While Redis cannot be reached, a
task is enqueued on the database backend instead, which `oncoroute worker` runs beside RQ: a
request that queues an email is accepted and the email goes out all the same.
"""

from __future__ import annotations

import logging
from typing import Any

import django_rq
from django.conf import settings
from django_tasks import task_backends
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq.backend import Job, RQBackend, failed_callback, success_callback
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq.job import Callback, JobStatus, Retry  # type: ignore[attr-defined]

logger = logging.getLogger(__name__)

FALLBACK_BACKEND = "database"


class RetryingRQBackend(RQBackend):
    """django-tasks-rq's backend, each job retried `TASKS_RETRIES` times, and the database
    backend while Redis is away."""

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:  # type: ignore[type-arg]
        try:
            return self._enqueue_rq(task, args, kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            logger.warning(
                "Redis unreachable (%s): task %s queued in the database",
                type(error).__name__,
                task.name,
            )
            fallback = task_backends[FALLBACK_BACKEND]
            return fallback.enqueue(task.using(backend=FALLBACK_BACKEND), args, kwargs)

    def _enqueue_rq(self, task: Task, args: Any, kwargs: Any) -> TaskResult:  # type: ignore[type-arg]
        self.validate_task(task)
        task_result: TaskResult[Any] = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
            retry=Retry(max=settings.TASKS_RETRIES, interval=[10, 60, 300]),
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
        return task_result
