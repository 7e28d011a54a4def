"""The request form behind a proxy, under its rate limit, and with addresses that belong to
someone else: nothing a patient sends is lost, and nobody writes into another person's account."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from oncoroute.cases.models import Case, CaseEvent
from oncoroute.cases.tasks import case_request_emails_send
from tests.cases.test_request_form import form_data

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
VALID_ODD_ADDRESSES = [
    "o'neil@example.com",
    "bill&ann@example.com",
    '"a\\"b"@example.com',
    "x@[127.0.0.1]",
    "=?utf-8?q?x?=@example.com",
    "a" * 64 + "@" + "b" * 60 + "." + "c" * 60 + ".example.com",
]


def behind_proxy(client: Client, address: str, **fields: Any) -> Any:
    return client.post(
        "/", form_data(**fields), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address, follow=True
    )


def test_clients_behind_one_proxy_are_limited_each_on_their_own(settings: Any) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.REQUEST_RATE_LIMIT_PER_HOUR = 5
    for n in range(7):
        response = behind_proxy(Client(), f"198.51.100.{n + 1}")
        assert response.status_code == 200
    assert Case.objects.count() == 7


def test_one_client_behind_the_proxy_is_still_limited(settings: Any) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.REQUEST_RATE_LIMIT_PER_HOUR = 2
    answers = [behind_proxy(Client(), "198.51.100.7").status_code for _ in range(3)]
    assert answers == [200, 200, 422]
    assert Case.objects.count() == 2


def test_a_forwarded_header_shorter_than_the_proxy_chain_counts_the_connection(
    client: Client, settings: Any
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = behind_proxy(client, "198.51.100.7")
    assert response.status_code == 200
    assert Case.objects.count() == 1


def test_warning_signs_are_never_refused_by_the_rate_limit(client: Client, settings: Any) -> None:
    settings.REQUEST_RATE_LIMIT_PER_HOUR = 1
    client.post("/", form_data())
    response = client.post("/", form_data(warning_signs=["limb_weakness"]), follow=True)
    urgent = Case.objects.get(urgency="emergency_mscc")
    assert "Please seek emergency medical care today" in response.content.decode()
    assert urgent.reference in response.content.decode()
    held = CaseEvent.objects.get(case=urgent, kind=CaseEvent.Kind.OVER_RATE_LIMIT)
    assert held.visible_to_patient is False
    sent = case_request_emails_send.call(case_id=urgent.pk)
    assert sent == 2
    assert mail.outbox[0].subject.startswith("URGENT")


@pytest.mark.parametrize("email", VALID_ODD_ADDRESSES)
def test_every_valid_address_makes_a_request(client: Client, email: str) -> None:
    response = client.post("/", form_data(email=email))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.patient is not None
    assert case.patient.email == email.lower()
    case_request_emails_send.call(case_id=case.pk)
    assert mail.outbox[1].to == [email]


def test_a_request_with_a_patients_address_waits_for_that_patient(
    client: Client, patient: Any, patient_case: Case
) -> None:
    client.post(
        "/",
        form_data(email=patient.email, full_name="Mallory Intruder", message="call me at once"),
    )
    foreign = Case.objects.exclude(pk=patient_case.pk).get()
    assert foreign.patient is None
    patient.refresh_from_db()
    assert patient.first_name != "Mallory"
    assert list(patient.cases.all()) == [patient_case]


def test_the_email_to_an_unconfirmed_address_carries_none_of_the_senders_text(
    client: Client, patient: Any
) -> None:
    client.post("/", form_data(email=patient.email, full_name="Mallory <b>Intruder</b>"))
    case_request_emails_send.call(case_id=Case.objects.get(patient=None).pk)
    acknowledgement = mail.outbox[1]
    assert acknowledgement.to == [patient.email]
    assert "Mallory" not in acknowledgement.body
    assert "Intruder" not in acknowledgement.body


def _link_in_email(case: Case) -> str:
    case_request_emails_send.call(case_id=case.pk)
    match = re.search(r"https?://\S+/add-to-account/\S+", mail.outbox[-1].body)
    assert match is not None, mail.outbox[-1].body
    return match.group(0).split("://", 1)[1].split("/", 1)[1]


def test_the_owner_of_the_address_adds_the_request_to_their_account(
    client: Client, patient: Any, patient_case: Case
) -> None:
    client.post("/", form_data(email=patient.email))
    case = Case.objects.get(patient=None)
    path = "/" + _link_in_email(case)
    looked_at = Client().get(path)
    assert looked_at.status_code == 200
    case.refresh_from_db()
    assert case.patient is None, "opening the link alone (a mail scanner) changes nothing"
    assert Client().post(path).status_code == 200
    case.refresh_from_db()
    assert case.patient == patient
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.LINKED).exists()
    assert Client().post(path).status_code == 400, "the link works once"


def test_a_forged_link_adds_nothing(client: Client, patient: Any) -> None:
    client.post("/", form_data(email=patient.email))
    case = Case.objects.get(patient=None)
    url = reverse("request_link", args=[case.reference, "MQ:1tQ9aa:forged"])
    assert client.post(url).status_code == 400
    case.refresh_from_db()
    assert case.patient is None


def test_a_request_is_never_added_to_a_staff_account(
    client: Client, clinic_doctor: Any, coordinator: Any
) -> None:
    for staff in (clinic_doctor, coordinator):
        client.post("/", form_data(email=staff.email))
    for case in Case.objects.all():
        assert case.patient is None
        case_request_emails_send.call(case_id=case.pk)
        assert "add-to-account" not in mail.outbox[-1].body
    assert not clinic_doctor.cases.exists()
    assert not coordinator.cases.exists()


def test_a_resent_form_shows_its_case_only_to_the_browser_that_sent_it(
    client: Client, settings: Any
) -> None:
    data = form_data(warning_signs=["limb_weakness"])
    client.post("/", data)
    case = Case.objects.get()
    stranger = Client()
    page = stranger.post("/", data, follow=True).content.decode()
    assert case.reference not in page
    assert case.email not in page
    assert "Please seek emergency medical care today" not in page
    assert Case.objects.count() == 1
