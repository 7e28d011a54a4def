"""Reads on the directory: the public listing, one clinic, the directory as matching sees it,
exchange rates, a case's need and preferences, the ranking for a case, and a clinic's open days."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Context, Decimal
from types import MappingProxyType
from uuid import UUID

import holidays
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import get_language, gettext

from oncoroute import matching
from oncoroute.cases.models import Case
from oncoroute.clinics.labels import service_label_text
from oncoroute.clinics.models import (
    Accreditation,
    Clinic,
    ClinicClosure,
    Doctor,
    ExchangeRate,
    Offering,
    Shortlist,
)
from oncoroute.clinics.revision import directory_revision
from oncoroute.matching.vocabulary import SERVICE_ORDER
from oncoroute.triage.models import TriageSnapshot
from oncoroute.triage.report import StoredTriage

# A patient's usual currency by country, for showing prices; coordinators can pick another.
COUNTRY_CURRENCY = {
    "GB": "GBP",
    "IL": "ILS",
    "KR": "KRW",
    "KZ": "KZT",
    "RU": "RUB",
    "TR": "TRY",
    "US": "USD",
}
DEFAULT_CURRENCY = "EUR"
# Six significant digits are plenty to let a reader check a conversion.
_SHOWN_RATE = Context(prec=6)


def public_directory(*, country: str = "", service: str = "") -> QuerySet[Clinic]:
    """Published clinics, optionally in one country or offering one service, with everything
    their cards show."""
    clinics = Clinic.objects.filter(published=True).prefetch_related("accreditations", "offerings")
    if country:
        clinics = clinics.filter(country=country)
    if service:
        clinics = clinics.filter(offerings__service=service)
    return clinics.distinct()


def directory_countries() -> list[str]:
    """The countries that have a published clinic: the directory's country filter."""
    return sorted(
        {str(c) for c in Clinic.objects.filter(published=True).values_list("country", flat=True)}
    )


@dataclass(frozen=True)
class CardFigures:
    """A directory card's published price range and waits (current prices only)."""

    low: Decimal | None
    high: Decimal | None
    currency: str
    wait_min: int | None
    wait_max: int | None


def card_figures(clinic: Clinic, *, service: str, today: date) -> CardFigures:
    """The range of the clinic's current published prices (one currency, else none) and of its
    waits, over the filtered service or every service (prefetched offerings)."""
    offerings = [o for o in clinic.offerings.all() if not service or o.service == service]
    priced = [o for o in offerings if o.price_current_on(today)]
    currencies = {o.currency for o in priced}
    waits = [o.waiting_days for o in offerings if o.waiting_days is not None]
    low: Decimal | None = None
    high: Decimal | None = None
    currency = ""
    if len(currencies) == 1:
        low = min(o.price_min for o in priced if o.price_min is not None)
        high = max(o.price_max for o in priced if o.price_max is not None)
        currency = currencies.pop()
    return CardFigures(
        low=low,
        high=high,
        currency=currency,
        wait_min=min(waits) if waits else None,
        wait_max=max(waits) if waits else None,
    )


def clinic_public(*, slug: str) -> Clinic:
    """One published clinic with its credentials, departments, doctors and offerings."""
    clinics = Clinic.objects.filter(published=True).prefetch_related(
        "accreditations",
        "offerings",
        Prefetch("doctors", queryset=Doctor.objects.select_related("department")),
    )
    try:
        return clinics.get(slug=slug)
    except Clinic.DoesNotExist:
        raise Http404("No such clinic.") from None


def clinics_by_slug(*, slugs: Iterable[str]) -> list[Clinic]:
    """Published clinics in the order of `slugs`, skipping unknown ones."""
    wanted = list(dict.fromkeys(slugs))
    clinics = Clinic.objects.filter(published=True, slug__in=wanted).prefetch_related(
        "accreditations",
        "offerings",
        Prefetch("doctors", queryset=Doctor.objects.select_related("department")),
    )
    found = {clinic.slug: clinic for clinic in clinics}
    return [found[slug] for slug in wanted if slug in found]


def _core_accreditation(accreditation: Accreditation) -> matching.Accreditation:
    return matching.Accreditation(
        name=accreditation.name,
        verified_by=accreditation.verified_by,
        register=accreditation.register,
        verified_on=accreditation.verified_on,
        expires_on=accreditation.expires_on,
    )


def _core_offering(offering: Offering, today: date) -> matching.Offering:
    # A price past its valid-until date is no longer published: matching must not use it.
    priced = offering.price_current_on(today)
    return matching.Offering(
        service=offering.service,
        price_min=offering.price_min if priced else None,
        price_max=offering.price_max if priced else None,
        currency=offering.currency if priced else None,
        waiting_days=offering.waiting_days,
        detail=offering.detail,
        tracers=frozenset(offering.tracers),
    )


def core_clinic(clinic: Clinic, *, today: date) -> matching.Clinic:
    """A clinic as the matching core sees it. The commercial relationship stays behind."""
    return matching.Clinic(
        id=clinic.slug,
        name=clinic.name,
        country=str(clinic.country),
        languages=tuple(clinic.languages),
        accreditations=tuple(_core_accreditation(a) for a in clinic.accreditations.all()),
        offerings=tuple(_core_offering(o, today) for o in clinic.offerings.all()),
    )


def directory_for_matching(*, today: date) -> list[matching.Clinic]:
    """Every published clinic as core `Clinic` objects, in three queries however many."""
    clinics = Clinic.objects.filter(published=True).prefetch_related("accreditations", "offerings")
    return [core_clinic(clinic, today=today) for clinic in clinics]


_prepared: dict[tuple[UUID | None, date], matching.PreparedDirectory] = {}
_preparing = threading.Lock()


def forget_prepared_directory() -> None:
    """Drop this process's prepared directory: the next ranking reads the directory again."""
    with _preparing:
        _prepared.clear()


def prepared_directory(*, today: date) -> matching.PreparedDirectory:
    """The published directory prepared for matching, loaded and indexed again only when it
    has changed (see `revision`) or the day has (prices and accreditations expire) since this
    process last prepared it. One query when it has not."""
    key = (directory_revision(), today)
    with _preparing:  # one request loads it; the others wait for it instead of loading too
        directory = _prepared.get(key)
        if directory is None:
            directory = matching.prepare_clinics(directory_for_matching(today=today))
            _prepared.clear()
            _prepared[key] = directory
        return directory


def exchange_rates_latest() -> matching.ExchangeRates | None:
    """The most recent day's rates against their base, or None if none are stored."""
    latest = ExchangeRate.objects.order_by("-as_of", "base").first()
    if latest is None:
        return None
    rows = ExchangeRate.objects.filter(base=latest.base, as_of=latest.as_of)
    return matching.ExchangeRates(
        base=latest.base, rates={row.currency: row.rate for row in rows}, as_of=latest.as_of
    )


def exchange_rates_source() -> str:
    latest = ExchangeRate.objects.order_by("-as_of").first()
    return latest.source if latest else ""


def triage_therapies(*, snapshot: TriageSnapshot | None) -> list[tuple[str, str]]:
    """The eligible therapies of a triage that a clinic service can deliver, with names."""
    if snapshot is None:
        return []
    report = StoredTriage.from_stored(snapshot.report)
    return [
        (therapy, report.therapy_name(therapy))
        for therapy in report.summary.eligible
        if therapy in matching.THERAPY_TO_SERVICES
    ]


# The therapies each NOMS pathway is made of: where matching starts, before the coordinator
# adds or removes any. Eligible therapies are alternatives, not one plan.
NOMS_THERAPIES: dict[str, tuple[str, ...]] = {
    "cEBRT": ("cebrt",),
    "SRS": ("sbrt",),
    "palliative_cEBRT": ("cebrt",),
    "observation_systemic_therapy": (),
    "separation_surgery+SRS": ("surgical_decompression", "sbrt"),
    "decompressive_surgery+cEBRT": ("surgical_decompression", "cebrt"),
    "cement_augmentation+cEBRT": ("vertebral_augmentation", "cebrt"),
    "cement_augmentation+SRS": ("vertebral_augmentation", "sbrt"),
    "surgical_stabilization+cEBRT": ("surgical_stabilization", "cebrt"),
    "surgical_stabilization+SRS": ("surgical_stabilization", "sbrt"),
}


def triage_plan_therapies(*, snapshot: TriageSnapshot | None) -> tuple[str, ...]:
    """The eligible therapies that make up the triage's NOMS recommendation: the services
    matching starts from. Empty without a recommendation: the coordinator ticks them."""
    if snapshot is None:
        return ()
    summary = StoredTriage.from_stored(snapshot.report).summary
    eligible = set(summary.eligible) & set(matching.THERAPY_TO_SERVICES)
    pathway = NOMS_THERAPIES.get(summary.noms_recommendation or "", ())
    return tuple(therapy for therapy in pathway if therapy in eligible)


def patient_currency(*, case: Case) -> str:
    return COUNTRY_CURRENCY.get(str(case.country), DEFAULT_CURRENCY)


def case_languages(*, case: Case) -> tuple[str, ...]:
    """The patient's language as ISO 639-1 ('pt-br' → 'pt'), English as a second choice."""
    own = case.language.split("-")[0].lower()
    codes = [own] if len(own) == 2 and own.isalpha() else []
    return tuple(dict.fromkeys([*codes, "en"]))


@dataclass(frozen=True)
class MatchRequest:
    """What a coordinator asks matching for a case: therapies or services, and a budget."""

    therapies: tuple[str, ...] = ()
    required_services: tuple[str, ...] = ()
    optional_services: tuple[str, ...] = ()
    budget: Decimal | None = None
    currency: str = ""
    countries: tuple[str, ...] = ()

    def need(self) -> matching.Need:
        if self.therapies:
            return matching.Need.from_therapies(self.therapies, optional=self.optional_services)
        return matching.Need(
            required=tuple(frozenset({s}) for s in self.required_services),
            optional=frozenset(self.optional_services),
        )


def case_preferences(*, case: Case, request: MatchRequest) -> matching.Preferences:
    """The case's countries and language, with the budget and currency the coordinator typed."""
    currency = request.currency or patient_currency(case=case)
    budget = matching.Money(request.budget, currency) if request.budget is not None else None
    countries = request.countries or tuple(case.preferred_countries)
    return matching.Preferences(
        countries=tuple(c for c in countries if len(c) == 2),
        languages=case_languages(case=case),
        budget=budget,
        currency=currency,
    )


class NoExchangeRates(Exception):
    """No exchange rates are stored, so prices cannot be compared."""


def case_clinic_matches(*, case: Case, request: MatchRequest, today: date) -> matching.MatchResult:
    """The published directory ranked for a case, with every reason."""
    rates = exchange_rates_latest()
    if rates is None:
        raise NoExchangeRates(gettext("No exchange rates are stored; load them first."))
    return matching.rank_clinics(
        request.need(),
        case_preferences(case=case, request=request),
        prepared_directory(today=today),
        rates=rates,
        today=today,
    )


def case_shortlists(*, case: Case) -> QuerySet[Shortlist]:
    """Every shortlist saved on the case, newest first, with its clinics."""
    return case.shortlists.select_related("saved_by").prefetch_related("items__clinic")


@dataclass(frozen=True)
class PriceShown:
    """A published price in the clinic's currency, and in the patient's when a rate exists."""

    low: Decimal
    high: Decimal
    currency: str
    converted_low: Decimal | None
    converted_high: Decimal | None
    target: str
    rate: Decimal | None
    rates_as_of: date | None


@dataclass(frozen=True)
class ServiceCell:
    """What one clinic says about one service on the comparison."""

    offering: Offering | None
    price: PriceShown | None
    price_expired: bool


@dataclass(frozen=True)
class ServiceRow:
    """One service across the compared clinics; `alternatives` would meet the same need."""

    service: str
    label: str
    needed: bool
    cells: list[ServiceCell]
    alternatives: tuple[str, ...] = ()


def price_shown(
    offering: Offering, *, currency: str, rates: matching.ExchangeRates | None, today: date
) -> PriceShown | None:
    """The offering's price with its conversion, or None if unpublished or past valid-until."""
    if not offering.price_current_on(today):
        return None
    assert offering.price_min is not None and offering.price_max is not None  # noqa: S101 (published)
    rate = rates.rate(offering.currency, currency) if rates is not None else None
    return PriceShown(
        low=offering.price_min,
        high=offering.price_max,
        currency=offering.currency,
        converted_low=(offering.price_min * rate).quantize(Decimal(1)) if rate else None,
        converted_high=(offering.price_max * rate).quantize(Decimal(1)) if rate else None,
        target=currency,
        rate=_SHOWN_RATE.plus(rate) if rate is not None else None,
        rates_as_of=rates.as_of if rates is not None else None,
    )


def service_rows(
    clinics: list[Clinic],
    *,
    needed: frozenset[str],
    currency: str,
    rates: matching.ExchangeRates | None,
    today: date,
    any_of: tuple[frozenset[str], ...] = (),
) -> list[ServiceRow]:
    """One row per service any of the clinics offers, needed services first, in vocabulary
    order; each cell is that clinic's offering, price and wait."""
    offers = [{o.service: o for o in clinic.offerings.all()} for clinic in clinics]
    offered = {service for offer in offers for service in offer} | needed
    ordered = sorted(offered, key=lambda s: (s not in needed, SERVICE_ORDER[s]))
    rows = []
    for service in ordered:
        cells = []
        for offer in offers:
            offering = offer.get(service)
            shown = (
                price_shown(offering, currency=currency, rates=rates, today=today)
                if offering
                else None
            )
            expired = bool(offering and offering.price_published and shown is None)
            cells.append(ServiceCell(offering, shown, expired))
        others = [s for entry in any_of if service in entry for s in sorted(entry - {service})]
        label = service_label_text(service)
        rows.append(ServiceRow(service, label, service in needed, cells, tuple(others)))
    return rows


def demo_slugs() -> set[str]:
    """Slugs of the clinics whose figures are invented for the demo."""
    return set(Clinic.objects.filter(demo_figures=True).values_list("slug", flat=True))


@dataclass(frozen=True)
class ClinicOpenDays:
    """When a clinic sees patients in a date range: its working weekdays (Monday=0 … Sunday=6)
    and the dates it is closed on, its own closures and its country's public holidays."""

    working_days: tuple[int, ...]
    closed_dates: tuple[date, ...]
    reasons: Mapping[date, str] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )

    def closed_reason(self, day: date) -> str | None:
        """Why the clinic is closed on `day` (the holiday's name, the closure's reason), or None
        when `day` is not a closed date of the range asked for."""
        return self.reasons.get(day)


def _holiday_language(supported: Iterable[str]) -> str | None:
    """The active language if the country's holiday names come in it, else US English."""
    active = (get_language() or "en").replace("-", "_")
    language, _, region = active.partition("_")
    wanted = f"{language}_{region.upper()}" if region else language
    for candidate in (wanted, language, "en_US"):
        if candidate in supported:
            return candidate
    return None


def _public_holidays(country: str, *, start: date, end: date) -> dict[date, str]:
    # holidays 0.108 knows every country django-countries lists; a newer list may add one first.
    if country not in holidays.list_supported_countries():
        return {}
    calendar = holidays.country_holidays(country)
    language = _holiday_language(calendar.supported_languages)
    calendar = holidays.country_holidays(
        country, years=range(start.year, end.year + 1), language=language
    )
    return {day: name for day, name in calendar.items() if start <= day <= end}


def clinic_open_days(clinic: Clinic, *, start: date, end: date) -> ClinicOpenDays:
    """The clinic's working weekdays and its closed dates between `start` and `end` inclusive:
    its own closures and its country's public holidays (from the `holidays` library, named in
    the active language when the library has it, else in English). One query."""
    reasons: dict[date, list[str]] = {}
    for day, name in _public_holidays(str(clinic.country), start=start, end=end).items():
        reasons.setdefault(day, []).append(name)
    closures = ClinicClosure.objects.filter(clinic=clinic, date__range=(start, end))
    for day, reason in closures.values_list("date", "reason"):
        reasons.setdefault(day, []).append(reason)
    return ClinicOpenDays(
        working_days=tuple(sorted(clinic.working_days)),
        closed_dates=tuple(sorted(reasons)),
        reasons=MappingProxyType({day: "; ".join(names) for day, names in reasons.items()}),
    )
