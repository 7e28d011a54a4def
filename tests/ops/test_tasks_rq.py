"""Tasks on Redis (RQ) when REDIS_URL is set: retried, and queued in the database while Redis is
away. Uses the machine's Redis (database 15, emptied before and after)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.core import mail
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult
from rq import SimpleWorker

from oncoroute.cases.tasks import case_request_emails_send

pytestmark = pytest.mark.django_db

REDIS_TEST_URL = "redis://127.0.0.1:6379/15?socket_connect_timeout=2&socket_timeout=5"
BACKEND = "oncoroute.ops.tasks_rq.RetryingRQBackend"


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_TEST_URL).ping())
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture
def on_rq(settings: Any) -> Iterator[redis.Redis]:
    if not _redis_answers():
        pytest.skip("no Redis at 127.0.0.1:6379")
    connection = redis.Redis.from_url(REDIS_TEST_URL)
    connection.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": REDIS_TEST_URL}}
    settings.TASKS = {**settings.TASKS, "default": {"BACKEND": BACKEND}}
    yield connection
    connection.flushdb()


def test_a_task_goes_through_redis_and_runs_once(on_rq: redis.Redis, patient_case: Any) -> None:
    import django_rq
    from django_tasks_rq.backend import Job

    result = case_request_emails_send.enqueue(case_id=patient_case.pk)
    assert not DBTaskResult.objects.exists()
    job = Job.fetch(result.id, connection=on_rq)
    assert job.retries_left == 3

    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=on_rq, job_class=Job).work(burst=True)
    assert len(mail.outbox) == 2
    assert task_backends["default"].get_result(result.id).status == "SUCCESSFUL"


def test_with_redis_away_the_task_is_queued_in_the_database(
    settings: Any, patient_case: Any
) -> None:
    settings.RQ_QUEUES = {
        "default": {"URL": "redis://127.0.0.1:1/0?socket_connect_timeout=1&socket_timeout=1"}
    }
    settings.TASKS = {**settings.TASKS, "default": {"BACKEND": BACKEND}}
    case_request_emails_send.enqueue(case_id=patient_case.pk)
    queued = DBTaskResult.objects.get()
    assert queued.backend_name == "database"
    assert queued.task_path == "oncoroute.cases.tasks.case_request_emails_send"
