from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oncoroute.cases.models import Case
from tests.factories import submitted_case
from tests.query_count import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client: Client, coordinator: Any, password: str) -> Client:
    client.login(username=coordinator.username, password=password)
    return client


def aged(case: Case, hours: int) -> Case:
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    return case


def queue_references(client: Client, **params: str) -> list[str]:
    page = client.get(reverse("coordinator_queue"), params).context["page"]
    return [case.reference for case in page]


def test_the_queue_lists_urgent_first_then_oldest(coordinator_client: Client) -> None:
    old_routine = aged(submitted_case(address="a1"), 50)
    new_routine = aged(submitted_case(address="a2"), 1)
    pain = aged(submitted_case(address="a3", symptoms=["nocturnal_pain"]), 2)
    emergency = aged(submitted_case(address="a4", symptoms=["limb_weakness"]), 0)
    assert queue_references(coordinator_client) == [
        emergency.reference,
        pain.reference,
        old_routine.reference,
        new_routine.reference,
    ]


def test_the_queue_filters_and_searches(coordinator_client: Client) -> None:
    breast = submitted_case(address="b1", primary_cancer="breast", country="KZ")
    lung = submitted_case(
        address="b2", primary_cancer="lung", country="GE", full_name="Nino Beridze"
    )
    assert queue_references(coordinator_client, primary_cancer="lung") == [lung.reference]
    assert queue_references(coordinator_client, country="KZ") == [breast.reference]
    search = reverse("coordinator_queue_search")
    coordinator_client.post(search, {"q": "beridze"})
    assert queue_references(coordinator_client) == [lung.reference]
    coordinator_client.post(search, {"q": breast.reference})
    assert queue_references(coordinator_client) == [breast.reference]
    coordinator_client.post(search, {"q": ""})
    assert len(queue_references(coordinator_client)) == 2


def test_a_name_searched_for_reaches_no_url(coordinator_client: Client) -> None:
    submitted_case(address="c1", full_name="Nino Beridze", country="GE")
    submitted_case(address="c2", full_name="Anna Petrova", country="GE")
    filters = "country=GE&state="
    response = coordinator_client.post(
        reverse("coordinator_queue_search"), {"q": "Beridze", "filters": filters}
    )
    assert response.status_code == 302
    assert "Beridze" not in response["Location"]
    assert "country=GE" in response["Location"]
    assert len(queue_references(coordinator_client, country="GE")) == 1
    assert len(queue_references(coordinator_client, q="Petrova")) == 1, "a query string is not read"


def test_the_queue_shows_how_long_each_case_has_waited(coordinator_client: Client) -> None:
    aged(submitted_case(), 30)
    page = coordinator_client.get(reverse("coordinator_queue")).content.decode()
    assert "1 d 6 h — overdue" in page


def test_the_queue_is_paginated(coordinator_client: Client) -> None:
    for n in range(30):
        submitted_case(address=f"p{n}")
    first = coordinator_client.get(reverse("coordinator_queue")).context["page"]
    second = coordinator_client.get(reverse("coordinator_queue"), {"page": 2}).context["page"]
    assert (len(first), len(second), first.paginator.num_pages) == (25, 5, 2)


def test_the_queue_makes_the_same_number_of_queries_for_more_cases(
    coordinator_client: Client, coordinator: Any
) -> None:
    def queries() -> int:
        with count_queries() as counter:
            coordinator_client.get(reverse("coordinator_queue"))
        return counter.count

    case = submitted_case(address="q0")
    Case.objects.filter(pk=case.pk).update(assigned_to=coordinator)
    few = queries()
    assert few > 0
    for n in range(1, 20):
        case = submitted_case(address=f"q{n}")
        Case.objects.filter(pk=case.pk).update(assigned_to=coordinator)
    assert queries() == few


def test_an_htmx_request_gets_only_the_table(coordinator_client: Client) -> None:
    response = coordinator_client.get(reverse("coordinator_queue"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="queue-table">')
    assert "<html" not in page


def test_the_case_page_shows_the_request_and_its_timeline(
    coordinator_client: Client, patient_case: Case
) -> None:
    page = coordinator_client.get(
        reverse("coordinator_case", args=[patient_case.reference])
    ).content.decode()
    assert patient_case.full_name in page
    assert "Request received" in page
    assert "Start review" in page


def test_assign_note_and_move_from_the_case_page(
    coordinator_client: Client, coordinator: Any, patient_case: Case
) -> None:
    ref = patient_case.reference
    coordinator_client.post(reverse("coordinator_case_assign", args=[ref]))
    coordinator_client.post(reverse("coordinator_case_note", args=[ref]), {"text": "Asked for MRI"})
    coordinator_client.post(reverse("coordinator_case_transition", args=[ref]), {"to": "in_review"})
    patient_case.refresh_from_db()
    assert patient_case.assigned_to == coordinator
    assert patient_case.state == "in_review"
    assert list(patient_case.events.values_list("kind", flat=True)) == [
        "submitted",
        "assigned",
        "note",
        "transition",
    ]


def test_a_forbidden_move_from_the_page_changes_nothing(
    coordinator_client: Client, patient_case: Case
) -> None:
    url = reverse("coordinator_case_transition", args=[patient_case.reference])
    response = coordinator_client.post(url, {"to": "closed"}, follow=True)
    patient_case.refresh_from_db()
    assert patient_case.state == "new"
    assert "cannot move" in response.content.decode()


@pytest.mark.parametrize("name", ["coordinator_queue"])
def test_a_patient_cannot_open_the_workspace(
    client: Client, patient: Any, password: str, name: str
) -> None:
    client.login(username=patient.username, password=password)
    assert client.get(reverse(name)).status_code == 403


def test_a_clinic_doctor_cannot_open_a_case_page(
    client: Client, clinic_doctor: Any, password: str, patient_case: Case
) -> None:
    client.login(username=clinic_doctor.username, password=password)
    response = client.get(reverse("coordinator_case", args=[patient_case.reference]))
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, patient_case: Case) -> None:
    response = client.get(reverse("coordinator_case", args=[patient_case.reference]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
