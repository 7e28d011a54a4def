"""A case with two clinics' answers for the patient to compare and accept: X's released (EUR),
Y's released (USD), and a helper to answer and release again."""

from __future__ import annotations

from typing import Any

from oncoroute.cases.models import Case
from oncoroute.cases.workflow import CaseState
from oncoroute.referrals.answers import AnswerIn
from oncoroute.referrals.home_doctor import home_doctor_waived
from oncoroute.referrals.models import Quote, Referral
from oncoroute.referrals.services import answer_release, answer_submit


def answered(referral: Referral, *, release: bool = True, coordinator: Any = None, **quote: Any):
    """The clinic's doctor-less answer (as through the API it would be) and, by default, its
    release by the coordinator."""
    from tests.referrals.conftest import answer

    submitted = answer_submit(referral=referral, author=None, answer=AnswerIn(**answer(**quote)))
    if release:
        answer_release(opinion=submitted.opinion, actor=coordinator)
    return Quote.objects.get(pk=submitted.pk)


def awaiting_decision(case: Case, *, follow_up: bool = True) -> Case:
    """The coordinator has told the patient the answers are in (the move itself is the cases
    app's to test), in US dollars; by default the patient has recorded that they will arrange
    their follow-up at home themselves."""
    Case.objects.filter(pk=case.pk).update(state=CaseState.AWAITING_DECISION, country="US")
    case = Case.objects.get(pk=case.pk)
    if follow_up:
        home_doctor_waived(case=case, actor=case.patient)
    return case
