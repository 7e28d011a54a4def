"""Each priority has its own first-answer clock (possible cord compression in minutes, routine in
the day), a phone call noted by the coordinator is the first answer, and a case already referred
to local emergency care sits below every case still waiting for an answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oncoroute.cases.models import Case
from oncoroute.cases.services import case_transition
from tests.factories import submitted_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client: Client, coordinator: Any, password: str) -> Client:
    client.login(username=coordinator.username, password=password)
    return client


def _received(case: Case, ago: timedelta) -> Case:
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - ago)
    case.refresh_from_db()
    return case


def test_an_emergency_is_overdue_after_minutes_and_routine_after_a_day(
    coordinator_client: Client,
) -> None:
    emergency = _received(submitted_case(symptoms=["limb_weakness"]), timedelta(minutes=45))
    routine = _received(submitted_case(), timedelta(hours=2))
    assert emergency.first_answer_target == timedelta(minutes=30)
    assert emergency.first_answer_overdue
    assert not routine.first_answer_overdue
    html = coordinator_client.get(reverse("coordinator_queue")).content.decode()
    assert "overdue (target 30 min)" in html
    assert "22 h 0 min left" in html or "21 h 59 min left" in html


def test_a_noted_phone_call_is_the_first_answer(coordinator_client: Client) -> None:
    case = _received(submitted_case(symptoms=["limb_weakness"]), timedelta(minutes=10))
    coordinator_client.post(
        reverse("coordinator_case_note", args=[case.reference]),
        {"text": "Called the son: going to the emergency department now.", "phone_call": "on"},
    )
    case.refresh_from_db()
    assert case.first_response_at is not None
    assert not case.first_answer_overdue
    page = coordinator_client.get(reverse("coordinator_case", args=[case.reference]))
    assert "Phone call:" in page.content.decode()


def test_a_plain_note_is_not_an_answer(coordinator_client: Client) -> None:
    case = submitted_case()
    coordinator_client.post(
        reverse("coordinator_case_note", args=[case.reference]), {"text": "Scans asked for."}
    )
    case.refresh_from_db()
    assert case.first_response_at is None


def test_a_case_referred_to_local_care_sits_below_unanswered_ones(
    coordinator: Any, coordinator_client: Client
) -> None:
    emergency = submitted_case(symptoms=["limb_weakness"])
    case_transition(case=emergency, actor=coordinator, to="referred_local_care", confirmed=True)
    routine = submitted_case()
    page = coordinator_client.get(reverse("coordinator_queue")).context["page"]
    assert [case.reference for case in page] == [routine.reference, emergency.reference]
