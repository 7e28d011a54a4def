"""The safety gate reads the follow-up: after a check-in reported warning signs, no move into
travel until a clinician's local assessment is recorded after it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from oncoroute.cases.models import Case
from oncoroute.cases.safety import FLAG_SOURCES, cord_flag_raised_at, fit_to_travel
from oncoroute.cases.services import case_transition, travel_clearance_record
from oncoroute.cases.workflow import CaseState, TransitionNotAllowed
from oncoroute.followup.answers import CheckInAnswers
from oncoroute.followup.models import CheckIn
from oncoroute.followup.safety import followup_warning_at
from oncoroute.followup.services import check_in_answer

from .conftest import at

pytestmark = pytest.mark.django_db

WEAK_LEGS = CheckInAnswers(pain=5, walking="aid", new_weakness=True, response="stable")


def _clear(case: Case, coordinator: Any) -> None:
    travel_clearance_record(
        case=case, actor=coordinator, assessed_by="Dr A. Sadykova, neurologist",
        assessed_on=date.today(), findings="MRI: no cord compression; fit to fly.",
    )  # fmt: skip


def test_the_follow_up_is_a_registered_source_of_warning_signs() -> None:
    assert followup_warning_at in FLAG_SOURCES


def test_travel_is_blocked_after_a_check_in_with_warning_signs_until_a_clearance(
    first_check_in: CheckIn, home_case: Case, coordinator: Any
) -> None:
    # A clearance recorded before the answer (for an earlier flag) does not lift the new one.
    _clear(home_case, coordinator)
    answered = check_in_answer(check_in=first_check_in, respondent="patient", answers=WEAK_LEGS)
    case = at(home_case, CaseState.PLANNING_TRIP)  # e.g. the next cycle of treatment abroad
    assert followup_warning_at(case) == answered.warning_at == cord_flag_raised_at(case)
    assert fit_to_travel(case) is not None
    with pytest.raises(TransitionNotAllowed, match="Cord-compression warning signs"):
        case_transition(case=case, actor=coordinator, to=CaseState.IN_TREATMENT)
    assert Case.objects.get(pk=case.pk).state == CaseState.PLANNING_TRIP

    _clear(case, coordinator)
    assert fit_to_travel(case) is None
    moved = case_transition(case=case, actor=coordinator, to=CaseState.IN_TREATMENT)
    assert moved.state == CaseState.IN_TREATMENT


def test_a_calm_answer_raises_no_flag(first_check_in: CheckIn, home_case: Case) -> None:
    calm = CheckInAnswers(pain=2, walking="unaided", response="shrank")
    check_in_answer(check_in=first_check_in, respondent="patient", answers=calm)
    assert followup_warning_at(home_case) is None
    assert fit_to_travel(at(home_case, CaseState.PLANNING_TRIP)) is None
