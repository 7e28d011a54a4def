"""A check-in's link for every persona and every kind of token (access_matrix.py's
FOLLOWUP_LINK): the token is the only key, so who is signed in changes nothing, and no page of
the link names the patient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oncoroute.cases.models import Case, Consent
from oncoroute.cases.workflow import CaseState
from oncoroute.followup.answers import CheckInAnswers
from oncoroute.followup.models import CheckIn
from oncoroute.followup.services import check_in_answer
from tests.followup.conftest import at, back_home, issue

from .access_matrix import FOLLOWUP_LINK, PRINCIPALS
from .conftest import World
from .test_access_matrix import OUTSIDERS, identity_in, outcome, protection_problems

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Tokens:
    """Check-in link tokens of the world's case, and one of `other_case`."""

    valid: str
    answered: str
    expired: str
    replaced: str
    cancelled: str
    other_case: str


@pytest.fixture
def tokens(world: World, other_case: Case, coordinator: Any) -> Tokens:
    back_home(world.case, coordinator, days_ago=200)
    two, six, three, sixm = CheckIn.objects.filter(case=world.case).order_by("due_on")
    valid = issue(six)
    answered = issue(three)
    check_in_answer(check_in=three, respondent="patient", answers=CheckInAnswers(pain=1))
    expired = issue(sixm)
    CheckIn.objects.filter(pk=sixm.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    replaced = issue(two)
    issue(two)  # a second link for the same check-in: the first stops opening
    cancelled = issue(CheckIn.objects.create(case=world.case, interval="9m", due_on=two.due_on))
    CheckIn.objects.filter(interval="9m").update(cancelled_at=timezone.now())
    back_home(other_case, coordinator)
    other = issue(CheckIn.objects.filter(case=other_case).order_by("due_on").first())  # type: ignore[arg-type]
    return Tokens(valid, answered, expired, replaced, cancelled, other)


def _check(kind: str, token: str, world: World, clients: dict[str, Client]) -> list[str]:
    path = reverse("followup_check_in", args=[token])
    problems = []
    for principal, expected in zip(PRINCIPALS, FOLLOWUP_LINK[kind], strict=True):
        response = clients[principal].get(path)
        if (got := outcome(response)) != expected:
            problems.append(f"{kind} as {principal}: {got}, expected {expected}")
        problems += [f"{kind} as {principal}: {p}" for p in protection_problems(response)]
        if principal in OUTSIDERS and (found := identity_in(response, world, path)):
            problems.append(f"{kind} as {principal}: shows {found}")
        if expected == 404 and b'name="pain"' in response.content:
            problems.append(f"{kind} as {principal}: shows the form")
    return problems


def test_each_kind_of_token_gives_what_the_matrix_says(
    world: World, tokens: Tokens, clients: dict[str, Client]
) -> None:
    problems = []
    for kind in ("valid", "answered", "expired", "replaced", "cancelled", "other_case"):
        problems += _check(kind, getattr(tokens, kind), world, clients)
    assert not problems, "\n".join(problems)


def test_a_closed_case_or_a_withdrawn_consent_closes_the_link(
    world: World, tokens: Tokens, clients: dict[str, Client]
) -> None:
    at(world.case, CaseState.CLOSED)
    problems = _check("case_closed", tokens.valid, world, clients)
    at(world.case, CaseState.FOLLOW_UP)
    Consent.objects.filter(case=world.case, purpose=Consent.Purpose.HEALTH_DATA).update(
        withdrawn_at=timezone.now()
    )
    problems += _check("consent_withdrawn", tokens.valid, world, clients)
    assert not problems, "\n".join(problems)


def test_a_closed_link_stores_nothing_sent_to_it(world: World, tokens: Tokens) -> None:
    answer = {"respondent": "patient", "pain": "9", "walking": "unable", "new_weakness": "yes",
              "bladder_bowel": "yes", "response": "grew"}  # fmt: skip
    for token in (tokens.expired, tokens.replaced, tokens.cancelled):
        response = Client().post(reverse("followup_check_in", args=[token]), answer)
        assert response.status_code == 404
    assert not CheckIn.objects.filter(case=world.case, warning_at__isnull=False).exists()


def test_another_cases_token_answers_that_case_only(
    world: World, tokens: Tokens, other_case: Case
) -> None:
    path = reverse("followup_check_in", args=[tokens.other_case])
    answer = {"respondent": "patient", "pain": "2", "walking": "unaided", "new_weakness": "no",
              "bladder_bowel": "no", "response": "shrank"}  # fmt: skip
    assert Client().post(path, answer).status_code == 302
    assert CheckIn.objects.filter(case=other_case, answered_at__isnull=False).count() == 1
    assert CheckIn.objects.filter(case=world.case, answered_at__isnull=False).count() == 1
