"""Filter and rank clinics for one need, per the policy in `policy.RANKING_POLICY`.

The work that does not depend on the case (which services each clinic offers, its languages,
its accreditation windows) is done once in `prepare_clinics`; `rank_clinics` then makes a single
pass over the directory. Scores whose reason does not depend on the clinic are built once per
call and shared, which is most of what keeps a 10,000-clinic ranking fast.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Context, Decimal
from operator import itemgetter

from .inputs import Clinic, ExchangeRates, Need, Offering, Preferences
from .policy import (
    COUNTRY_MAX,
    LANGUAGE_FIRST,
    LANGUAGE_OTHER,
    OPTIONAL_MAX,
    POLICY_VERSION,
    PRICE_MAX,
    PRICE_PARTLY,
    WAITING_DAYS_TO_ZERO,
    WAITING_MAX,
)
from .results import (
    CriterionScore,
    Exclusion,
    MatchResult,
    Note,
    NoteCode,
    PriceEstimate,
    RankedClinic,
    RateUsed,
)
from .vocabulary import SERVICE_ORDER, service_label

_CENT = Decimal("0.01")
# Ten significant digits: exact enough for any amount a clinic quotes, short enough to print,
# and the printed rate is the one the estimate was computed with.
_RATE_CONTEXT = Context(prec=10)
_ZERO = Decimal(0)
_PRICE_CODES = frozenset({"price_not_published", "no_exchange_rate"})
_NO_ACCREDITATION = Note("no_accreditation", "no accreditation on file")


class _Entry:
    """One clinic with what matching looks up in it, computed once."""

    __slots__ = (
        "accreditation_notes",
        "accreditations",
        "all_valid_from",
        "all_valid_until",
        "clinic",
        "country",
        "id",
        "languages",
        "name",
        "offer",
        "services",
        "sort_name",
    )

    def __init__(self, clinic: Clinic) -> None:
        self.clinic = clinic
        self.id = clinic.id
        self.name = clinic.name
        self.sort_name = clinic.name.casefold()
        self.country = clinic.country
        self.offer = {offering.service: offering for offering in clinic.offerings}
        self.services = frozenset(self.offer)
        self.languages = frozenset(clinic.languages)
        self.accreditations = clinic.accreditations
        # Inside this window every accreditation is valid, so the usual case is two comparisons;
        # without accreditations the window is empty.
        self.all_valid_from = max((a.verified_on for a in clinic.accreditations), default=date.max)
        self.all_valid_until = min((a.expires_on for a in clinic.accreditations), default=date.min)
        # What to say about each accreditation if it does not count: the words do not depend
        # on the day, only whether they apply does.
        self.accreditation_notes = tuple(
            (
                a.verified_on,
                a.expires_on,
                Note(
                    "accreditation_expired",
                    f"accreditation {a.name} expired on {a.expires_on.isoformat()}",
                ),
                Note(
                    "accreditation_not_yet_verified",
                    f"accreditation {a.name} is dated {a.verified_on.isoformat()}, after today",
                ),
            )
            for a in clinic.accreditations
        )


class PreparedDirectory:
    """Clinics indexed for repeated ranking; build it with `prepare_clinics`.

    Entries are in name-then-id order, and the indexes hold entry positions: which clinics offer
    each service, which are in each country, and the accreditation windows sorted by date, so
    that filtering is set arithmetic rather than a Python loop over every clinic.
    """

    __slots__ = (
        "_by_country",
        "_by_service",
        "_currencies",
        "_entries",
        "_from_dates",
        "_from_positions",
        "_positions",
        "_until_dates",
        "_until_positions",
    )

    def __init__(self, entries: list[_Entry]) -> None:
        entries.sort(key=lambda entry: (entry.sort_name, entry.id))
        self._entries = tuple(entries)
        self._positions = frozenset(range(len(entries)))
        by_service: dict[str, set[int]] = {}
        by_country: dict[str, set[int]] = {}
        currencies: set[str] = set()
        for position, entry in enumerate(entries):
            for service, offering in entry.offer.items():
                by_service.setdefault(service, set()).add(position)
                if offering.currency is not None:
                    currencies.add(offering.currency)
            by_country.setdefault(entry.country, set()).add(position)
        self._by_service = {service: frozenset(found) for service, found in by_service.items()}
        self._by_country = {country: frozenset(found) for country, found in by_country.items()}
        self._currencies = frozenset(currencies)
        # A clinic needs a closer look on a given day only if that day falls outside the window
        # in which all its accreditations are valid: before its latest verification or after
        # its earliest expiry. Sorted dates find those clinics by bisection.
        by_until = sorted((entry.all_valid_until, p) for p, entry in enumerate(entries))
        by_from = sorted((entry.all_valid_from, p) for p, entry in enumerate(entries))
        self._until_dates = [day for day, _ in by_until]
        self._until_positions = [p for _, p in by_until]
        self._from_dates = [day for day, _ in by_from]
        self._from_positions = [p for _, p in by_from]

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def clinics(self) -> tuple[Clinic, ...]:
        """The clinics, ordered by name then id."""
        return tuple(entry.clinic for entry in self._entries)

    def _offering(self, alternatives: frozenset[str]) -> frozenset[int]:
        """Positions of the clinics offering at least one of `alternatives`."""
        empty: frozenset[int] = frozenset()
        return empty.union(*(self._by_service.get(s, empty) for s in alternatives))

    def _in_countries(self, countries: Iterable[str]) -> frozenset[int]:
        empty: frozenset[int] = frozenset()
        return empty.union(*(self._by_country.get(c, empty) for c in countries))

    def _accreditation_suspects(self, today: date) -> set[int]:
        """Positions of the clinics with at least one accreditation not valid on `today`, or
        none at all."""
        expired = bisect_left(self._until_dates, today)
        not_yet = bisect_right(self._from_dates, today)
        suspects = set(self._until_positions[:expired])
        suspects.update(self._from_positions[not_yet:])
        return suspects


def prepare_clinics(clinics: Iterable[Clinic]) -> PreparedDirectory:
    """Index clinics once so that ranking many cases against them is fast."""
    entries: list[_Entry] = []
    seen: set[str] = set()
    for clinic in clinics:
        if clinic.id in seen:
            raise ValueError(f"clinic id {clinic.id!r} appears twice")
        seen.add(clinic.id)
        entries.append(_Entry(clinic))
    return PreparedDirectory(entries)


def _accreditation_notes(entry: _Entry, today: date) -> list[Note]:
    """A note for each accreditation that does not count today (one if there are none)."""
    if not entry.accreditation_notes:
        return [_NO_ACCREDITATION]
    notes: list[Note] = []
    for verified_on, expires_on, expired, not_yet_verified in entry.accreditation_notes:
        if expires_on < today:
            notes.append(expired)
        elif verified_on > today:
            notes.append(not_yet_verified)
    return notes


def _any_of(services: Iterable[str]) -> str:
    labels = [service_label(s) for s in sorted(services, key=SERVICE_ORDER.__getitem__)]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


# A scored clinic: the tie-break key first (so rows sort as they are), then what the result
# needs.
_Row = tuple[
    int,  # minus the total: more points first
    int,  # 0 if the wait is published
    int,  # the wait in days
    int,  # 0 if the price estimate is known
    Decimal,  # the upper price estimate
    str,  # the name, case-folded
    str,  # the id
    _Entry,
    tuple[CriterionScore, ...],
    PriceEstimate | None,
    date | None,  # start date
    tuple[Offering, ...],
    tuple[Note, ...],
]


def rank_clinics(
    need: Need,
    preferences: Preferences,
    clinics: PreparedDirectory | Iterable[Clinic],
    *,
    rates: ExchangeRates,
    today: date,
    require_accreditation: bool = True,
) -> MatchResult:
    """Filter and rank clinics for a need and a patient's preferences, with every reason.

    `today` decides which accreditations are valid and when waiting starts; the clock is never
    read here. With `require_accreditation=False` a clinic without a valid accreditation is
    ranked and flagged instead of excluded (for a coordinator's review, never for the public
    directory).
    """
    directory = clinics if isinstance(clinics, PreparedDirectory) else prepare_clinics(clinics)
    entries = directory._entries
    everyone = directory._positions

    # Filter 1, required services. Clinics missing the same required entries share one tuple
    # of reasons: split the clinics once per required entry.
    groups: list[tuple[tuple[Note, ...], frozenset[int]]] = [((), everyone)]
    for alternatives in need.required:
        offering = directory._offering(alternatives)
        note = Note("missing_service", f"does not offer {_any_of(alternatives)}")
        split: list[tuple[tuple[Note, ...], frozenset[int]]] = []
        for notes, members in groups:
            if has := members & offering:
                split.append((notes, has))
            if lacks := members - offering:
                split.append(((*notes, note), lacks))
        groups = split
    reasons: dict[int, tuple[Note, ...]] = {}
    for notes, members in groups:
        if notes:
            reasons.update(dict.fromkeys(members, notes))

    # Filter 2, accreditation: only clinics outside their all-valid window need a look.
    flags: dict[int, list[Note]] = {}
    no_valid_accreditation = Note("no_valid_accreditation", "no valid accreditation")
    for position in directory._accreditation_suspects(today):
        entry = entries[position]
        notes_today = _accreditation_notes(entry, today)
        if len(notes_today) < len(entry.accreditations):
            flags[position] = notes_today  # another is valid: say which ones do not count
        elif require_accreditation:
            reasons[position] = reasons.get(position, ()) + tuple(notes_today)
        else:
            flags[position] = [no_valid_accreditation, *notes_today]

    # Filter 3, only when asked: preferred countries.
    if preferences.countries_strict and preferences.countries:
        country_note = Note(
            "country_not_preferred",
            f"not in preferred countries ({', '.join(preferences.countries)})",
        )
        for position in everyone - directory._in_countries(preferences.countries):
            reasons[position] = (*reasons.get(position, ()), country_note)

    excluded = tuple(
        Exclusion(entries[position].id, entries[position].name, reasons[position])
        for position in sorted(reasons)
    )

    scorer = _Scorer(need, preferences, directory._currencies, rates, today)
    rows = scorer.score_all(entries, everyone.difference(reasons), flags)
    rows.sort()
    ranked = tuple(
        RankedClinic(
            rank,
            entry.id,
            entry.name,
            entry.country,
            -minus_total,
            criteria,
            estimate,
            None if unpublished_wait else wait_days,
            start,
            offerings,
            row_flags,
        )
        for rank, (
            minus_total,
            unpublished_wait,
            wait_days,
            _,
            _,
            _,
            _,
            entry,
            criteria,
            estimate,
            start,
            offerings,
            row_flags,
        ) in enumerate(rows, start=1)
    )
    return MatchResult(
        ranked=ranked,
        excluded=excluded,
        currency=scorer.currency,
        today=today,
        rates_as_of=rates.as_of,
        policy_version=POLICY_VERSION,
    )


class _Scorer:
    """The points of one clinic that passed the filters, for one call.

    Every score whose reason depends only on a small key (the wait in days, the language
    matched, the optional services offered, the country, the price band) is built once per call
    and shared between clinics.
    """

    def __init__(
        self,
        need: Need,
        preferences: Preferences,
        currencies: frozenset[str],
        rates: ExchangeRates,
        today: date,
    ) -> None:
        budget = preferences.budget
        self.currency = currency = (
            budget.currency if budget is not None else preferences.currency or rates.base
        )
        self.budget = budget.amount if budget is not None else None

        # Per source currency: the rate into the patient's currency and how to report it.
        self.conversion: dict[str, tuple[Decimal, tuple[RateUsed, ...]] | None] = {}
        for source in currencies | {currency}:
            rate = rates.rate(source, currency)
            if rate is None:
                self.conversion[source] = None
            elif source == currency:
                self.conversion[source] = (rate, ())
            else:
                rate = _RATE_CONTEXT.plus(rate)
                self.conversion[source] = (rate, (RateUsed(source, currency, rate, rates.as_of),))

        # Each required entry's alternatives in vocabulary order: ties between them go to the
        # first.
        self.required = [
            tuple(sorted(alternatives, key=SERVICE_ORDER.__getitem__))
            for alternatives in need.required
        ]
        self.optional = need.optional
        # Only when two required entries share a service can one offering meet both.
        self.overlapping = len(set().union(*need.required)) < sum(map(len, need.required))
        self.country_set = frozenset(preferences.countries)
        self.countries_text = ", ".join(preferences.countries)
        self.languages = preferences.languages
        self.first_language = preferences.languages[0] if preferences.languages else None

        self.today = today
        earliest = preferences.earliest_date
        self.lead = max(0, (earliest - today).days) if earliest is not None else 0
        self.from_when = "your earliest date" if self.lead else "today"

        self.waiting_scores: dict[int, tuple[CriterionScore, date]] = {}
        self.unpublished_wait: dict[tuple[str, ...], tuple[CriterionScore, Note]] = {}
        self.optional_scores: dict[frozenset[str], CriterionScore] = {}
        self.language_scores: dict[str | None, CriterionScore] = {}
        self.country_scores: dict[str, CriterionScore] = {}
        self.price_notes: dict[str, Note] = {}
        self.unpriced_scores: dict[tuple[Note, ...], CriterionScore] = {}
        self.price_scores = self._price_scores()
        self.nothing_to_wait_for = CriterionScore(
            "waiting", 0, WAITING_MAX, "no required services: waiting not scored"
        )
        self.nothing_to_price = CriterionScore(
            "price", 0, PRICE_MAX, "no required services: price not scored"
        )

    def _price_scores(self) -> tuple[CriterionScore, CriterionScore, CriterionScore]:
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

    def choose(self, offer: dict[str, Offering]) -> tuple[Offering, ...]:
        """The offering that meets each required entry, each offering once."""
        chosen: list[Offering] = []
        for alternatives in self.required:
            if len(alternatives) == 1:
                best = offer[alternatives[0]]
            else:
                # Most clinics offer one of the alternatives: then there is nothing to compare.
                present = [offer[service] for service in alternatives if service in offer]
                if not present:  # cannot happen: the filter let only complete clinics through
                    raise LookupError("a clinic missing a required service reached scoring")
                best = present[0]
                for candidate in present[1:]:
                    if self._better(candidate, best):
                        best = candidate
            if not self.overlapping or all(offering is not best for offering in chosen):
                chosen.append(best)
        return tuple(chosen)

    def _better(self, candidate: Offering, best: Offering) -> bool:
        """Shorter published wait, then lower upper price in the patient's currency;
        unpublished values lose."""
        wait, best_wait = candidate.waiting_days, best.waiting_days
        if wait != best_wait:
            return best_wait is None or (wait is not None and wait < best_wait)
        price, best_price = self._upper_price(candidate), self._upper_price(best)
        if price is None:
            return False
        return best_price is None or price < best_price

    def _upper_price(self, offering: Offering) -> Decimal | None:
        if offering.currency is None or offering.price_max is None:
            return None
        converted = self.conversion[offering.currency]
        return None if converted is None else offering.price_max * converted[0]

    def score_all(
        self, entries: tuple[_Entry, ...], positions: Iterable[int], flags: dict[int, list[Note]]
    ) -> list[_Row]:
        """Points per criterion for each clinic that passed the filters; `flags` holds the
        accreditation notes of some of them. This is the hot loop: locals are bound once and
        every shared score comes from a cache."""
        required = self.required
        # With no any-of entry (the usual case) one C call picks every offering.
        pick: Callable[[dict[str, Offering]], tuple[Offering, ...]] | None = None
        if all(len(alternatives) == 1 for alternatives in required):
            pick = _picker(tuple(alternatives[0] for alternatives in required))
        conversion = self.conversion
        waiting_scores = self.waiting_scores
        optional = self.optional
        optional_scores = self.optional_scores
        country_scores = self.country_scores
        first_language = self.first_language
        first_language_score = self._language_score(frozenset({first_language or ""}))
        language_by_spoken: dict[frozenset[str], CriterionScore] = {}
        optional_by_services: dict[frozenset[str], CriterionScore] = {}
        within, partly, over = self.price_scores
        budget = self.budget
        currency = self.currency
        nothing_required = not required

        rows: list[_Row] = []
        for position in positions:
            entry = entries[position]
            offer = entry.offer
            clinic_flags = flags.get(position)
            chosen = pick(offer) if pick is not None else self.choose(offer)

            wait = 0
            unpublished_wait: list[str] | None = None
            low = high = _ZERO
            rates_used: tuple[RateUsed, ...] = ()
            price_ok = True
            for offering in chosen:
                days = offering.waiting_days
                if days is None:
                    if unpublished_wait is None:
                        unpublished_wait = []
                    unpublished_wait.append(offering.service)
                elif days > wait:
                    wait = days
                source = offering.currency
                if source is None or offering.price_min is None or offering.price_max is None:
                    price_ok = False
                    if clinic_flags is None:
                        clinic_flags = []
                    clinic_flags.append(self._price_note(offering.service, "price_not_published"))
                    continue
                converted = conversion[source]
                if converted is None:
                    price_ok = False
                    note = self._price_note(source, "no_exchange_rate")
                    if clinic_flags is None:
                        clinic_flags = []
                    if note not in clinic_flags:
                        clinic_flags.append(note)
                    continue
                rate, used = converted
                if used:
                    low += offering.price_min * rate
                    high += offering.price_max * rate
                    if used[0] not in rates_used:
                        rates_used += used
                else:  # already in the patient's currency
                    low += offering.price_min
                    high += offering.price_max

            wait_days: int | None = None
            start: date | None = None
            if nothing_required:
                waiting_score = self.nothing_to_wait_for
            elif unpublished_wait is not None:
                waiting_score, note = self._unpublished_wait(tuple(unpublished_wait))
                if clinic_flags is None:
                    clinic_flags = []
                clinic_flags.append(note)
            else:
                cached = waiting_scores.get(wait)
                if cached is None:
                    cached = waiting_scores[wait] = self._waiting_score(wait)
                waiting_score, start = cached
                wait_days = wait

            estimate: PriceEstimate | None = None
            if nothing_required:
                price_score = self.nothing_to_price
            elif not price_ok:
                price_score = self._unpriced_score(clinic_flags or [])
            else:
                if len(rates_used) > 1:
                    rates_used = tuple(sorted(rates_used, key=_rate_source))
                low = low.quantize(_CENT)
                high = high.quantize(_CENT)
                estimate = PriceEstimate(low, high, currency, rates_used)
                if budget is None or high <= budget:
                    price_score = within
                elif low <= budget:
                    price_score = partly
                else:
                    price_score = over

            # Keyed by the clinic's own frozensets, whose hashes Python keeps once computed.
            spoken = entry.languages
            if first_language is not None and first_language in spoken:
                language_score = first_language_score
            else:
                cached_language = language_by_spoken.get(spoken)
                if cached_language is None:
                    cached_language = language_by_spoken[spoken] = self._language_score(spoken)
                language_score = cached_language

            services = entry.services
            optional_score = optional_by_services.get(services)
            if optional_score is None:
                offered = optional & services
                optional_score = optional_scores.get(offered)
                if optional_score is None:
                    optional_score = optional_scores[offered] = _optional_score(offered, optional)
                optional_by_services[services] = optional_score

            country_score = country_scores.get(entry.country)
            if country_score is None:
                country_score = country_scores[entry.country] = _country_score(
                    entry.country, self.country_set, self.countries_text
                )

            total = (
                waiting_score.points
                + price_score.points
                + language_score.points
                + optional_score.points
                + country_score.points
            )
            # The row starts with the tie-break key; ids are unique, so comparing rows never
            # reaches the entry.
            rows.append(
                (
                    -total,
                    0 if wait_days is not None else 1,
                    wait_days if wait_days is not None else 0,
                    0 if estimate is not None else 1,
                    high if estimate is not None else _ZERO,
                    entry.sort_name,
                    entry.id,
                    entry,
                    (waiting_score, price_score, language_score, optional_score, country_score),
                    estimate,
                    start,
                    chosen,
                    tuple(clinic_flags) if clinic_flags else (),
                )
            )
        return rows

    def _unpriced_score(self, flags: list[Note]) -> CriterionScore:
        # Price notes are shared per currency or service, so few distinct keys repeat.
        key = tuple(f for f in flags if f.code in _PRICE_CODES)
        score = self.unpriced_scores.get(key)
        if score is None:
            unpriced = "; ".join(f.message for f in key)
            score = self.unpriced_scores[key] = CriterionScore(
                "price", 0, PRICE_MAX, f"{unpriced}: not scored"
            )
        return score

    def _price_note(self, key: str, code: NoteCode) -> Note:
        note = self.price_notes.get(key)
        if note is None:
            if code == "price_not_published":
                message = f"price not published for {service_label(key)}"
            else:
                message = f"no exchange rate from {key} to {self.currency}"
            note = self.price_notes[key] = Note(code, message)
        return note

    def _unpublished_wait(self, services: tuple[str, ...]) -> tuple[CriterionScore, Note]:
        cached = self.unpublished_wait.get(services)
        if cached is None:
            message = "waiting time not published for " + ", ".join(
                service_label(s) for s in services
            )
            cached = self.unpublished_wait[services] = (
                CriterionScore("waiting", 0, WAITING_MAX, message),
                Note("waiting_not_published", message),
            )
        return cached

    def _waiting_score(self, wait: int) -> tuple[CriterionScore, date]:
        lead = self.lead
        late = max(0, wait - lead)
        start = self.today + timedelta(days=max(wait, lead))
        points = max(0, WAITING_MAX - late * WAITING_MAX // WAITING_DAYS_TO_ZERO)
        if late == 0:
            reason = (
                f"can start by {self.from_when} ({start.isoformat()}); published wait {wait} days"
            )
        else:
            reason = (
                f"published wait {wait} days: starts {start.isoformat()}, "
                f"{late} days after {self.from_when}"
            )
        return CriterionScore("waiting", points, WAITING_MAX, reason), start

    def _language_score(self, spoken: frozenset[str]) -> CriterionScore:
        first = self.first_language
        if first is None or first in spoken:
            match = first
        else:
            match = next((code for code in self.languages if code in spoken), None)
        score = self.language_scores.get(match)
        if score is not None:
            return score
        if first is None:
            score = CriterionScore("language", 0, LANGUAGE_FIRST, "no language given")
        elif match == first:
            score = CriterionScore(
                "language",
                LANGUAGE_FIRST,
                LANGUAGE_FIRST,
                f"staff speak {first}, your first language",
            )
        elif match is not None:
            score = CriterionScore(
                "language",
                LANGUAGE_OTHER,
                LANGUAGE_FIRST,
                f"staff speak {match}, one of your languages",
            )
        else:
            score = CriterionScore(
                "language",
                0,
                LANGUAGE_FIRST,
                f"staff speak none of your languages ({', '.join(self.languages)}): "
                "an interpreter is needed",
            )
        self.language_scores[match] = score
        return score


def _picker(services: tuple[str, ...]) -> Callable[[dict[str, Offering]], tuple[Offering, ...]]:
    """A function returning the offerings for `services`, in order, as a tuple."""
    if not services:
        return lambda offer: ()
    if len(services) == 1:
        (service,) = services
        return lambda offer: (offer[service],)
    getter: Callable[[dict[str, Offering]], tuple[Offering, ...]] = itemgetter(*services)
    return getter


def _rate_source(rate: RateUsed) -> str:
    return rate.source


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
