"""Sending a case to a clinic, every move of a referral, and the clinic's structured answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from pydantic import ValidationError

from oncoroute.accounts.roles import Role
from oncoroute.cases.models import Consent
from oncoroute.cases.sharing import SharingRefused, consent_withdraw
from oncoroute.referrals.answers import AnswerIn
from oncoroute.referrals.models import Referral, ReferralEvent
from oncoroute.referrals.services import (
    AnswerRefused,
    answer_release,
    answer_submit,
    referral_move,
    referrals_remind,
)
from oncoroute.referrals.tasks import referral_clinic_notify
from oncoroute.referrals.workflow import (
    FHIR_TASK_STATUS,
    MOVES,
    MoveNotAllowed,
    ReferralStatus,
)
from tests.referrals.conftest import TOTAL, answer, send

pytestmark = pytest.mark.django_db


def test_a_case_is_never_sent_without_consent_for_that_clinic(
    patient_case: Any, clinic_x: Any, coordinator: Any
) -> None:
    with pytest.raises(SharingRefused):
        send(patient_case, clinic_x, coordinator)
    assert not Referral.objects.exists()


def test_sending_opens_the_clock_and_tells_the_clinic_without_identity(
    referral_x: Referral, doctor_x: Any, patient_case: Any
) -> None:
    assert referral_x.status == ReferralStatus.SENT
    assert referral_x.events.get().kind == ReferralEvent.Kind.SENT
    assert referral_clinic_notify.call(referral_id=referral_x.pk) == 1
    email = mail.outbox[-1]
    assert email.to == [doctor_x.email]
    for identity in (patient_case.full_name, patient_case.email, patient_case.reference):
        assert identity not in email.body and identity not in email.subject


def test_every_status_has_its_own_fhir_task_status() -> None:
    assert set(FHIR_TASK_STATUS) == set(ReferralStatus.values)
    assert len(set(FHIR_TASK_STATUS.values())) == len(FHIR_TASK_STATUS)


PAIRS = [(old, new) for old in ReferralStatus for new in ReferralStatus if old != new]


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_each_move_is_allowed_exactly_when_the_table_says(
    referral_x: Referral, doctor_x: Any, coordinator: Any, old: str, new: str
) -> None:
    Referral.objects.filter(pk=referral_x.pk).update(status=old)
    rule = MOVES.get((ReferralStatus(old), ReferralStatus(new)))
    actor = doctor_x if rule is None or Role.CLINIC_DOCTOR in rule.roles else coordinator
    if new == ReferralStatus.ANSWERED and rule is not None:
        with pytest.raises(MoveNotAllowed, match="opinion"):
            referral_move(referral=referral_x, actor=actor, to=new)
        answer_submit(referral=referral_x, author=doctor_x, answer=AnswerIn(**answer()))
        referral_x.refresh_from_db()
        assert referral_x.status == ReferralStatus.ANSWERED
        return
    if rule is None:
        with pytest.raises(MoveNotAllowed):
            referral_move(referral=referral_x, actor=actor, to=new, reason="because")
        return
    moved = referral_move(referral=referral_x, actor=actor, to=new, reason="because")
    assert moved.status == new
    assert moved.events.filter(kind=ReferralEvent.Kind.MOVED).exists()


def test_another_clinics_doctor_cannot_move_the_referral(
    referral_x: Referral, doctor_y: Any
) -> None:
    with pytest.raises(MoveNotAllowed):
        referral_move(referral=referral_x, actor=doctor_y, to=ReferralStatus.ACCEPTED)


def test_a_decline_needs_its_reason(referral_x: Referral, doctor_x: Any) -> None:
    with pytest.raises(MoveNotAllowed, match="reason"):
        referral_move(referral=referral_x, actor=doctor_x, to=ReferralStatus.DECLINED)


def test_an_answer_is_versioned_with_exact_totals(referral_x: Referral, doctor_x: Any) -> None:
    first = answer_submit(referral=referral_x, author=doctor_x, answer=AnswerIn(**answer()))
    second = answer_submit(
        referral=referral_x, author=doctor_x, answer=AnswerIn(**answer(contingency="0"))
    )
    referral_x.refresh_from_db()
    assert referral_x.status == ReferralStatus.ANSWERED
    assert (first.version, second.version) == (1, 2)
    assert first.total == TOTAL
    assert [line.plan_item.service for line in first.lines.all()] == ["spine_stabilisation", "sbrt"]
    assert first.opinion.released_at is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": [{"item": 1, "description": "x", "quantity": 1, "unit_price": "-1"}]}, "quote"),
        ({"currency": "eur"}, "quote"),
    ],
)
def test_a_bad_quote_is_refused_by_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        AnswerIn(**answer(**change))
    assert refused.value.errors()[0]["loc"][0] == field


def test_a_quote_line_must_pay_for_an_item_of_the_plan() -> None:
    line = {"item": 3, "description": "x", "quantity": 1, "unit_price": "1"}
    with pytest.raises(ValidationError, match="the plan has 2 items"):
        AnswerIn(**answer(lines=[line]))


def test_a_service_outside_the_vocabulary_or_no_plan_is_refused() -> None:
    given = answer()
    given["opinion"]["items"][0]["service"] = "surgical_stabilization"
    with pytest.raises(ValidationError, match="unknown service"):
        AnswerIn(**given)
    given["opinion"]["items"] = []
    with pytest.raises(ValidationError):
        AnswerIn(**given)


def test_a_currency_without_a_rate_is_refused(referral_x: Referral, doctor_x: Any) -> None:
    with pytest.raises(AnswerRefused) as refused:
        answer_submit(
            referral=referral_x, author=doctor_x, answer=AnswerIn(**answer(currency="JPY"))
        )
    assert refused.value.field == "quote.currency"


def test_release_makes_the_answer_visible_once(
    referral_x: Referral, doctor_x: Any, coordinator: Any
) -> None:
    quote = answer_submit(referral=referral_x, author=doctor_x, answer=AnswerIn(**answer()))
    answer_release(opinion=quote.opinion, actor=coordinator)
    answer_release(opinion=quote.opinion, actor=coordinator)
    assert referral_x.events.filter(kind=ReferralEvent.Kind.RELEASED).count() == 1


def test_withdrawing_the_consent_withdraws_that_clinics_referral(
    referral_x: Referral, patient: Any, consented: Any, clinic_x: Any
) -> None:
    consent = consented.consents.get(purpose=Consent.Purpose.CLINIC_SHARING, clinic=clinic_x)
    consent_withdraw(consent=consent, actor=patient)
    referral_x.refresh_from_db()
    assert referral_x.status == ReferralStatus.WITHDRAWN


def test_reminders_go_once_per_day_to_overdue_referrals(
    referral_x: Referral, doctor_x: Any
) -> None:
    from datetime import timedelta

    later = referral_x.deadline + timedelta(hours=2)
    assert referrals_remind(now=later) == 1
    assert referrals_remind(now=later + timedelta(minutes=5)) == 0
    assert referrals_remind(now=later + timedelta(days=1, minutes=1)) == 1
    assert referral_x.events.filter(kind=ReferralEvent.Kind.REMINDED).count() == 2


def test_quotes_compare_in_the_patients_currency_at_the_dated_rate(
    consented: Any, clinic_x: Any, clinic_y: Any, doctor_x: Any, doctor_y: Any, coordinator: Any
) -> None:
    from decimal import Decimal

    from oncoroute.referrals.selectors import case_referrals, quotes_compared

    for clinic, doctor, currency in ((clinic_x, doctor_x, "EUR"), (clinic_y, doctor_y, "TRY")):
        referral = send(consented, clinic, coordinator)
        answer_submit(
            referral=referral, author=doctor, answer=AnswerIn(**answer(currency=currency))
        )
    rows = quotes_compared(referrals=case_referrals(case=consented), currency="USD")
    assert [row.referral.clinic for row in rows] == [clinic_y, clinic_x]  # TRY total is cheaper
    assert rows[1].converted == (TOTAL * Decimal("1.25")).quantize(Decimal("0.01"))
    assert rows[0].converted == (TOTAL / 40 * Decimal("1.25")).quantize(Decimal("0.01"))


def test_answering_is_never_a_button_and_opening_happens_by_reading() -> None:
    from oncoroute.accounts.roles import Role
    from oncoroute.referrals.workflow import moves_from

    for status in ReferralStatus:
        offered = {new for new, _ in moves_from(status, Role.CLINIC_DOCTOR)}
        assert not offered & {ReferralStatus.ANSWERED, ReferralStatus.OPENED}
