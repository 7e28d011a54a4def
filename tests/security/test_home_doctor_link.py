"""The home doctor's link for every persona and every kind of token (access_matrix.py's
HOME_DOCTOR_LINK): the token is the only key, so who is signed in changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oncoroute.cases.models import Case, Consent

from .access_matrix import HOME_DOCTOR_LINK, PRINCIPALS
from .conftest import HomeDoctorTokens, World
from .test_access_matrix import OUTSIDERS, identity_in, outcome, protection_problems

pytestmark = pytest.mark.django_db


def _check(kind: str, token: str, world: World, clients: dict[str, Client]) -> list[str]:
    path = reverse("home_doctor_view", args=[token])
    problems = []
    for principal, expected in zip(PRINCIPALS, HOME_DOCTOR_LINK[kind], strict=True):
        response = clients[principal].get(path)
        if (got := outcome(response)) != expected:
            problems.append(f"{kind} as {principal}: {got}, expected {expected}")
        problems += [f"{kind} as {principal}: {p}" for p in protection_problems(response)]
        found = identity_in(response, world, path)
        # Only the valid link of this very case names its patient (to the doctor they named);
        # a signed-in patient's own name is in the page's header, whatever the link.
        allowed = [world.case.full_name] if kind == "valid" else []
        if principal in OUTSIDERS and found != allowed:
            problems.append(f"{kind} as {principal}: shows {found}")
        if kind != "valid" and b"Opinion of" in response.content:
            problems.append(f"{kind} as {principal}: shows an opinion")
    return problems


def test_each_kind_of_token_gives_what_the_matrix_says(
    world: World, home_doctor_tokens: HomeDoctorTokens, clients: dict[str, Client]
) -> None:
    problems = []
    for kind in ("valid", "expired", "revoked", "other_case"):
        problems += _check(kind, getattr(home_doctor_tokens, kind), world, clients)
    assert not problems, "\n".join(problems)


def test_a_withdrawn_health_data_consent_closes_the_link(
    world: World, home_doctor_tokens: HomeDoctorTokens, clients: dict[str, Client]
) -> None:
    Consent.objects.filter(case=world.case, purpose=Consent.Purpose.HEALTH_DATA).update(
        withdrawn_at=timezone.now()
    )
    problems = _check("consent_withdrawn", home_doctor_tokens.valid, world, clients)
    assert not problems, "\n".join(problems)


def test_another_cases_token_shows_that_case_only(
    world: World, home_doctor_tokens: HomeDoctorTokens, other_case: Case, admin_user: Any
) -> None:
    response = Client().get(reverse("home_doctor_view", args=[home_doctor_tokens.other_case]))
    assert other_case.full_name in response.content.decode()
    assert world.case.full_name not in response.content.decode()
