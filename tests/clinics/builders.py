"""Hand-built directories for the platform tests: each test says what differs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from oncoroute.cases.models import Case
from oncoroute.clinics.models import Accreditation, Clinic, Offering
from oncoroute.clinics.services import exchange_rates_set
from oncoroute.triage.models import TriageSnapshot

TODAY = date(2026, 6, 1)
RATES_DAY = date(2026, 5, 29)
FEE = "Referral fee of 10 % paid by the clinic to oncoroute; it does not affect ranking."


def rates() -> None:
    """1 EUR = 1.25 USD (so 1 USD = 0.8 EUR exactly) = 40 TRY."""
    exchange_rates_set(
        base="EUR",
        as_of=RATES_DAY,
        rates={"USD": Decimal("1.25"), "TRY": Decimal(40)},
        source="test rates",
    )


def credential(
    clinic: Clinic,
    name: str = "JCI",
    *,
    verified_on: date = date(2025, 1, 10),
    expires_on: date = date(2028, 1, 9),
    kind: str = "accreditation",
) -> Accreditation:
    return Accreditation.objects.create(
        clinic=clinic,
        kind=kind,
        name=name,
        verified_by="Registry desk (A. Kovacs)",
        register="JCI accredited organizations list",
        verified_on=verified_on,
        expires_on=expires_on,
    )


def offering(
    clinic: Clinic,
    service: str,
    price: int | None = 10_000,
    *,
    high: int | None = None,
    currency: str = "EUR",
    wait: int | None = 7,
    **extra: Any,
) -> Offering:
    """A service priced `price` (to `high`) in `currency`; price=None means unpublished."""
    priced = price is not None
    return Offering.objects.create(
        clinic=clinic,
        service=service,
        price_min=Decimal(price) if priced else None,
        price_max=Decimal(high if high is not None else price) if priced else None,  # type: ignore[arg-type]
        currency=currency if priced else "",
        waiting_days=wait,
        detail=extra.pop("detail", "CyberKnife" if service == "sbrt" else ""),
        **extra,
    )


def clinic(
    slug: str,
    *,
    name: str | None = None,
    country: str = "DE",
    languages: tuple[str, ...] = ("en",),
    accredited: bool = True,
    **extra: Any,
) -> Clinic:
    made = Clinic.objects.create(
        slug=slug,
        name=name or f"{slug.title()} Clinic",
        country=country,
        city="Somewhere",
        time_zone="Europe/Berlin",
        languages=list(languages),
        commercial_relationship=extra.pop("commercial_relationship", FEE),
        **extra,
    )
    if accredited:
        credential(made)
    return made


def triaged(
    case: Case, eligible: list[str], noms: str = "cement_augmentation+SRS"
) -> TriageSnapshot:
    """A triage snapshot whose only content that matters here is the eligible therapies and
    the NOMS recommendation (by default SBRT with vertebral augmentation)."""
    return TriageSnapshot.objects.create(
        case=case,
        findings={},
        report={
            "summary": {"eligible": eligible, "noms_recommendation": noms},
            "eligibility": {t: {"name": t.replace("_", " ").title()} for t in eligible},
        },
        rules_version="test",
    )
