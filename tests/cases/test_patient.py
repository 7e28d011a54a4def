from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from oncoroute.cases.models import Case
from oncoroute.cases.services import case_note_add, case_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient_client(client: Client, patient: Any, password: str) -> Client:
    client.login(username=patient.username, password=password)
    return client


def test_a_patient_sees_their_case_status_in_plain_words(
    patient_client: Client, patient_case: Case
) -> None:
    response = patient_client.get(reverse("patient_cases"), follow=True)
    page = response.content.decode()
    assert patient_case.reference in page
    assert "A coordinator will answer you soon." in page


def test_a_patient_can_never_open_another_patients_case(
    patient_client: Client, other_case: Case
) -> None:
    response = patient_client.get(reverse("patient_case", args=[other_case.reference]))
    assert response.status_code == 404


def test_the_patient_timeline_hides_internal_notes(
    patient_client: Client, patient_case: Case, coordinator: Any
) -> None:
    case_note_add(case=patient_case, actor=coordinator, text="Internal: family is anxious")
    case_transition(case=patient_case, actor=coordinator, to="in_review")
    page = patient_client.get(reverse("patient_case", args=[patient_case.reference])).content
    assert b"family is anxious" not in page
    assert b"In review" in page


def test_a_patient_never_sees_the_coordinator_urgency_label(
    patient_client: Client, patient: Any
) -> None:
    from tests.factories import confirmed_case

    case = confirmed_case(patient, symptoms=["limb_weakness"], address="x")
    page = patient_client.get(reverse("patient_case", args=[case.reference])).content.decode()
    assert "Emergency: possible cord compression" not in page
    assert "local emergency department today" in page


def test_the_set_password_link_from_the_acknowledgement_works(client: Client) -> None:
    from django.core import mail

    from oncoroute.cases.tasks import case_request_emails_send
    from tests.factories import submitted_case

    case = submitted_case(email="newcomer@example.com")
    case_request_emails_send.call(case_id=case.pk)
    link = next(line for line in mail.outbox[1].body.splitlines() if "set-password" in line)
    path = link.split("127.0.0.1:8000")[-1].strip()
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-fresh-password-91", "new_password2": "a-fresh-password-91"},
    )
    assert response.status_code == 302
    assert client.login(username="newcomer@example.com", password="a-fresh-password-91")
