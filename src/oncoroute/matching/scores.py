"""The points and reasons of each criterion, per the policy in `policy.RANKING_POLICY`.

A score depends on a small key (the wait in days, the languages spoken, the optional services
offered, the country, the price band), so each is built once per ranking and shared by every
clinic with that key: the ranking sums points over whole columns, and a clinic's reasons are
these same objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Context, Decimal

from .inputs import ExchangeRates, Need, Preferences
from .policy import (
    COUNTRY_MAX,
    LANGUAGE_FIRST,
    LANGUAGE_OTHER,
    OPTIONAL_MAX,
    PRICE_MAX,
    PRICE_PARTLY,
    WAITING_DAYS_TO_ZERO,
    WAITING_MAX,
)
from .results import CriterionScore, Note, NoteCode, RateUsed
from .vocabulary import SERVICE_ORDER, day_text, days_text, service_label

# Ten significant digits: exact enough for any amount a clinic quotes, short enough to print,
# and the printed rate is the one the estimate was computed with.
_RATE_CONTEXT = Context(prec=10)
_PRICE_CODES = frozenset({"price_not_published", "no_exchange_rate"})

Conversion = tuple[Decimal, tuple[RateUsed, ...]]
"""A rate into the patient's currency, and the RateUsed to report (none within one currency)."""


class Scores:
    """Every criterion score and note of one ranking, each built on first use and then shared."""

    def __init__(
        self,
        need: Need,
        preferences: Preferences,
        currencies: Iterable[str],
        rates: ExchangeRates,
        today: date,
    ) -> None:
        budget = preferences.budget
        self.currency = currency = (
            budget.currency if budget is not None else preferences.currency or rates.base
        )
        self.budget = budget.amount if budget is not None else None
        self.conversion = {source: _conversion(source, currency, rates) for source in currencies}

        # Each required entry's alternatives in vocabulary order: ties between them go to the
        # first.
        self.required = [
            tuple(sorted(alternatives, key=SERVICE_ORDER.__getitem__))
            for alternatives in need.required
        ]
        self.optional = need.optional
        # Only when two required entries share a service can one offering meet both.
        self.overlapping = len(set().union(*need.required)) < sum(map(len, need.required))
        self.countries = frozenset(preferences.countries)
        self.countries_text = ", ".join(preferences.countries)
        self.languages = preferences.languages
        self.first_language = preferences.languages[0] if preferences.languages else None

        self.today = today
        earliest = preferences.earliest_date
        self.lead = max(0, (earliest - today).days) if earliest is not None else 0
        self.from_when = "your earliest date" if self.lead else "today"

        self._waiting: dict[int, tuple[CriterionScore, date]] = {}
        self._unpublished_wait: dict[tuple[str, ...], tuple[CriterionScore, Note]] = {}
        self._optional: dict[frozenset[str], CriterionScore] = {}
        self._language: dict[str | None, CriterionScore] = {}
        self._country: dict[str, CriterionScore] = {}
        self._price_notes: dict[str, Note] = {}
        self._unpriced: dict[tuple[Note, ...], CriterionScore] = {}
        self.within_budget, self.partly_within_budget, self.over_budget = self._price_bands()
        self.nothing_to_wait_for = CriterionScore(
            "waiting", 0, WAITING_MAX, "no required services: waiting not scored"
        )
        self.nothing_to_price = CriterionScore(
            "price", 0, PRICE_MAX, "no required services: price not scored"
        )

    def _price_bands(self) -> tuple[CriterionScore, CriterionScore, CriterionScore]:
        if self.budget is None:
            no_budget = CriterionScore("price", 0, PRICE_MAX, "no budget given: price not scored")
            return no_budget, no_budget, no_budget
        budget = f"{self.budget:,} {self.currency}"
        return (
            CriterionScore(
                "price", PRICE_MAX, PRICE_MAX, f"whole estimate within budget of {budget}"
            ),
            CriterionScore(
                "price",
                PRICE_PARTLY,
                PRICE_MAX,
                f"estimate may exceed budget of {budget}: only its lower end is within it",
            ),
            CriterionScore("price", 0, PRICE_MAX, f"whole estimate over budget of {budget}"),
        )

    def unpriced(self, flags: tuple[Note, ...]) -> CriterionScore:
        """No price points, saying which prices are missing or cannot be converted."""
        key = tuple(f for f in flags if f.code in _PRICE_CODES)
        score = self._unpriced.get(key)
        if score is None:
            unpriced = "; ".join(f.message for f in key)
            score = self._unpriced[key] = CriterionScore(
                "price", 0, PRICE_MAX, f"{unpriced}: not scored"
            )
        return score

    def price_note(self, key: str, code: NoteCode) -> Note:
        """The flag for an unpublished price (`key` a service) or a missing rate (a currency)."""
        note = self._price_notes.get(key)
        if note is None:
            if code == "price_not_published":
                message = f"price not published for {service_label(key)}"
            else:
                message = f"no exchange rate from {key} to {self.currency}"
            note = self._price_notes[key] = Note(code, message)
        return note

    def unpublished_wait(self, services: tuple[str, ...]) -> tuple[CriterionScore, Note]:
        """No waiting points, and the flag, when a required service's wait is unpublished."""
        cached = self._unpublished_wait.get(services)
        if cached is None:
            message = "waiting time not published for " + ", ".join(
                service_label(s) for s in services
            )
            cached = self._unpublished_wait[services] = (
                CriterionScore("waiting", 0, WAITING_MAX, message),
                Note("waiting_not_published", message),
            )
        return cached

    def waiting(self, wait: int) -> tuple[CriterionScore, date]:
        """The waiting score for the longest published wait, and the first day all can start."""
        cached = self._waiting.get(wait)
        if cached is not None:
            return cached
        late = max(0, wait - self.lead)
        start = self.today + timedelta(days=max(wait, self.lead))
        points = max(0, WAITING_MAX - late * WAITING_MAX // WAITING_DAYS_TO_ZERO)
        if late == 0:
            reason = (
                f"can start by {self.from_when} ({day_text(start)}); "
                f"published wait {days_text(wait)}"
            )
        else:
            reason = (
                f"published wait {days_text(wait)}: starts {day_text(start)}, "
                f"{days_text(late)} after {self.from_when}"
            )
        cached = self._waiting[wait] = (
            CriterionScore("waiting", points, WAITING_MAX, reason),
            start,
        )
        return cached

    def optional_services(self, offered: frozenset[str]) -> CriterionScore:
        """Points for the share of the optional services among `offered`."""
        offered &= self.optional
        score = self._optional.get(offered)
        if score is None:
            score = self._optional[offered] = _optional_score(offered, self.optional)
        return score

    def language(self, spoken: frozenset[str]) -> CriterionScore:
        """Points for the patient's first language, or another of theirs, among `spoken`."""
        first = self.first_language
        if first is None or first in spoken:
            match = first
        else:
            match = next((code for code in self.languages if code in spoken), None)
        score = self._language.get(match)
        if score is None:
            score = self._language[match] = self._language_score(match)
        return score

    def _language_score(self, match: str | None) -> CriterionScore:
        first = self.first_language
        if first is None:
            return CriterionScore("language", 0, LANGUAGE_FIRST, "no language given")
        if match == first:
            return CriterionScore(
                "language",
                LANGUAGE_FIRST,
                LANGUAGE_FIRST,
                f"staff speak {first}, your first language",
            )
        if match is not None:
            return CriterionScore(
                "language",
                LANGUAGE_OTHER,
                LANGUAGE_FIRST,
                f"staff speak {match}, one of your languages",
            )
        return CriterionScore(
            "language",
            0,
            LANGUAGE_FIRST,
            f"staff speak none of your languages ({', '.join(self.languages)}): "
            "an interpreter is needed",
        )

    def country(self, country: str) -> CriterionScore:
        """Points for being in one of the patient's preferred countries."""
        score = self._country.get(country)
        if score is None:
            score = self._country[country] = _country_score(
                country, self.countries, self.countries_text
            )
        return score


def _conversion(source: str, target: str, rates: ExchangeRates) -> Conversion | None:
    rate = rates.rate(source, target)
    if rate is None:
        return None
    if source == target:
        return rate, ()
    rate = _RATE_CONTEXT.plus(rate)
    return rate, (RateUsed(source, target, rate, rates.as_of),)


def _optional_score(offered: frozenset[str], optional: frozenset[str]) -> CriterionScore:
    if not optional:
        return CriterionScore("optional_services", 0, OPTIONAL_MAX, "no optional services asked")
    points = OPTIONAL_MAX * len(offered) // len(optional)
    if offered:
        names = ", ".join(service_label(s) for s in sorted(offered, key=SERVICE_ORDER.__getitem__))
        reason = f"offers {len(offered)} of {len(optional)} optional services: {names}"
    else:
        reason = f"offers none of the {len(optional)} optional services"
    return CriterionScore("optional_services", points, OPTIONAL_MAX, reason)


def _country_score(country: str, preferred: frozenset[str], preferred_text: str) -> CriterionScore:
    if not preferred:
        return CriterionScore("country", 0, COUNTRY_MAX, "no country preference given")
    if country in preferred:
        return CriterionScore(
            "country", COUNTRY_MAX, COUNTRY_MAX, f"in {country}, a preferred country"
        )
    return CriterionScore(
        "country", 0, COUNTRY_MAX, f"in {country}, not a preferred country ({preferred_text})"
    )
