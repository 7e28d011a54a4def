"""A task run again after its worker died does its work once: each email and each event once,
a de-identification published once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail

from oncoroute.cases import tasks as case_tasks
from oncoroute.cases.models import CaseEvent
from oncoroute.ops import steps
from oncoroute.ops.models import TaskStep
from oncoroute.records.models import Study
from oncoroute.records.tasks import study_deidentify
from tests.records.helpers import upload_bytes
from tests.records.studies import study_zip

pytestmark = pytest.mark.django_db


class WorkerDied(BaseException):
    """What a killed worker looks like from inside the task: it stops where it is."""


@pytest.fixture
def in_worker() -> Iterator[None]:
    """As the worker runs it: the task result's id is known while the task runs, and the same
    id comes back when the task is run again."""
    steps._started(None, SimpleNamespace(id="result-1"))
    yield
    steps._finished(None, None)


def test_a_request_email_task_killed_after_the_first_email_sends_the_rest_once(
    patient_case: Any, in_worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_send_mail = case_tasks.send_mail

    def dies_on_the_sender(**kwargs: Any) -> int:
        if kwargs["recipient_list"] == [patient_case.email]:
            raise WorkerDied
        return real_send_mail(**kwargs)

    monkeypatch.setattr(case_tasks, "send_mail", dies_on_the_sender)
    with pytest.raises(WorkerDied):
        case_tasks.case_request_emails_send.call(case_id=patient_case.pk)
    assert len(mail.outbox) == 1

    monkeypatch.setattr(case_tasks, "send_mail", real_send_mail)
    case_tasks.case_request_emails_send.call(case_id=patient_case.pk)
    case_tasks.case_request_emails_send.call(case_id=patient_case.pk)

    recipients = [message.to for message in mail.outbox]
    assert recipients.count([patient_case.email]) == 1
    assert len(recipients) == 2
    sent_events = CaseEvent.objects.filter(case=patient_case, kind=CaseEvent.Kind.EMAILS_SENT)
    assert sent_events.count() == 1


def test_outside_a_worker_each_call_does_its_work(patient_case: Any) -> None:
    case_tasks.case_request_emails_send.call(case_id=patient_case.pk)
    case_tasks.case_request_emails_send.call(case_id=patient_case.pk)
    assert len(mail.outbox) == 4
    assert not TaskStep.objects.exists()


def test_old_steps_are_forgotten(patient_case: Any, in_worker: None) -> None:
    case_tasks.case_request_emails_send.call(case_id=patient_case.pk)
    assert TaskStep.objects.count() == 3
    TaskStep.objects.update(
        done_at=TaskStep.objects.get(key="result-1:event").done_at.replace(year=2000)
    )
    assert steps.task_steps_prune() == 3


def test_a_deidentification_left_running_by_a_dead_worker_is_done_once(
    patient: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RECORDS_DEID_JOBS = 1
    archive, _ = study_zip(tmp_path, n_slices=3)
    upload_bytes(
        case=patient.cases.get(), actor=patient, data=archive.read_bytes(), filename="cd.zip"
    )
    study = Study.objects.get()
    # The worker took the run and died before publishing it.
    Study.objects.filter(pk=study.pk).update(deid_state=Study.Deid.RUNNING, deid_done=1)

    assert study_deidentify.call(study_id=study.pk) == "done"
    assert study_deidentify.call(study_id=study.pk) == "not queued"
    study.refresh_from_db()
    assert study.deid_state == Study.Deid.DONE
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.STUDY_DEIDENTIFIED).count() == 1
