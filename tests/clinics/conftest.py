from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from oncoroute.clinics.models import Clinic
from tests.clinics import builders as b
from tests.factories import submitted_case


@pytest.fixture
def directory(db: None) -> dict[str, Clinic]:
    """Four clinics for a case that needs SBRT and vertebral augmentation.

    alpha (DE, en+ru) offers both in EUR; bravo (TR, tr+en) both in USD, slower;
    charlie (ES, ru) offers both but its only accreditation expired on 2026-03-01;
    delta (IL, en) offers SBRT only.
    """
    b.rates()
    alpha = b.clinic("alpha", country="DE", languages=("en", "ru"))
    b.offering(alpha, "sbrt", 10_000, wait=5)
    b.offering(alpha, "vertebroplasty", 5_000, wait=3)
    bravo = b.clinic("bravo", country="TR", languages=("tr", "en"))
    b.offering(bravo, "sbrt", 12_000, currency="USD", wait=20)
    b.offering(bravo, "kyphoplasty", 6_000, currency="USD", wait=2)
    charlie = b.clinic("charlie", country="ES", languages=("ru",), accredited=False)
    b.credential(charlie, verified_on=date(2023, 3, 1), expires_on=date(2026, 3, 1))
    b.offering(charlie, "sbrt", 8_000, wait=1)
    b.offering(charlie, "kyphoplasty", 4_000, wait=1)
    delta = b.clinic("delta", country="IL")
    b.offering(delta, "sbrt", 9_000, wait=2)
    return {"alpha": alpha, "bravo": bravo, "charlie": charlie, "delta": delta}


@pytest.fixture
def russian_case(db: None) -> Any:
    """A Russian-speaking patient from Kazakhstan who would prefer Turkey."""
    return submitted_case(
        language="ru", country="KZ", email="ru@test.example", preferred_countries=["TR"]
    )
