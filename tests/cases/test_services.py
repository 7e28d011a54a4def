from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from oncoroute.cases.models import Case, CaseEvent, Consent
from oncoroute.cases.services import RequestRateLimited, case_submit
from oncoroute.cases.tasks import case_request_emails_send
from oncoroute.cases.vocabulary import CONSENT_TEXT_VERSION, Urgency
from tests.factories import CaseRequestFactory, submitted_case

pytestmark = pytest.mark.django_db


def test_a_request_becomes_a_new_case_with_a_readable_reference() -> None:
    case = submitted_case()
    assert case.state == "new"
    assert case.reference == f"OR-{case.created_at:%Y}-{case.pk:06d}"


def test_submitting_writes_one_timeline_event() -> None:
    case = submitted_case()
    assert list(case.events.values_list("kind", flat=True)) == [CaseEvent.Kind.SUBMITTED]


def test_consent_is_stored_with_its_version_and_time() -> None:
    case = submitted_case()
    consent = Consent.objects.get(case=case)
    assert consent.text_version == CONSENT_TEXT_VERSION
    assert consent.given_at == case.created_at
    assert len(consent.text_sha256) == 64


def test_the_same_form_sent_twice_creates_one_case() -> None:
    request = CaseRequestFactory()
    first, created_first = case_submit(request=request, source_address="192.0.2.1")
    second, created_second = case_submit(request=request, source_address="192.0.2.1")
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("symptoms", "urgency"),
    [
        (["limb_weakness"], Urgency.EMERGENCY),
        (["nocturnal_pain", "bladder_bowel_dysfunction"], Urgency.EMERGENCY),
        (["progressive_lumbar_pain"], Urgency.URGENT),
        (["fatigue"], Urgency.ROUTINE),
        ([], Urgency.ROUTINE),
    ],
)
def test_warning_signs_set_the_intake_urgency(symptoms: list[str], urgency: str) -> None:
    assert submitted_case(symptoms=symptoms).urgency == urgency


def test_an_address_that_sends_too_many_requests_is_refused(settings: Any) -> None:
    settings.REQUEST_RATE_LIMIT_PER_HOUR = 2
    submitted_case(address="192.0.2.50")
    submitted_case(address="192.0.2.50")
    with pytest.raises(RequestRateLimited):
        submitted_case(address="192.0.2.50")
    submitted_case(address="192.0.2.51")
    assert Case.objects.count() == 3


def test_a_request_with_an_email_gets_a_patient_account_without_a_password() -> None:
    case = submitted_case(email="Someone@Example.com")
    assert case.patient is not None
    assert case.patient.email == "someone@example.com"
    assert not case.patient.has_usable_password()


def test_the_emails_task_tells_coordinators_and_acknowledges_the_sender() -> None:
    case = submitted_case(email="anna@example.com")
    sent = case_request_emails_send.call(case_id=case.pk)
    assert sent == 2
    to_coordinators, acknowledgement = mail.outbox
    assert case.reference in to_coordinators.subject
    assert case.full_name not in to_coordinators.body  # no health data by email
    assert acknowledgement.to == ["anna@example.com"]
    assert "/accounts/set-password/" in acknowledgement.body
    assert case.events.filter(kind=CaseEvent.Kind.EMAILS_SENT).exists()


def test_the_acknowledgement_puts_emergency_advice_first() -> None:
    case = submitted_case(symptoms=["gait_disturbance"])
    case_request_emails_send.call(case_id=case.pk)
    acknowledgement = mail.outbox[1]
    assert acknowledgement.subject.startswith("Please seek emergency care today")
    assert acknowledgement.body.startswith("IMPORTANT")
    assert "emergency department" in acknowledgement.body.split("Dear")[0]
    assert mail.outbox[0].subject.startswith("URGENT")


@pytest.mark.django_db(transaction=True)
def test_the_emails_are_sent_by_the_database_task_worker() -> None:
    from django.core.management import call_command

    submitted_case(email="worker@example.com")
    assert not mail.outbox  # nothing is sent inside the request
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.to for m in mail.outbox][-1] == ["worker@example.com"]
