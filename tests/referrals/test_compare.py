"""The patient compares the clinics' released answers side by side: the plan in words, the
tumour board, the days away by the clinic's own figures, the total in the patient's currency
at the dated rate, what is included and not, the contingency, valid until; never an unreleased
answer; another patient's case is a 404, staff a 403."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from oncoroute.clinics.models import Clinic
from oncoroute.referrals.selectors import AwayEstimate, days_away_estimate, patient_answers
from tests.referrals.answering import answered, awaiting_decision
from tests.referrals.conftest import TOTAL, send

pytestmark = pytest.mark.django_db


def signed_in(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


@pytest.fixture
def two_answers(consented: Any, clinic_x: Clinic, clinic_y: Clinic, coordinator: Any) -> Any:
    case = awaiting_decision(consented)
    answered(send(case, clinic_x, coordinator), coordinator=coordinator)
    answered(
        send(case, clinic_y, coordinator), coordinator=coordinator, currency="USD",
        contingency="0", included="Radiosurgery only.", excluded="Surgery.",
    )  # fmt: skip
    return case


def item(position: int, **fields: int) -> Any:
    figures = {"sessions": 1, "interval_days": 1, "after_previous_days": 1}
    figures |= {"hospital_nights": 0, "recovery_days": 0} | fields
    return SimpleNamespace(position=position, **figures)


def test_days_away_follow_the_clinics_own_figures() -> None:
    # Surgery with 5 nights and 7 days' recovery (days 0–12), SBRT 14 days later, 5 daily
    # sessions (days 14–18): 19 days.
    plan = [
        item(1, hospital_nights=5, recovery_days=7),
        item(2, sessions=5, after_previous_days=14),
    ]
    assert days_away_estimate(plan) == 19
    assert days_away_estimate([item(1)]) == 1
    assert days_away_estimate([item(1, sessions=3, interval_days=7)]) == 15
    # The second step starts the day after the first began (day 1) and its recovery ends day 11.
    assert days_away_estimate([item(1, sessions=2), item(2, recovery_days=10)]) == 12


def test_only_released_answers_in_the_patients_currency(
    two_answers: Any, clinic_x: Clinic, coordinator: Any, patient: Any
) -> None:
    rows = patient_answers(case=two_answers, currency="USD", today=two_answers.created_at.date())
    # X: EUR total at 1.25 USD; Y: USD as it is. Y (without contingency) is cheaper, so first.
    totals = {row.opinion.referral.clinic.slug: row.compared.converted for row in rows}
    assert totals == {
        "clinic-y": TOTAL - Decimal("2000.00"),
        "clinic-x": (TOTAL * Decimal("1.25")).quantize(Decimal("0.01")),
    }
    assert [row.opinion.referral.clinic.slug for row in rows] == ["clinic-y", "clinic-x"]
    assert all(row.days_away == 19 and row.refusal == "" for row in rows)


def test_the_time_away_is_worked_by_the_trip_planner_on_each_clinics_open_days(
    two_answers: Any,
) -> None:
    # Arriving Monday 21 December 2026: the stabilisation on Tuesday the 22nd, discharged on the
    # 27th, home on 3 January (7 days after the surgery and after discharge); SBRT from the 27th
    # + 14 days, Monday 11 – Friday 15 January, home the 16th. A week at home between: two trips
    # of 13 and 6 nights, in Istanbul and in Madrid alike (Spain's 1 and 6 January holidays
    # fall outside the sessions).
    rows = patient_answers(case=two_answers, currency="USD", today=date(2026, 12, 7))
    assert {row.away for row in rows} == {AwayEstimate(19, 2, date(2026, 12, 21))}


def test_the_page_shows_both_answers_side_by_side_in_russian(two_answers: Any, patient: Any):
    url = reverse("patient_answers", args=[two_answers.reference])
    response = signed_in(patient, "ru").get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="answer"') == 2
    assert "Сравните ответы клиник" in html
    # X's 26 500,50 EUR at 1,25 USD, with the clinic's own figure and the rate's date.
    assert "≈ 33\xa0125,62 USD" in html
    assert "Цена клиники — 26\xa0500,50 EUR; пересчитано по курсу на" in html
    assert re.search(r"около \d+ ноч\w+ вне дома, за \d+ поездк", html)
    assert "Radiosurgery only." in html and "Flights, hotel, interpreter." in html
    assert "Принять этот план" in html
    assert "Я принимаю план этой клиники" in html


def test_an_unreleased_answer_is_not_shown(
    consented: Any, clinic_x: Clinic, clinic_y: Clinic, coordinator: Any, patient: Any
) -> None:
    case = awaiting_decision(consented)
    answered(send(case, clinic_x, coordinator), coordinator=coordinator)
    answered(send(case, clinic_y, coordinator), release=False, included="Secret plan.")
    response = signed_in(patient).get(reverse("patient_answers", args=[case.reference]))
    html = response.content.decode()
    assert html.count('data-testid="answer"') == 1
    assert "Clinic Y" not in html and "Secret plan." not in html


def test_a_newer_unreleased_version_makes_the_released_one_superseded(
    two_answers: Any, clinic_x: Clinic, patient: Any
) -> None:
    referral = two_answers.referrals.get(clinic=clinic_x)
    answered(referral, release=False, included="Newer, not yet released.")
    html = signed_in(patient).get(reverse("patient_answers", args=[two_answers.reference]))
    text = html.content.decode()
    assert "Newer, not yet released." not in text
    assert "The clinic has sent a newer version of this price." in text


def test_the_case_page_links_to_the_comparison(two_answers: Any, patient: Any) -> None:
    html = signed_in(patient).get(reverse("patient_case", args=[two_answers.reference]))
    assert reverse("patient_answers", args=[two_answers.reference]) in html.content.decode()


def test_another_patient_gets_a_404_and_staff_a_403(
    two_answers: Any, other_patient: Any, coordinator: Any, clinic_doctor: Any
) -> None:
    url = reverse("patient_answers", args=[two_answers.reference])
    assert signed_in(other_patient).get(url).status_code == 404
    assert signed_in(coordinator).get(url).status_code == 403
    assert signed_in(clinic_doctor).get(url).status_code == 403
