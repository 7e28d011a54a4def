from __future__ import annotations

from typing import Any

import pytest

from oncoroute.cases.models import CaseEvent
from oncoroute.cases.services import case_assign, case_note_add, case_transition
from oncoroute.cases.workflow import TRANSITIONS, CaseState, TransitionNotAllowed
from tests.factories import submitted_case

pytestmark = pytest.mark.django_db


def test_every_open_state_can_be_withdrawn_and_closed_states_cannot_move() -> None:
    sources = {frm for frm, _ in TRANSITIONS}
    assert CaseState.CLOSED not in sources
    assert CaseState.WITHDRAWN not in sources
    for state in set(CaseState) - {CaseState.CLOSED, CaseState.WITHDRAWN}:
        assert (state, CaseState.WITHDRAWN) in TRANSITIONS


def test_an_allowed_move_changes_the_state_and_writes_an_event(coordinator: Any) -> None:
    case = case_transition(case=submitted_case(), actor=coordinator, to="in_review", reason="read")
    assert case.state == "in_review"
    event = case.events.get(kind=CaseEvent.Kind.TRANSITION)
    assert (event.actor, event.data) == (
        coordinator,
        {"old": "new", "new": "in_review", "reason": "read"},
    )


def test_the_first_move_out_of_new_stamps_the_first_answer(coordinator: Any) -> None:
    case = submitted_case()
    assert case.first_response_at is None
    case = case_transition(case=case, actor=coordinator, to="in_review")
    stamped = case.first_response_at
    assert stamped is not None
    case = case_transition(case=case, actor=coordinator, to="matching")
    assert case.first_response_at == stamped


def test_a_move_not_in_the_table_is_refused_and_changes_nothing(coordinator: Any) -> None:
    case = submitted_case()
    with pytest.raises(TransitionNotAllowed):
        case_transition(case=case, actor=coordinator, to="planning_trip")
    case.refresh_from_db()
    assert case.state == "new"
    assert not case.events.filter(kind=CaseEvent.Kind.TRANSITION).exists()


def test_referral_to_local_emergency_care_needs_confirmation(coordinator: Any) -> None:
    case = submitted_case(symptoms=["limb_weakness"])
    with pytest.raises(TransitionNotAllowed, match="confirmation"):
        case_transition(case=case, actor=coordinator, to="referred_local_care")
    case = case_transition(case=case, actor=coordinator, to="referred_local_care", confirmed=True)
    assert case.state == "referred_local_care"


def test_a_patient_cannot_move_a_case(patient: Any, patient_case: Any) -> None:
    with pytest.raises(TransitionNotAllowed):
        case_transition(case=patient_case, actor=patient, to="in_review")


def test_closing_stamps_the_closed_time(coordinator: Any) -> None:
    case = case_transition(case=submitted_case(), actor=coordinator, to="withdrawn", confirmed=True)
    assert case.closed_at is not None


def test_assign_and_note_leave_internal_events(coordinator: Any) -> None:
    case = submitted_case()
    case_assign(case=case, actor=coordinator, assignee=coordinator)
    case_note_add(case=case, actor=coordinator, text="  Called the daughter.  ")
    assigned, note = case.events.filter(kind__in=["assigned", "note"]).order_by("pk")
    assert note.data == {"text": "Called the daughter."}
    assert not assigned.visible_to_patient and not note.visible_to_patient


def test_an_empty_note_is_refused(coordinator: Any) -> None:
    with pytest.raises(ValueError, match="empty"):
        case_note_add(case=submitted_case(), actor=coordinator, text="   ")
