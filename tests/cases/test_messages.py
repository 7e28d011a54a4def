"""The thread between the family and the coordinators: sending, limits, unread counts both
sides, the queue filter, who may reach it, and emails that never carry the text."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from oncoroute.cases.models import Case, CaseEvent, Message
from oncoroute.cases.selectors import messages_unread
from oncoroute.cases.services import MessageRefused, message_send

pytestmark = pytest.mark.django_db

SECRET = "Leg weakness since Tuesday, the MRI shows T7"


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def patient_client(client: Client, patient: Any, password: str) -> Client:
    client.login(username=patient.username, password=password)
    return client


@pytest.fixture
def coordinator_client(client: Client, coordinator: Any, password: str) -> Client:
    client.login(username=coordinator.username, password=password)
    return client


def send(case: Case, author: Any, side: str, body: str, capture: Any) -> Message:
    with capture(execute=True):
        return message_send(case=case, author=author, side=side, body=body)


def test_a_patient_writes_and_the_coordinator_reads_it_on_the_case_page(
    patient_client: Client,
    patient_case: Case,
    coordinator: Any,
    password: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = reverse("patient_case_message", args=[patient_case.reference])
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(url, {"body": f"  {SECRET}  "})
    assert response.status_code == 302
    message = patient_case.messages.get()
    assert message.body == SECRET and message.side == Message.Side.PATIENT
    assert message.read_by_patient_at is not None and message.read_by_coordinators_at is None
    event = patient_case.events.get(kind=CaseEvent.Kind.MESSAGE)
    assert event.visible_to_patient and event.data == {"side": "patient"}
    # Sealed at rest: the stored column does not hold the text.
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM cases_message WHERE id = %s", [message.pk])
        assert "Leg weakness" not in cursor.fetchone()[0]

    patient_client.logout()
    patient_client.login(username=coordinator.username, password=password)
    page = patient_client.get(reverse("coordinator_case", args=[patient_case.reference]))
    assert SECRET in page.content.decode()
    assert page.context["thread_unread"] == 1
    message.refresh_from_db()
    assert message.read_by_coordinators_at is not None


def test_a_coordinator_answers_and_the_patient_sees_it_unread_then_read(
    coordinator_client: Client,
    patient: Any,
    patient_case: Case,
    password: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = reverse("coordinator_case_message", args=[patient_case.reference])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url, {"body": "We have your scans."})
    assert response.status_code == 302
    assert messages_unread(case=patient_case, side=Message.Side.PATIENT) == 1
    assert messages_unread(case=patient_case, side=Message.Side.COORDINATOR) == 0

    coordinator_client.logout()
    coordinator_client.login(username=patient.username, password=password)
    page = coordinator_client.get(reverse("patient_case", args=[patient_case.reference]))
    assert "We have your scans." in page.content.decode()
    assert page.context["thread_unread"] == 1
    assert messages_unread(case=patient_case, side=Message.Side.PATIENT) == 0


def test_an_empty_message_is_refused_and_nothing_is_written(
    patient_client: Client, patient_case: Case
) -> None:
    url = reverse("patient_case_message", args=[patient_case.reference])
    response = patient_client.post(url, {"body": "   "})
    assert response.status_code == 422
    assert "Please write your message before sending it." in response.content.decode()
    assert not patient_case.messages.exists()
    assert not patient_case.events.filter(kind=CaseEvent.Kind.MESSAGE).exists()


def test_a_message_over_the_limit_is_refused_and_kept_in_the_form(
    patient_client: Client, patient_case: Case, settings: Any
) -> None:
    settings.MESSAGE_MAX_LENGTH = 20
    url = reverse("patient_case_message", args=[patient_case.reference])
    response = patient_client.post(url, {"body": "x" * 21})
    assert response.status_code == 422
    page = response.content.decode()
    assert "at most 20 characters long; yours has 21" in page
    assert "x" * 21 in page
    assert not patient_case.messages.exists()
    with pytest.raises(MessageRefused):
        message_send(case=patient_case, author=None, side="coordinator", body="y" * 21)  # type: ignore[arg-type]


def test_the_russian_page_refuses_in_russian(patient_client: Client, patient_case: Case) -> None:
    url = reverse("patient_case_message", args=[patient_case.reference])
    response = patient_client.post(url, {"body": ""}, headers={"accept-language": "ru"})
    assert "Пожалуйста, напишите сообщение" in response.content.decode()


def test_another_patient_gets_a_404_and_clinic_doctors_a_403(
    client: Client,
    patient_case: Case,
    other_patient: Any,
    clinic_doctor: Any,
    password: str,
) -> None:
    client.login(username=other_patient.username, password=password)
    url = reverse("patient_case_message", args=[patient_case.reference])
    assert client.post(url, {"body": "hello"}).status_code == 404
    client.logout()
    client.login(username=clinic_doctor.username, password=password)
    assert client.post(url, {"body": "hello"}).status_code == 403
    coordinator_url = reverse("coordinator_case_message", args=[patient_case.reference])
    assert client.post(coordinator_url, {"body": "hello"}).status_code == 403
    assert not patient_case.messages.exists()


def test_the_queue_filters_cases_with_unread_family_messages(
    coordinator_client: Client,
    patient: Any,
    patient_case: Case,
    other_case: Case,
    coordinator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    send(patient_case, patient, "patient", "A question", django_capture_on_commit_callbacks)
    send(other_case, coordinator, "coordinator", "An answer", django_capture_on_commit_callbacks)
    page = coordinator_client.get(reverse("coordinator_queue"), {"unread_messages": "on"})
    listed = list(page.context["page"])
    assert [case.reference for case in listed] == [patient_case.reference]
    assert listed[0].unread_messages == 1
    assert "1 unread message" in page.content.decode()
    everything = coordinator_client.get(reverse("coordinator_queue")).context["page"]
    assert {case.reference for case in everything} >= {
        patient_case.reference,
        other_case.reference,
    }


def test_the_emails_say_only_that_there_is_a_message(
    patient: Any,
    patient_case: Case,
    coordinator: Any,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    mail.outbox.clear()
    send(patient_case, patient, "patient", SECRET, django_capture_on_commit_callbacks)
    (to_coordinators,) = mail.outbox
    assert to_coordinators.to == settings.COORDINATOR_EMAILS
    assert patient_case.reference in to_coordinators.subject
    assert f"/coordinator/cases/{patient_case.reference}/#messages" in to_coordinators.body
    assert "Leg weakness" not in to_coordinators.subject + to_coordinators.body
    assert patient_case.full_name not in to_coordinators.body


def test_the_patient_hears_of_a_coordinators_message_in_the_case_language_without_the_text(
    patient: Any,
    coordinator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from oncoroute.cases.tasks import patient_notices_send
    from tests.factories import confirmed_case

    case = confirmed_case(patient, language="ru", address="z")
    mail.outbox.clear()
    send(case, coordinator, "coordinator", SECRET, django_capture_on_commit_callbacks)
    assert [email for email in mail.outbox if email.to == [case.email]] == []  # batched
    case.notices.update(created_at=timezone.now() - timedelta(minutes=2))
    assert patient_notices_send.call(case_id=case.pk) == 1
    (email,) = [email for email in mail.outbox if email.to == [case.email]]
    assert "Вам пришло сообщение от координатора." in email.body
    assert "Leg weakness" not in email.subject + email.body
    assert f"/my/cases/{case.reference}/" in email.body
