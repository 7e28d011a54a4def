"""Two partner clinics, X and Y, each with a doctor; the patient's case with consent for both.

- doctor_x works at clinic X and sees only X's referrals; doctor_y likewise at Y.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from oncoroute.accounts.roles import Role
from oncoroute.cases.models import Consent
from oncoroute.cases.sharing import consent_give
from oncoroute.clinics.models import Clinic
from oncoroute.referrals.models import Referral
from oncoroute.referrals.services import referral_send
from tests.clinics.builders import clinic, rates
from tests.factories import person


@pytest.fixture
def clinic_x(db: None) -> Clinic:
    rates()
    return clinic("clinic-x", name="Clinic X", country="TR")


@pytest.fixture
def clinic_y(db: None) -> Clinic:
    return clinic("clinic-y", name="Clinic Y", country="ES")


@pytest.fixture
def doctor_x(clinic_x: Clinic) -> Any:
    doctor = person(Role.CLINIC_DOCTOR, "doctor@clinic-x.example", first_name="Xavier")
    doctor.clinic = clinic_x
    doctor.save()
    return doctor


@pytest.fixture
def doctor_y(clinic_y: Clinic) -> Any:
    doctor = person(Role.CLINIC_DOCTOR, "doctor@clinic-y.example", first_name="Yusuf")
    doctor.clinic = clinic_y
    doctor.save()
    return doctor


@pytest.fixture
def consented(patient_case: Any, patient: Any, clinic_x: Clinic, clinic_y: Clinic) -> Any:
    for chosen in (clinic_x, clinic_y):
        consent_give(
            case=patient_case, actor=patient, purpose=Consent.Purpose.CLINIC_SHARING, clinic=chosen
        )
    return patient_case


def send(case: Any, to: Clinic, coordinator: Any, days: int = 7) -> Referral:
    return referral_send(
        case=case,
        clinic=to,
        actor=coordinator,
        question="Is SBRT suitable, or surgery first?",
        deadline=timezone.now() + timedelta(days=days),
    )


@pytest.fixture
def referral_x(consented: Any, clinic_x: Clinic, coordinator: Any) -> Referral:
    return send(consented, clinic_x, coordinator)


def answer(**quote: Any) -> dict[str, Any]:
    """A valid answer: a two-item plan and a two-line quote in EUR."""
    return {
        "opinion": {
            "reading": "Unstable L1 lesion; stabilise, then SBRT.",
            "specialties": ["spine surgery", "radiation oncology"],
            "multidisciplinary": True,
            "items": [
                {
                    "service": "spine_stabilisation",
                    "sessions": 1,
                    "hospital_nights": 5,
                    "recovery_days": 7,
                },
                {"service": "sbrt", "sessions": 5, "after_previous_days": 14},
            ],
        },
        "quote": {
            "currency": "EUR",
            "lines": [
                {
                    "item": 1,
                    "description": "Posterior stabilisation",
                    "quantity": 1,
                    "unit_price": "18500.00",
                },
                {"item": 2, "description": "SBRT fraction", "quantity": 5, "unit_price": "1200.10"},
            ],
            "included": "Surgery, five nights, SBRT planning and fractions.",
            "excluded": "Flights, hotel, interpreter.",
            "contingency": "2000.00",
            "valid_until": str(timezone.localdate() + timedelta(days=60)),
            "price_change_rule": "Fixed for 60 days; changes only with new findings.",
            **quote,
        },
    }


TOTAL = Decimal("18500.00") + 5 * Decimal("1200.10") + Decimal("2000.00")
