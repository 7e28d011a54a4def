"""The portal as clinic doctors use it, and the coordinator's referral actions, by page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from oncoroute.referrals.models import Opinion, Referral
from oncoroute.referrals.workflow import ReferralStatus
from tests.referrals.conftest import TOTAL

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answer_form() -> dict[str, Any]:
    data: dict[str, Any] = {
        "items-TOTAL_FORMS": "6", "items-INITIAL_FORMS": "0",
        "lines-TOTAL_FORMS": "8", "lines-INITIAL_FORMS": "0",
        "opinion-reading": "Unstable L1 lesion; stabilise, then SBRT.",
        "opinion-specialties": "spine surgery, radiation oncology",
        "items-0-service": "spine_stabilisation", "items-0-sessions": "1",
        "items-0-interval_days": "1", "items-0-after_previous_days": "1",
        "items-0-hospital_nights": "5", "items-0-recovery_days": "7",
        "items-1-service": "sbrt", "items-1-sessions": "5", "items-1-interval_days": "1",
        "items-1-after_previous_days": "14", "items-1-hospital_nights": "0",
        "items-1-recovery_days": "0",
        "quote-currency": "eur", "quote-included": "Surgery and SBRT.",
        "quote-excluded": "Flights.", "quote-contingency": "2000.00",
        "quote-valid_until": "2099-01-01", "quote-price_change_rule": "Fixed for 60 days.",
        "lines-0-item": "1", "lines-0-description": "Posterior stabilisation",
        "lines-0-quantity": "1", "lines-0-unit_price": "18500.00",
        "lines-1-item": "2", "lines-1-description": "SBRT fraction", "lines-1-quantity": "5",
        "lines-1-unit_price": "1200.10",
    }  # fmt: skip
    return data


def test_the_clinic_sees_its_referral_de_identified_and_opening_marks_it(
    referral_x: Referral, doctor_x: Any, patient_case: Any
) -> None:
    client = signed_in(doctor_x)
    pages = [
        client.get(reverse("clinic_home")),
        client.get(reverse("referral_detail", args=[referral_x.pk])),
        client.get(reverse("referral_answer", args=[referral_x.pk])),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        for identity in (patient_case.full_name, patient_case.email, patient_case.reference):
            assert identity not in html
    assert "Is SBRT suitable" in pages[1].content.decode()
    referral_x.refresh_from_db()
    assert referral_x.status == ReferralStatus.OPENED


def test_another_clinic_gets_nothing(referral_x: Referral, doctor_y: Any) -> None:
    client = signed_in(doctor_y)
    assert client.get(reverse("referral_detail", args=[referral_x.pk])).status_code == 404
    assert b"R-%d" % referral_x.pk not in client.get(reverse("clinic_home")).content


def test_the_answer_form_makes_an_opinion_and_an_exact_quote(
    referral_x: Referral, doctor_x: Any
) -> None:
    response = signed_in(doctor_x).post(
        reverse("referral_answer", args=[referral_x.pk]), answer_form()
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    opinion = Opinion.objects.get(referral=referral_x)
    assert [item.service for item in opinion.items.all()] == ["spine_stabilisation", "sbrt"]
    assert opinion.quotes.get().total == TOTAL
    assert opinion.multidisciplinary is False


def test_a_negative_price_is_refused_on_the_form(referral_x: Referral, doctor_x: Any) -> None:
    data = {**answer_form(), "lines-0-unit_price": "-5"}
    response = signed_in(doctor_x).post(reverse("referral_answer", args=[referral_x.pk]), data)
    assert response.status_code == 422
    assert not Opinion.objects.exists()


def test_the_coordinator_sends_sees_and_releases_the_answer(
    consented: Any, clinic_x: Any, doctor_x: Any, coordinator: Any
) -> None:
    coordinator_client = signed_in(coordinator)
    case_page = reverse("coordinator_case", args=[consented.reference])
    assert "Clinic X" in coordinator_client.get(case_page).content.decode()
    sent = coordinator_client.post(
        reverse("case_referral_send", args=[consented.reference]),
        {"clinic": clinic_x.pk, "question": "SBRT or surgery?", "deadline": "2099-01-01"},
    )
    assert sent.status_code == 302
    referral = Referral.objects.get(case=consented, clinic=clinic_x)
    signed_in(doctor_x).post(reverse("referral_answer", args=[referral.pk]), answer_form())
    opinion = Opinion.objects.get(referral=referral)
    html = coordinator_client.get(case_page).content.decode()
    assert "Release to the patient" in html and "Posterior stabilisation" in html
    coordinator_client.post(reverse("opinion_release", args=[referral.pk, opinion.pk]))
    opinion.refresh_from_db()
    assert opinion.released_at is not None


def test_a_withdrawn_referral_shows_the_clinic_nothing_more(
    referral_x: Referral, doctor_x: Any, coordinator: Any
) -> None:
    from oncoroute.referrals.services import referral_move

    referral_move(
        referral=referral_x, actor=coordinator, to=ReferralStatus.WITHDRAWN, reason="Patient asked."
    )
    page = signed_in(doctor_x).get(reverse("referral_detail", args=[referral_x.pk]))
    html = page.content.decode()
    assert "no longer shared" in html
    assert "Is SBRT suitable" not in html
    assert page.context["case_view"] is None
