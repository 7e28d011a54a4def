"""The safety gate: a case with cord-compression warning signs never moves into trip planning,
travel or treatment abroad until a clinician records a local assessment; and the workflow's
other requirements refuse with a reason."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from oncoroute.cases.models import Case, CaseEvent, Message
from oncoroute.cases.services import (
    MessageRefused,
    case_plan_accepted,
    case_transition,
    message_send,
    message_warning_flag,
    travel_clearance_record,
)
from oncoroute.cases.workflow import TRANSITIONS, CaseState, TransitionNotAllowed
from oncoroute.triage.services import case_triage_record
from tests.factories import submitted_case

pytestmark = pytest.mark.django_db

INTO_TRAVEL = [
    (old, new, rule)
    for (old, new), rule in TRANSITIONS.items()
    if new in (CaseState.PLANNING_TRIP, CaseState.IN_TREATMENT)
]


def at(case: Case, state: str) -> Case:
    Case.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    return case


def move(case: Case, new: str, rule: Any, actor: Any) -> Case:
    if rule.by_acceptance:
        return case_plan_accepted(case=case, actor=actor)
    return case_transition(case=case, actor=actor, to=new, confirmed=True)


def clear(case: Case, coordinator: Any) -> None:
    travel_clearance_record(
        case=case,
        actor=coordinator,
        assessed_by="Dr A. Sadykova, neurologist, City Hospital 7",
        assessed_on=date.today(),
        findings="MRI: no cord compression; neurology normal; fit to fly.",
    )


def test_every_path_into_travel_is_listed() -> None:
    assert {new for _, new, _ in INTO_TRAVEL} == {CaseState.PLANNING_TRIP, CaseState.IN_TREATMENT}


@pytest.mark.parametrize(("old", "new", "rule"), INTO_TRAVEL)
def test_new_leg_weakness_blocks_every_path_into_travel(
    coordinator: Any, old: str, new: str, rule: Any
) -> None:
    case = at(submitted_case(symptoms=["limb_weakness"]), old)
    with pytest.raises(TransitionNotAllowed, match="Cord-compression"):
        move(case, new, rule, coordinator)
    assert Case.objects.get(pk=case.pk).state == old


@pytest.mark.parametrize(("old", "new", "rule"), INTO_TRAVEL)
def test_a_recorded_local_assessment_opens_the_path(
    coordinator: Any, old: str, new: str, rule: Any
) -> None:
    case = at(submitted_case(symptoms=["limb_weakness"]), old)
    clear(case, coordinator)
    assert move(case, new, rule, coordinator).state == new
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRAVEL_CLEARED).exists()


def test_a_triage_showing_signs_after_the_clearance_closes_the_gate_again(
    coordinator: Any,
) -> None:
    case = at(submitted_case(symptoms=["limb_weakness"]), CaseState.PLANNING_TRIP)
    clear(case, coordinator)
    case_triage_record(case=case, actor=coordinator, findings={"red_flags": ["sensory_loss"]})
    with pytest.raises(TransitionNotAllowed, match="Cord-compression"):
        case_transition(case=case, actor=coordinator, to=CaseState.IN_TREATMENT)


def test_signs_in_the_latest_triage_block_a_case_that_came_in_without_them(
    coordinator: Any,
) -> None:
    case = at(submitted_case(), CaseState.PLANNING_TRIP)
    case_triage_record(case=case, actor=coordinator, findings={"red_flags": ["limb_weakness"]})
    with pytest.raises(TransitionNotAllowed, match="Cord-compression"):
        case_transition(case=case, actor=coordinator, to=CaseState.IN_TREATMENT)


def test_trip_planning_is_reached_only_by_the_patients_acceptance(coordinator: Any) -> None:
    case = at(submitted_case(), CaseState.AWAITING_DECISION)
    with pytest.raises(TransitionNotAllowed, match="accepts a plan"):
        case_transition(case=case, actor=coordinator, to=CaseState.PLANNING_TRIP, confirmed=True)
    assert case_plan_accepted(case=case, actor=coordinator).state == CaseState.PLANNING_TRIP


def test_opinions_ready_needs_a_released_answer(coordinator: Any) -> None:
    case = at(submitted_case(), CaseState.CONSULTATIONS)
    with pytest.raises(TransitionNotAllowed, match="Release at least one"):
        case_transition(case=case, actor=coordinator, to=CaseState.AWAITING_DECISION)


def test_consultations_need_a_referral_sent(coordinator: Any) -> None:
    case = at(submitted_case(), CaseState.MATCHING)
    with pytest.raises(TransitionNotAllowed, match="Send the case"):
        case_transition(case=case, actor=coordinator, to=CaseState.CONSULTATIONS)


def test_the_case_page_shows_the_gate_and_records_the_clearance(
    client: Client, coordinator: Any
) -> None:
    case = at(submitted_case(symptoms=["limb_weakness"]), CaseState.PLANNING_TRIP)
    client.force_login(coordinator)
    page = client.get(reverse("coordinator_case", args=[case.reference])).content.decode()
    assert "Safety gate" in page
    assert "disabled" in page
    response = client.post(
        reverse("case_travel_clearance", args=[case.reference]),
        {
            "assessed_by": "Dr A. Sadykova",
            "assessed_on": date.today().isoformat(),
            "findings": "MRI clear; fit to fly.",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("coordinator_case", args=[case.reference])).content.decode()
    assert "Safety gate" not in page


@pytest.mark.parametrize(("old", "new", "rule"), INTO_TRAVEL)
def test_a_message_flagged_for_warning_signs_blocks_every_path_until_cleared(
    coordinator: Any, old: str, new: str, rule: Any
) -> None:
    case = at(submitted_case(), old)
    message = message_send(
        case=case, author=coordinator, side=Message.Side.PATIENT, body="Mum cannot lift her foot."
    )
    message_warning_flag(message=message, actor=coordinator)
    with pytest.raises(TransitionNotAllowed, match="Cord-compression"):
        move(case, new, rule, coordinator)
    assert Case.objects.get(pk=case.pk).state == old
    clear(case, coordinator)
    assert move(case, new, rule, coordinator).state == new


def test_a_coordinator_flags_a_family_message_from_the_case_page(
    client: Client, coordinator: Any
) -> None:
    case = at(submitted_case(), CaseState.AWAITING_DECISION)
    message = message_send(
        case=case, author=coordinator, side=Message.Side.PATIENT, body="New numbness in legs."
    )
    client.force_login(coordinator)
    response = client.post(reverse("coordinator_message_flag", args=[case.reference, message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.warning_flagged_at is not None and message.warning_flagged_by == coordinator
    event = case.events.get(kind=CaseEvent.Kind.WARNING_FLAGGED)
    assert event.data == {"message": message.pk}
    page = client.get(reverse("coordinator_case", args=[case.reference])).content.decode()
    assert "Flagged: cord-compression warning signs" in page and "Safety gate" in page


def test_a_coordinators_own_message_cannot_be_flagged(coordinator: Any) -> None:
    case = submitted_case()
    message = message_send(
        case=case, author=coordinator, side=Message.Side.COORDINATOR, body="Any news?"
    )
    with pytest.raises(MessageRefused):
        message_warning_flag(message=message, actor=coordinator)
    assert not Message.objects.filter(warning_flagged_at__isnull=False).exists()
