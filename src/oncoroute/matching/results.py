"""What matching gives back: ranked clinics with their points and reasons, excluded clinics
with theirs.

Values shared between clinics (notes, criterion scores, rates) are frozen. The records made
once per clinic on every call (RankedClinic, Exclusion, PriceEstimate) are plain slotted
dataclasses: on CPython 3.11 a frozen dataclass sets each field through object.__setattr__,
which made building 10,000 of them a third of the ranking time. Treat them as read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from .inputs import Offering

NoteCode = Literal[
    "missing_service",
    "accreditation_expired",
    "accreditation_not_yet_verified",
    "no_accreditation",
    "no_valid_accreditation",
    "country_not_preferred",
    "price_not_published",
    "no_exchange_rate",
    "waiting_not_published",
]

Criterion = Literal["waiting", "price", "language", "optional_services", "country"]


@dataclass(frozen=True, slots=True)
class Note:
    """A reason for an exclusion, or a flag on a ranked clinic: a stable code and a sentence."""

    code: NoteCode
    message: str


@dataclass(frozen=True, slots=True)
class CriterionScore:
    """The points one criterion gave a clinic, out of its maximum, and why."""

    criterion: Criterion
    points: int
    max_points: int
    reason: str


@dataclass(frozen=True, slots=True)
class RateUsed:
    """One unit of `source` is `rate` units of `target`, per the rates published on `as_of`."""

    source: str
    target: str
    rate: Decimal
    as_of: date


@dataclass(slots=True)
class PriceEstimate:
    """The sum of the required services' published prices in the patient's currency, rounded to
    cents, with every conversion it used."""

    low: Decimal
    high: Decimal
    currency: str
    rates: tuple[RateUsed, ...]


@dataclass(slots=True)
class RankedClinic:
    """One clinic that passed the filters, with its points per criterion.

    `offerings` are the clinic's offerings that meet the required services, one per required
    entry; `wait_days` is the longest of their waits and `start_date` the first day all of them
    can start, no earlier than the patient's earliest date (both None if a wait is unpublished).
    """

    rank: int
    clinic_id: str
    clinic_name: str
    country: str
    total: int
    criteria: tuple[CriterionScore, ...]
    price: PriceEstimate | None
    wait_days: int | None
    start_date: date | None
    offerings: tuple[Offering, ...]
    flags: tuple[Note, ...]


@dataclass(slots=True)
class Exclusion:
    """A clinic that failed a filter, with every reason it failed."""

    clinic_id: str
    clinic_name: str
    reasons: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The ranking for one need and one set of preferences on one day.

    `ranked` is in rank order; `excluded` is ordered by clinic name, then id.
    """

    ranked: tuple[RankedClinic, ...]
    excluded: tuple[Exclusion, ...]
    currency: str
    today: date
    rates_as_of: date
    policy_version: str
