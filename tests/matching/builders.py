"""Small builders for hand-made clinic directories: each test says what differs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from oncoroute.matching import Accreditation, Clinic, ExchangeRates, Offering

TODAY = date(2026, 6, 1)
# 1 EUR = 1.25 USD, so 1 USD = 0.8 EUR exactly; 1 EUR = 40 TRY.
RATES = ExchangeRates(
    base="EUR", rates={"USD": Decimal("1.25"), "TRY": Decimal("40")}, as_of=date(2026, 5, 29)
)
JCI = Accreditation(
    name="JCI",
    verified_by="Registry desk (A. Kovacs)",
    register="JCI accredited organizations list",
    verified_on=date(2025, 1, 10),
    expires_on=date(2028, 1, 9),
)


def offer(
    service: str,
    price: int | None = 10_000,
    *,
    high: int | None = None,
    currency: str = "EUR",
    wait: int | None = 7,
    detail: str = "",
) -> Offering:
    """An offering priced `price` (to `high`) in `currency`; price=None means unpublished."""
    if price is None:
        return Offering(service=service, waiting_days=wait, detail=detail)
    return Offering(
        service=service,
        price_min=Decimal(price),
        price_max=Decimal(high if high is not None else price),
        currency=currency,
        waiting_days=wait,
        detail=detail,
    )


def clinic(
    clinic_id: str,
    *offerings: Offering,
    name: str | None = None,
    country: str = "DE",
    languages: tuple[str, ...] = ("en",),
    accreditations: tuple[Accreditation, ...] = (JCI,),
) -> Clinic:
    return Clinic(
        id=clinic_id,
        name=name or f"Clinic {clinic_id}",
        country=country,
        languages=languages,
        accreditations=accreditations,
        offerings=offerings,
    )
