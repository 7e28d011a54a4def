"""What matching takes in: the need, the patient's preferences, the clinics and exchange rates.

Each type checks itself on construction, so bad data fails here with a clear message instead of
producing a quiet wrong ranking. A clinic carries no commercial field (fee, commission,
sponsorship): nothing a clinic pays can reach the ranking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from .vocabulary import PET_TRACERS, SERVICE_ORDER, THERAPY_TO_SERVICES, check_service

_COUNTRY = re.compile(r"[A-Z]{2}")
_LANGUAGE = re.compile(r"[a-z]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")


def _country(code: str) -> str:
    if not _COUNTRY.fullmatch(code):
        raise ValueError(f"country must be ISO 3166-1 alpha-2 in capitals, got {code!r}")
    return code


def _language(code: str) -> str:
    if not _LANGUAGE.fullmatch(code):
        raise ValueError(f"language must be ISO 639-1 in lower case, got {code!r}")
    return code


def _currency(code: str) -> str:
    if not _CURRENCY.fullmatch(code):
        raise ValueError(f"currency must be ISO 4217 in capitals, got {code!r}")
    return code


def _money(value: object, what: str) -> Decimal:
    # Floats are refused: a binary fraction is not an amount of money.
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"{what} must be a Decimal, int or str, got {type(value).__name__}")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{what} must be a finite amount ≥ 0, got {value!r}")
    return amount


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _requirement_key(requirement: frozenset[str]) -> tuple[int, ...]:
    return tuple(sorted(SERVICE_ORDER[service] for service in requirement))


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one currency."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _money(self.amount, "amount"))
        _currency(self.currency)


@dataclass(frozen=True, slots=True)
class Need:
    """The services a case needs: each required entry is an any-of set; optional ones add points.

    Required entries are deduplicated and kept in vocabulary order, so two needs naming the same
    services compare equal whatever order they were built in.
    """

    required: tuple[frozenset[str], ...] = ()
    optional: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        required = {
            frozenset(check_service(s) for s in alternatives) for alternatives in self.required
        }
        if frozenset() in required:
            raise ValueError("a required entry must name at least one service")
        object.__setattr__(self, "required", tuple(sorted(required, key=_requirement_key)))
        object.__setattr__(self, "optional", frozenset(check_service(s) for s in self.optional))

    @classmethod
    def from_therapies(cls, therapies: Iterable[str], *, optional: Iterable[str] = ()) -> Need:
        """The need for a set of clinical-core therapy ids (see THERAPY_TO_SERVICES)."""
        required = []
        for therapy in therapies:
            if therapy not in THERAPY_TO_SERVICES:
                raise ValueError(
                    f"unknown therapy {therapy!r}; known: {', '.join(THERAPY_TO_SERVICES)}"
                )
            required.append(THERAPY_TO_SERVICES[therapy])
        return cls(required=tuple(required), optional=frozenset(optional))


@dataclass(frozen=True, slots=True)
class Preferences:
    """What the patient asked for.

    `countries` (ISO 3166-1 alpha-2) and `languages` (ISO 639-1) are in the patient's order of
    preference; the first language is their own. Prices are shown in the budget's currency, else
    in `currency`, else in the exchange rates' base. `countries_strict` turns the country
    preference from a criterion into a filter.
    """

    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    budget: Money | None = None
    earliest_date: date | None = None
    currency: str | None = None
    countries_strict: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "countries", _unique(_country(c) for c in self.countries))
        object.__setattr__(self, "languages", _unique(_language(c) for c in self.languages))
        if self.currency is not None:
            _currency(self.currency)
            if self.budget is not None and self.budget.currency != self.currency:
                raise ValueError(
                    f"budget is in {self.budget.currency} but currency says {self.currency}"
                )


@dataclass(frozen=True, slots=True)
class Accreditation:
    """One accreditation, with who verified it, against which register, when, and until when."""

    name: str
    verified_by: str
    register: str
    verified_on: date
    expires_on: date

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("an accreditation needs a name")
        if not self.verified_by.strip() or not self.register.strip():
            raise ValueError(f"accreditation {self.name}: who verified it and where are required")
        if self.expires_on < self.verified_on:
            raise ValueError(f"accreditation {self.name}: expires before it was verified")

    def is_valid_on(self, day: date) -> bool:
        """Verified on or before `day` and not yet expired (valid through `expires_on`)."""
        return self.verified_on <= day <= self.expires_on


@dataclass(frozen=True, slots=True)
class Offering:
    """One service a clinic offers.

    `currency` is None when the clinic publishes no price, and then both prices are None.
    `price_max` defaults to `price_min`. `waiting_days` is None when unpublished. `detail`
    notes the device or technique (the SBRT platform, for one); `tracers` is for PET-CT.
    """

    service: str
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    currency: str | None = None
    waiting_days: int | None = None
    detail: str = ""
    tracers: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        check_service(self.service)
        if self.currency is None:
            if self.price_min is not None or self.price_max is not None:
                raise ValueError(f"{self.service}: a price needs a currency")
        else:
            _currency(self.currency)
            if self.price_min is None:
                raise ValueError(f"{self.service}: a currency needs a price")
            low = _money(self.price_min, f"{self.service} price_min")
            high = low if self.price_max is None else _money(self.price_max, "price_max")
            if high < low:
                raise ValueError(f"{self.service}: price_max is below price_min")
            object.__setattr__(self, "price_min", low)
            object.__setattr__(self, "price_max", high)
        if self.waiting_days is not None and (
            isinstance(self.waiting_days, bool) or self.waiting_days < 0
        ):
            raise ValueError(f"{self.service}: waiting_days must be ≥ 0")
        tracers = frozenset(self.tracers)
        if tracers and self.service != "pet_ct":
            raise ValueError(f"{self.service}: only a PET-CT offering lists tracers")
        if unknown := tracers - PET_TRACERS:
            raise ValueError(f"unknown PET tracer(s): {', '.join(sorted(unknown))}")
        object.__setattr__(self, "tracers", tracers)

    @property
    def price_published(self) -> bool:
        """Whether the clinic published a price for this service."""
        return self.currency is not None


@dataclass(frozen=True, slots=True)
class Clinic:
    """A clinic as matching sees it: where it is, who speaks what, what it is accredited for,
    what it offers. Deliberately nothing commercial."""

    id: str
    name: str
    country: str
    languages: tuple[str, ...] = ()
    accreditations: tuple[Accreditation, ...] = ()
    offerings: tuple[Offering, ...] = ()

    def __post_init__(self) -> None:
        if not self.id or not self.name.strip():
            raise ValueError("a clinic needs an id and a name")
        _country(self.country)
        object.__setattr__(self, "languages", _unique(_language(c) for c in self.languages))
        object.__setattr__(self, "accreditations", tuple(self.accreditations))
        object.__setattr__(self, "offerings", tuple(self.offerings))
        services = [offering.service for offering in self.offerings]
        if len(set(services)) != len(services):
            raise ValueError(f"clinic {self.id}: one offering per service")


@dataclass(frozen=True, slots=True)
class ExchangeRates:
    """Units of each currency for one unit of `base`, as published on `as_of`."""

    base: str
    rates: Mapping[str, Decimal]
    as_of: date

    def __post_init__(self) -> None:
        _currency(self.base)
        rates = {_currency(code): _money(rate, f"rate {code}") for code, rate in self.rates.items()}
        if any(rate == 0 for rate in rates.values()):
            raise ValueError("an exchange rate cannot be zero")
        rates.setdefault(self.base, Decimal(1))
        if rates[self.base] != 1:
            raise ValueError(f"the base {self.base} must have rate 1")
        object.__setattr__(self, "rates", MappingProxyType(rates))

    def rate(self, source: str, target: str) -> Decimal | None:
        """Units of `target` for one unit of `source`, or None without a rate for either."""
        if source == target:
            return Decimal(1)
        source_rate = self.rates.get(source)
        target_rate = self.rates.get(target)
        if source_rate is None or target_rate is None:
            return None
        return target_rate / source_rate
