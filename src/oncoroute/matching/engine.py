"""Filter and rank clinics for one need, per the policy in `policy.RANKING_POLICY`.

The work that does not depend on the case (which services each clinic offers, its languages,
its accreditation windows) is done once in `prepare_clinics`; `rank_clinics` then makes a single
pass over the directory. Scores whose reason does not depend on the clinic are built once per
call and shared, which is most of what keeps a 10,000-clinic ranking fast.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Context, Decimal

from .inputs import Accreditation, Clinic, ExchangeRates, Need, Offering, Preferences
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
_ONE_DAY = timedelta(days=1)
# Sort keys that put an unpublished wait or price after every published one.
_NEVER = float("inf")
_UNPRICED = Decimal("Infinity")
_PRICE_CODES = frozenset({"price_not_published", "no_exchange_rate"})
_NO_ACCREDITATION = Note("no_accreditation", "no accreditation on file")
_NO_VALID_ACCREDITATION = Note("no_valid_accreditation", "no valid accreditation")
_BITS = {service: 1 << index for service, index in SERVICE_ORDER.items()}

# How many of a clinic's accreditations count on a given day.
_ALL_VALID, _SOME_VALID, _NONE_VALID = 0, 1, 2
_Check = tuple[int, tuple[Note, ...]]


class PreparedDirectory:
    """Clinics indexed for repeated ranking; build it with `prepare_clinics`.

    Clinics are in name-then-id order and everything about them is kept in flat tuples indexed
    by that position (ids, names, countries, a bit mask of services, one column of offerings per
    service), not in an object per clinic: a full garbage collection then walks a few dozen
    containers here rather than tens of thousands of small objects, which kept it the slowest
    part of a ranking. The indexes (which clinics offer each service, which are in each country,
    the accreditation windows sorted by date) make filtering set arithmetic rather than a Python
    loop over every clinic.
    """

    __slots__ = (
        "_accreditation_changes",
        "_accreditation_checks",
        "_by_country",
        "_by_service",
        "_clinics",
        "_countries",
        "_currencies",
        "_from_dates",
        "_from_positions",
        "_ids",
        "_languages",
        "_names",
        "_offer",
        "_positions",
        "_service_masks",
        "_until_dates",
        "_until_positions",
    )

    def __init__(self, clinics: list[Clinic]) -> None:
        clinics.sort(key=_name_then_id)
        self._clinics = tuple(clinics)
        self._positions = frozenset(range(len(clinics)))
        self._ids = tuple(clinic.id for clinic in clinics)
        self._names = tuple(clinic.name for clinic in clinics)
        self._countries = tuple(clinic.country for clinic in clinics)
        # Few distinct sets of languages: sharing them keeps one object per set, not per clinic.
        shared: dict[frozenset[str], frozenset[str]] = {}
        self._languages = tuple(
            shared.setdefault(spoken, spoken)
            for spoken in (frozenset(clinic.languages) for clinic in clinics)
        )
        self._service_masks = tuple(_service_mask(clinic) for clinic in clinics)
        self._offer = _offer_columns(clinics)
        self._by_service = {
            service: frozenset(p for p, offering in enumerate(column) if offering is not None)
            for service, column in self._offer.items()
        }
        by_country: dict[str, set[int]] = {}
        for position, country in enumerate(self._countries):
            by_country.setdefault(country, set()).add(position)
        self._by_country = {country: frozenset(found) for country, found in by_country.items()}
        self._currencies = frozenset(
            offering.currency
            for column in self._offer.values()
            for offering in column
            if offering is not None and offering.currency is not None
        )
        self._index_accreditations()

    def _index_accreditations(self) -> None:
        # A clinic needs a closer look on a given day only if that day falls outside the window
        # in which all its accreditations are valid: before its latest verification or after
        # its earliest expiry (without accreditations the window is empty). Sorted dates find
        # those clinics by bisection.
        held = [clinic.accreditations for clinic in self._clinics]
        valid_from = [max((a.verified_on for a in each), default=date.max) for each in held]
        valid_until = [min((a.expires_on for a in each), default=date.min) for each in held]
        by_until = sorted(zip(valid_until, range(len(held)), strict=True))
        by_from = sorted(zip(valid_from, range(len(held)), strict=True))
        self._until_dates = tuple(day for day, _ in by_until)
        self._until_positions = tuple(p for _, p in by_until)
        self._from_dates = tuple(day for day, _ in by_from)
        self._from_positions = tuple(p for _, p in by_from)
        # Which accreditations count changes only on these days, so a check holds for every
        # day between two of them and is kept once made.
        self._accreditation_changes = tuple(_change_days(each) for each in held)
        self._accreditation_checks: dict[tuple[int, int], _Check] = {}

    def __len__(self) -> int:
        return len(self._clinics)

    @property
    def clinics(self) -> tuple[Clinic, ...]:
        """The clinics, ordered by name then id."""
        return self._clinics

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

    def _accreditation(self, position: int, today: date) -> _Check:
        """Whether all, some or none of a clinic's accreditations count on `today`, with a note
        for each one that does not."""
        key = (position, bisect_right(self._accreditation_changes[position], today))
        check = self._accreditation_checks.get(key)
        if check is None:
            held = self._clinics[position].accreditations
            check = self._accreditation_checks[key] = _check_accreditations(held, today)
        return check


def _name_then_id(clinic: Clinic) -> tuple[str, str]:
    return clinic.name.casefold(), clinic.id


def _service_mask(clinic: Clinic) -> int:
    mask = 0
    for offering in clinic.offerings:
        mask |= _BITS[offering.service]
    return mask


def _offer_columns(clinics: list[Clinic]) -> dict[str, tuple[Offering | None, ...]]:
    """Per service, each clinic's offering of it (None where it has none), by position."""
    columns: dict[str, list[Offering | None]] = {}
    for position, clinic in enumerate(clinics):
        for offering in clinic.offerings:
            column = columns.get(offering.service)
            if column is None:
                column = columns[offering.service] = [None] * len(clinics)
            column[position] = offering
    return {service: tuple(column) for service, column in columns.items()}


def _change_days(accreditations: tuple[Accreditation, ...]) -> tuple[date, ...]:
    days = {a.verified_on for a in accreditations}
    days.update(a.expires_on + _ONE_DAY for a in accreditations if a.expires_on < date.max)
    return tuple(sorted(days))


def _check_accreditations(accreditations: tuple[Accreditation, ...], today: date) -> _Check:
    if not accreditations:
        return _NONE_VALID, (_NO_ACCREDITATION,)
    notes: list[Note] = []
    for a in accreditations:
        if a.expires_on < today:
            message = f"accreditation {a.name} expired on {a.expires_on.isoformat()}"
            notes.append(Note("accreditation_expired", message))
        elif a.verified_on > today:
            message = f"accreditation {a.name} is dated {a.verified_on.isoformat()}, after today"
            notes.append(Note("accreditation_not_yet_verified", message))
    if not notes:
        return _ALL_VALID, ()
    return (_SOME_VALID if len(notes) < len(accreditations) else _NONE_VALID), tuple(notes)


def prepare_clinics(clinics: Iterable[Clinic]) -> PreparedDirectory:
    """Index clinics once so that ranking many cases against them is fast."""
    listed: list[Clinic] = []
    seen: set[str] = set()
    for clinic in clinics:
        if clinic.id in seen:
            raise ValueError(f"clinic id {clinic.id!r} appears twice")
        seen.add(clinic.id)
        listed.append(clinic)
    return PreparedDirectory(listed)


def _any_of(services: Iterable[str]) -> str:
    labels = [service_label(s) for s in sorted(services, key=SERVICE_ORDER.__getitem__)]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


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
    reasons = _missing_services(directory, need)

    # Filter 2, accreditation: only clinics outside their all-valid window need a look.
    flags: dict[int, tuple[Note, ...]] = {}
    for position in directory._accreditation_suspects(today):
        valid, notes = directory._accreditation(position, today)
        if valid == _SOME_VALID:
            flags[position] = notes  # another is valid: say which ones do not count
        elif valid == _NONE_VALID:
            if require_accreditation:
                reasons[position] = reasons.get(position, ()) + notes
            else:
                flags[position] = (_NO_VALID_ACCREDITATION, *notes)

    # Filter 3, only when asked: preferred countries.
    if preferences.countries_strict and preferences.countries:
        country_note = Note(
            "country_not_preferred",
            f"not in preferred countries ({', '.join(preferences.countries)})",
        )
        outside = directory._positions - directory._in_countries(preferences.countries)
        for position in outside:
            reasons[position] = (*reasons.get(position, ()), country_note)

    scorer = _Scorer(need, preferences, directory._currencies, rates, today)
    return MatchResult(
        ranked=scorer.rank(directory, directory._positions.difference(reasons), flags),
        excluded=_exclusions(directory, reasons),
        currency=scorer.currency,
        today=today,
        rates_as_of=rates.as_of,
        policy_version=POLICY_VERSION,
    )


def _missing_services(directory: PreparedDirectory, need: Need) -> dict[int, tuple[Note, ...]]:
    """Filter 1, required services: the reasons of each clinic missing one. Clinics missing the
    same required entries share one tuple of reasons: split the clinics once per entry."""
    groups: list[tuple[tuple[Note, ...], frozenset[int]]] = [((), directory._positions)]
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
    return reasons


def _exclusions(
    directory: PreparedDirectory, reasons: dict[int, tuple[Note, ...]]
) -> tuple[Exclusion, ...]:
    order = sorted(reasons)
    return tuple(
        map(
            Exclusion,
            map(directory._ids.__getitem__, order),
            map(directory._names.__getitem__, order),
            map(reasons.__getitem__, order),
        )
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
        self.optional_mask = sum(_BITS[service] for service in need.optional)
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
        self.optional_by_mask: dict[int, CriterionScore] = {}
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

    def rank(
        self,
        directory: PreparedDirectory,
        positions: Iterable[int],
        flags: dict[int, tuple[Note, ...]],
    ) -> tuple[RankedClinic, ...]:
        """The clinics that passed the filters, scored and in rank order; `flags` holds the
        accreditation notes of some of them. This is the hot loop: locals are bound once and
        every shared score comes from a cache."""
        offer = directory._offer
        required = [
            tuple(offer[service] for service in alternatives if service in offer)
            for alternatives in self.required
        ]
        overlapping = self.overlapping
        better = self._better
        ids, names, countries = directory._ids, directory._names, directory._countries
        languages, masks = directory._languages, directory._service_masks
        conversion = self.conversion
        waiting_scores = self.waiting_scores
        optional_mask = self.optional_mask
        optional_by_mask = self.optional_by_mask
        country_scores = self.country_scores
        first_language = self.first_language
        first_language_score = self._language_score(frozenset({first_language or ""}))
        language_by_spoken: dict[frozenset[str], CriterionScore] = {}
        within, partly, over = self.price_scores
        budget = self.budget
        currency = self.currency
        nothing_required = not required

        # The tie-break keys by position, in dicts of plain values that the collector ignores.
        minus_totals: dict[int, int] = {}
        waits: dict[int, float] = {}
        prices: dict[int, Decimal] = {}
        found: dict[int, RankedClinic] = {}
        for position in positions:
            clinic_flags = flags.get(position)
            picked: list[Offering] = []
            for columns in required:
                best = None
                for column in columns:
                    candidate = column[position]
                    if candidate is not None and (best is None or better(candidate, best)):
                        best = candidate
                if best is None:  # cannot happen: the filter let only complete clinics through
                    raise LookupError("a clinic missing a required service reached scoring")
                if not overlapping or best not in picked:
                    picked.append(best)
            chosen = tuple(picked)

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
                    note = self._price_note(offering.service, "price_not_published")
                    clinic_flags = (*clinic_flags, note) if clinic_flags else (note,)
                    continue
                converted = conversion[source]
                if converted is None:
                    price_ok = False
                    note = self._price_note(source, "no_exchange_rate")
                    if not clinic_flags:
                        clinic_flags = (note,)
                    elif note not in clinic_flags:
                        clinic_flags = (*clinic_flags, note)
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
                clinic_flags = (*clinic_flags, note) if clinic_flags else (note,)
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
                price_score = self._unpriced_score(clinic_flags or ())
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

            # Keyed by shared frozensets, whose hashes Python keeps once computed.
            spoken = languages[position]
            if first_language is not None and first_language in spoken:
                language_score = first_language_score
            else:
                cached_language = language_by_spoken.get(spoken)
                if cached_language is None:
                    cached_language = language_by_spoken[spoken] = self._language_score(spoken)
                language_score = cached_language

            offered = masks[position] & optional_mask
            optional_score = optional_by_mask.get(offered)
            if optional_score is None:
                optional_score = optional_by_mask[offered] = self._optional_score(offered)

            country = countries[position]
            country_score = country_scores.get(country)
            if country_score is None:
                country_score = country_scores[country] = _country_score(
                    country, self.country_set, self.countries_text
                )

            total = (
                waiting_score.points
                + price_score.points
                + language_score.points
                + optional_score.points
                + country_score.points
            )
            minus_totals[position] = -total
            waits[position] = _NEVER if wait_days is None else wait_days
            prices[position] = _UNPRICED if estimate is None else high
            found[position] = RankedClinic(
                0,
                ids[position],
                names[position],
                country,
                total,
                (waiting_score, price_score, language_score, optional_score, country_score),
                estimate,
                wait_days,
                start,
                chosen,
                clinic_flags or (),
            )
        # Stable sorts from the last tie-break to the first; positions are in name-then-id order.
        order = sorted(found)
        order.sort(key=prices.__getitem__)
        order.sort(key=waits.__getitem__)
        order.sort(key=minus_totals.__getitem__)
        ranked = tuple(map(found.__getitem__, order))
        for rank, clinic in enumerate(ranked, start=1):
            clinic.rank = rank
        return ranked

    def _unpriced_score(self, flags: tuple[Note, ...]) -> CriterionScore:
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

    def _optional_score(self, offered: int) -> CriterionScore:
        services = frozenset(s for s in self.optional if offered & _BITS[s])
        return _optional_score(services, self.optional)

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
