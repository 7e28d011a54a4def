"""The patient accepts one released answer's latest quote: the acceptance (when, who), the
identity-sharing consent for that clinic, the other open referrals withdrawn with a neutral
reason and their clinics told without identity, the case in trip planning. Each refusal
changes nothing; a newer version after an acceptance needs its own acceptance."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from oncoroute.cases.models import Case, Consent
from oncoroute.cases.sharing import IDENTITY_SHARING_TEXTS
from oncoroute.cases.workflow import CaseState
from oncoroute.clinics.models import Clinic
from oncoroute.privacy.models import AuditEvent
from oncoroute.referrals.acceptance import AcceptanceRefused
from oncoroute.referrals.models import Quote, Referral
from oncoroute.referrals.services import CHOSE_ANOTHER_CLINIC, plan_accept
from oncoroute.referrals.workflow import ReferralStatus
from tests.referrals.answering import answered, awaiting_decision
from tests.referrals.conftest import send

pytestmark = pytest.mark.django_db

IDENTITY = Consent.Purpose.IDENTITY_SHARING


@pytest.fixture(autouse=True)
def _tasks_now_in_english(settings: Any) -> Iterator[None]:
    """Tasks run when enqueued; the services' messages in English (a page in Russian earlier in
    the thread leaves its language active)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with translation.override("en"):
        yield


def signed_in(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def confirm(quote: Quote, language: str = "en", **fields: str) -> dict[str, str]:
    shown = hashlib.sha256(IDENTITY_SHARING_TEXTS[language].encode()).hexdigest()
    return {"quote": str(quote.pk), "agree": "on", "shown": shown, **fields}


@pytest.fixture
def case(consented: Any) -> Case:
    return awaiting_decision(consented)


@pytest.fixture
def quote_x(case: Case, clinic_x: Clinic, coordinator: Any) -> Quote:
    return answered(send(case, clinic_x, coordinator), coordinator=coordinator)


@pytest.fixture
def referral_y(case: Case, clinic_y: Clinic, coordinator: Any) -> Referral:
    return send(case, clinic_y, coordinator)


def unchanged(case: Case, quote: Quote) -> None:
    quote.refresh_from_db()
    assert quote.accepted_at is None
    assert not case.consents.filter(purpose=IDENTITY).exists()
    assert Case.objects.get(pk=case.pk).state == CaseState.AWAITING_DECISION
    assert not case.referrals.filter(status=ReferralStatus.WITHDRAWN).exists()


def test_accepting_records_it_closes_the_others_and_moves_the_case(
    case: Case, quote_x: Quote, referral_y: Referral, clinic_x: Clinic, doctor_y: Any,
    patient: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(patient).post(
            reverse("plan_accept", args=[case.reference]), confirm(quote_x)
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("patient_case", args=[case.reference])
    quote_x.refresh_from_db()
    assert quote_x.accepted_at is not None
    assert AuditEvent.objects.filter(
        actor_id=patient.pk, object_type="referrals.quote", object_id=str(quote_x.pk),
        detail__accepted=True,
    ).exists()  # fmt: skip
    consent = case.consents.get(purpose=IDENTITY)
    assert consent.clinic == clinic_x and consent.country == clinic_x.country
    assert consent.text_sha256 == hashlib.sha256(IDENTITY_SHARING_TEXTS["en"].encode()).hexdigest()
    referral_y.refresh_from_db()
    assert referral_y.status == ReferralStatus.WITHDRAWN
    assert referral_y.reason == CHOSE_ANOTHER_CLINIC
    assert Case.objects.get(pk=case.pk).state == CaseState.PLANNING_TRIP
    # Clinic Y is told, with its referral's number only.
    (email,) = [m for m in mail.outbox if doctor_y.email in m.to and "closed" in m.subject]
    assert f"R-{referral_y.pk}" in email.body and "chosen another clinic" in email.body
    for secret in (case.full_name, case.email, case.reference):
        assert secret not in email.body and secret not in email.subject


def test_the_confirmation_tick_is_required(case: Case, quote_x: Quote, patient: Any) -> None:
    data = confirm(quote_x, "ru")
    del data["agree"]
    response = signed_in(patient, "ru").post(reverse("plan_accept", args=[case.reference]), data)
    assert response.status_code == 422
    assert "отметьте галочку" in response.content.decode()
    unchanged(case, quote_x)


def test_the_consent_text_must_be_the_one_shown(case: Case, quote_x: Quote, patient: Any) -> None:
    response = signed_in(patient, "ru").post(
        reverse("plan_accept", args=[case.reference]), confirm(quote_x, "en")
    )
    assert response.status_code == 422
    unchanged(case, quote_x)


def test_an_expired_quote_is_refused(case: Case, quote_x: Quote, patient: Any) -> None:
    Quote.objects.filter(pk=quote_x.pk).update(valid_until=timezone.localdate() - timedelta(1))
    response = signed_in(patient, "ru").post(
        reverse("plan_accept", args=[case.reference]), confirm(quote_x, "ru")
    )
    assert response.status_code == 422
    assert "Эта цена действовала до" in response.content.decode()
    unchanged(case, quote_x)


def test_a_superseded_version_is_refused(case: Case, quote_x: Quote, patient: Any) -> None:
    newer = answered(quote_x.referral, release=False)
    with pytest.raises(AcceptanceRefused, match="newer version"):
        plan_accept(case=case, quote=quote_x, actor=patient)
    unchanged(case, quote_x)
    # …and the newer one, not yet released, is refused too.
    with pytest.raises(AcceptanceRefused, match="not passed this answer"):
        plan_accept(case=case, quote=newer, actor=patient)
    unchanged(case, newer)


def test_an_unreleased_answer_is_refused(
    case: Case, clinic_x: Clinic, coordinator: Any, patient: Any
) -> None:
    quote = answered(send(case, clinic_x, coordinator), release=False)
    response = signed_in(patient).post(
        reverse("plan_accept", args=[case.reference]), confirm(quote)
    )
    assert response.status_code == 422
    unchanged(case, quote)


def test_nobody_known_to_follow_the_patient_at_home_is_refused(
    consented: Any, clinic_x: Clinic, coordinator: Any, patient: Any
) -> None:
    case = awaiting_decision(consented, follow_up=False)
    quote = answered(send(case, clinic_x, coordinator), coordinator=coordinator)
    page = signed_in(patient).get(reverse("patient_answers", args=[case.reference]))
    assert reverse("patient_home_doctor", args=[case.reference]) in page.content.decode()
    response = signed_in(patient, "ru").post(
        reverse("plan_accept", args=[case.reference]), confirm(quote, "ru")
    )
    assert response.status_code == 422
    assert "кто будет наблюдать вас" in response.content.decode()
    unchanged(case, quote)


def test_a_closed_referral_is_refused(case: Case, quote_x: Quote, patient: Any) -> None:
    Referral.objects.filter(pk=quote_x.referral_id).update(status=ReferralStatus.WITHDRAWN)
    with pytest.raises(AcceptanceRefused, match="closed"):
        plan_accept(case=case, quote=quote_x, actor=patient)


def test_a_case_the_workflow_will_not_move_is_refused(
    case: Case, quote_x: Quote, patient: Any
) -> None:
    Case.objects.filter(pk=case.pk).update(state=CaseState.MATCHING)
    with pytest.raises(AcceptanceRefused, match="cannot move on to trip planning"):
        plan_accept(case=case, quote=quote_x, actor=patient)
    quote_x.refresh_from_db()
    assert quote_x.accepted_at is None
    assert not case.consents.filter(purpose=IDENTITY).exists()


def test_a_changed_quote_needs_a_new_acceptance(
    case: Case, quote_x: Quote, coordinator: Any, patient: Any
) -> None:
    plan_accept(case=case, quote=quote_x, actor=patient)
    newer = answered(quote_x.referral, coordinator=coordinator, contingency="3000.00")
    page = signed_in(patient).get(reverse("patient_answers", args=[case.reference]))
    assert "Accept this plan" in page.content.decode()  # the newer version awaits a decision
    newer.refresh_from_db()
    assert newer.accepted_at is None
    accepted = plan_accept(case=case, quote=newer, actor=patient)
    assert accepted.accepted_at is not None
    # One identity consent, the case still planning.
    assert case.consents.filter(purpose=IDENTITY).count() == 1
    assert Case.objects.get(pk=case.pk).state == CaseState.PLANNING_TRIP
    with pytest.raises(AcceptanceRefused, match="already accepted"):
        plan_accept(case=case, quote=newer, actor=patient)


def test_another_cases_quote_is_refused(
    case: Case, quote_x: Quote, other_patient: Any, other_case: Case
) -> None:
    with pytest.raises(AcceptanceRefused):
        plan_accept(case=other_case, quote=quote_x, actor=other_patient)
    response = signed_in(other_patient).post(
        reverse("plan_accept", args=[case.reference]), confirm(quote_x)
    )
    assert response.status_code == 404
    unchanged(case, quote_x)


def test_staff_get_a_403(case: Case, quote_x: Quote, coordinator: Any, clinic_doctor: Any) -> None:
    for user in (coordinator, clinic_doctor):
        response = signed_in(user).post(
            reverse("plan_accept", args=[case.reference]), confirm(quote_x)
        )
        assert response.status_code == 403
    unchanged(case, quote_x)
