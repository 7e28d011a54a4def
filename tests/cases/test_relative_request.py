"""A request written by a relative or a doctor names the patient (name, age, sex) and every page
says who the case is about; a second request from the same sender within 30 days is flagged as
a likely duplicate, and a coordinator can merge it into the first with nothing lost."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oncoroute.cases.models import Case, CaseEvent
from oncoroute.cases.services import MergeRefused, case_merge, case_note_add
from tests.cases.test_request_form import form_data
from tests.factories import submitted_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client: Client, coordinator: Any, password: str) -> Client:
    client.login(username=coordinator.username, password=password)
    return client


def test_a_relative_is_asked_for_the_patients_own_name_age_and_sex(client: Client) -> None:
    data = form_data(patient_name="", patient_age="", patient_sex="")
    page = client.post("/", data).content.decode()
    assert not Case.objects.exists()
    assert "Please give the patient&#x27;s own name." in page
    assert "Please give the patient&#x27;s age." in page
    assert "Please say whether the patient is female or male." in page


def test_the_patient_writing_for_themselves_gives_no_second_name(client: Client) -> None:
    client.post("/", form_data(writer_role="patient", patient_name="Someone Else"))
    case = Case.objects.get()
    assert case.patient_name == ""
    assert case.patient_full_name == "Aigerim Bekova"


def test_the_case_is_about_the_patient_and_says_who_wrote(
    client: Client, coordinator_client: Client
) -> None:
    client.post("/", form_data())
    case = Case.objects.get()
    assert (case.full_name, case.patient_name, case.patient_age, case.patient_sex) == (
        "Aigerim Bekova",
        "Saule Bekova",
        67,
        "F",
    )
    page = coordinator_client.get(reverse("coordinator_case", args=[case.reference]))
    html = page.content.decode()
    assert f"{case.reference} · Saule Bekova</h1>" in html
    assert "Written by Aigerim Bekova (A relative or friend of the patient)" in html
    assert "67 years old, female" in html
    queue = coordinator_client.get(reverse("coordinator_queue")).content.decode()
    assert "Saule Bekova" in queue


def test_a_second_request_from_the_same_email_is_flagged(coordinator_client: Client) -> None:
    first = submitted_case(email="same@example.com", phone="+905321110000")
    other = submitted_case(email="other@example.com", phone="+905329990000")
    second = submitted_case(email="same@example.com", phone="+905321112222")
    by_phone = submitted_case(email="third@example.com", phone="+905321110000")
    assert second.likely_duplicate_of == first
    assert by_phone.likely_duplicate_of == second or by_phone.likely_duplicate_of == first
    assert other.likely_duplicate_of is None
    assert second.events.filter(kind=CaseEvent.Kind.DUPLICATE_FLAGGED).exists()
    queue = coordinator_client.get(reverse("coordinator_queue")).content.decode()
    assert "likely duplicate" in queue


def test_a_request_more_than_30_days_later_is_not_flagged() -> None:
    first = submitted_case(email="same@example.com")
    Case.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert submitted_case(email="same@example.com").likely_duplicate_of is None


def test_merging_keeps_the_events_of_both(coordinator: Any, coordinator_client: Client) -> None:
    first = submitted_case(email="same@example.com")
    second = submitted_case(email="same@example.com")
    case_note_add(case=second, actor=coordinator, text="Called the daughter back")
    second_events = list(second.events.values_list("kind", flat=True))
    first_before = first.events.count()

    refused = coordinator_client.post(reverse("case_merge", args=[second.reference]))
    assert refused.status_code == 302
    second.refresh_from_db()
    assert second.merged_into is None  # no confirmation, no change

    response = coordinator_client.post(
        reverse("case_merge", args=[second.reference]), {"confirm": "yes"}
    )
    assert response["Location"] == reverse("coordinator_case", args=[first.reference])
    second.refresh_from_db()
    assert second.merged_into == first
    assert second.state == "closed"
    # The second keeps its own events, with the closing and the merge after them.
    assert list(second.events.values_list("kind", flat=True))[: len(second_events)] == (
        second_events
    )
    copies = first.events.filter(data__isnull=False).exclude(kind=CaseEvent.Kind.MERGED)
    assert first.events.count() == first_before + len(second_events) + 1
    notes = [e.data["text"] for e in copies if e.kind == CaseEvent.Kind.NOTE]
    assert notes == ["Called the daughter back"]
    assert all(e.data.get("from_case") == second.reference for e in copies[first_before:])
    assert first.events.filter(kind=CaseEvent.Kind.MERGED).count() == 1
    page = coordinator_client.get(reverse("coordinator_case", args=[second.reference]))
    assert "Merged into" in page.content.decode()


def test_cases_of_different_accounts_are_not_merged(
    coordinator: Any, patient_case: Case, other_case: Case
) -> None:
    assert patient_case.patient_id != other_case.patient_id
    with pytest.raises(MergeRefused):
        case_merge(case=other_case, into=patient_case, actor=coordinator)
    other_case.refresh_from_db()
    assert other_case.merged_into is None
