"""A case back home after treatment abroad, its check-ins planned, and the links emailed to it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from oncoroute.cases.models import Case
from oncoroute.cases.workflow import CaseState
from oncoroute.followup.models import CheckIn
from oncoroute.followup.services import check_in_link_send, followup_schedule
from tests.referrals.conftest import clinic_x, clinic_y, consented

# The referral tests' clinics X and Y and the case's consent for both, for the outcome table.
__all__ = ["clinic_x", "clinic_y", "consented"]

# Every answer of a living patient, none of them a warning sign.
CALM = {
    "respondent": "patient",
    "pain": "3",
    "walking": "aid",
    "new_weakness": "no",
    "bladder_bowel": "no",
    "other_symptoms": "",
    "response": "stable",
}


def at(case: Case, state: str) -> Case:
    Case.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    return case


def back_home(case: Case, coordinator: Any, *, days_ago: int = 20) -> Case:
    """The case in follow-up, home since `days_ago` days, with the default schedule."""
    at(case, CaseState.FOLLOW_UP)
    returned = timezone.localdate() - timedelta(days=days_ago)
    followup_schedule(case=case, returned_on=returned, actor=coordinator)
    return case


def token_of(email: Any) -> str:
    """The token of the link in a check-in email."""
    (url,) = [word for word in email.body.split() if "/f/" in word]
    return urlsplit(url).path.split("/")[2]


def issue(check_in: CheckIn) -> str:
    """Email the check-in's link and return the token the email carries."""
    before = len(mail.outbox)
    check_in_link_send(check_in=check_in)
    assert len(mail.outbox) == before + 1
    return token_of(mail.outbox[-1])


@pytest.fixture
def home_case(patient_case: Case, coordinator: Any) -> Case:
    return back_home(patient_case, coordinator)


@pytest.fixture
def first_check_in(home_case: Case) -> CheckIn:
    return CheckIn.objects.filter(case=home_case).order_by("due_on").first()  # type: ignore[return-value]


@pytest.fixture
def token(first_check_in: CheckIn) -> str:
    return issue(first_check_in)


def days_from_now(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)
