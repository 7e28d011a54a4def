"""Filter and rank clinics for one need, per the policy in `policy.RANKING_POLICY`.

`rank_clinics` works on whole columns of a `PreparedDirectory`: each filter is a boolean mask,
price estimates are summed over columns in cents (exactly as Decimal would, see
`_Ranking._prices`), the points of every clinic are summed column by column from scores shared
per key (see `scores`), and the order is one stable lexicographic sort. A clinic is looked at on
its own only where two alternative services tie on waiting time, or where a float cannot settle
a price estimate's last cent.

The result holds those columns. A `RankedClinic` or an `Exclusion`, with all its reasons, is
built when it is read, so ranking 10,000 clinics creates a few dozen objects, not tens of
thousands that the garbage collector would then have to walk.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from functools import cached_property

import numpy as np

from .directory import (
    NONE_VALID,
    SERVICE_BITS,
    SOME_VALID,
    WAIT_UNPUBLISHED,
    BoolArray,
    FloatArray,
    IntArray,
    PreparedDirectory,
    prepare_clinics,
)
from .inputs import Clinic, ExchangeRates, Need, Offering, Preferences
from .policy import POLICY_VERSION
from .results import (
    CriterionScore,
    Exclusion,
    MatchResult,
    Note,
    PriceEstimate,
    RankedClinic,
    RateUsed,
    Records,
)
from .scores import Scores
from .vocabulary import SERVICE_ORDER, service_label

_CENT = Decimal("0.01")
_LARGEST_CENTS = int(np.iinfo(np.int64).max)
# See _Ranking._prices: where a float sum of prices is trusted to round to the exact cent.
_FLOAT_CENTS_LIMIT = 2.0**40
_HALF_CENT_MARGIN = 0.01
_NO_VALID_ACCREDITATION = Note("no_valid_accreditation", "no valid accreditation")


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
    scores = Scores(need, preferences, directory.currencies, rates, today)

    # Filter 1, required services: one column per required entry, True where it is missing.
    missing = [
        (directory.service_mask & sum(SERVICE_BITS[s] for s in alternatives)) == 0
        for alternatives in scores.required
    ]
    excluded = np.zeros(len(directory), dtype=np.bool_)
    for column in missing:
        excluded |= column
    # Filter 2, accreditation.
    status = directory.accreditation_status(today)
    if require_accreditation:
        excluded |= status == NONE_VALID
    # Filter 3, only when asked: preferred countries.
    outside = None
    if preferences.countries_strict and preferences.countries:
        outside = ~_in_countries(directory, preferences.countries)
        excluded |= outside

    ranking = _Ranking(directory, scores, np.flatnonzero(~excluded), status)
    exclusions = _Exclusions(
        directory,
        np.flatnonzero(excluded),
        [
            (column, _missing_note(alts))
            for column, alts in zip(missing, scores.required, strict=True)
        ],
        status if require_accreditation else None,
        outside,
        preferences.countries,
        today,
    )
    return MatchResult(
        ranked=Records(len(ranking.order), ranking.record),
        excluded=Records(len(exclusions.positions), exclusions.record),
        currency=scores.currency,
        today=today,
        rates_as_of=rates.as_of,
        policy_version=POLICY_VERSION,
    )


def _in_countries(directory: PreparedDirectory, countries: Iterable[str]) -> BoolArray:
    codes = [directory.countries.index(c) for c in countries if c in directory.countries]
    return np.isin(directory.country, codes)


def _missing_note(alternatives: tuple[str, ...]) -> Note:
    labels = [service_label(s) for s in alternatives]
    named = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
    return Note("missing_service", f"does not offer {named}")


class _Entry:
    """How the ranked clinics meet one required entry: per row, which alternative it uses, and
    whether that offering counts (not when an earlier entry's offering already meets this
    one)."""

    def __init__(self, alternatives: tuple[str, ...], chosen: IntArray, used: BoolArray) -> None:
        self.alternatives = alternatives
        self.chosen = chosen
        self.used = used


@dataclass(frozen=True, slots=True)
class _Rows:
    """A ranking's columns as lists, made on the first read: one list item is several times
    cheaper to read than one numpy element. Indexed by row, but `order` by rank."""

    order: list[int]
    position: list[int]
    status: list[int]
    language: list[int]
    optional: list[int]  # the optional services offered, as a mask
    wait: list[int]
    wait_published: list[bool]
    priced: list[bool]
    low: list[int]  # cents
    high: list[int]
    chosen: list[tuple[tuple[str, ...], list[int], list[bool]]]  # per entry, as in _Entry


class _Ranking:
    """The clinics that passed the filters, scored column by column and put in rank order.

    Columns are indexed by a clinic's row among `positions` (the passing clinics in name-then-id
    order); `order` lists the rows in rank order.
    """

    def __init__(
        self,
        directory: PreparedDirectory,
        scores: Scores,
        positions: IntArray,
        status: IntArray,
    ) -> None:
        self.directory = directory
        self.scores = scores
        self.positions = positions
        self.status = status
        self._optional_by_mask: dict[int, CriterionScore] = {}
        self.order = np.empty(0, dtype=np.int64)
        if not len(positions):
            return
        self.entries = self._choose_offerings()
        self.nothing_required = not self.entries

        wait, published = self._waits()
        self.wait = wait
        self.wait_published = published
        self.low, self.high, self.priced = self._prices()

        waiting = np.where(published, self._points(wait, self._waiting_score), 0)
        language = self._points(directory.language[positions], self._language_score)
        optional = self._points(self._optional_offered(), self._optional_score)
        country = self._points(directory.country[positions], self._country_score)
        total = waiting + self._price_points() + language + optional + country
        self.order = self._rank_order(total)

    # --- choosing the offering that meets each required entry -------------------------------

    def _choose_offerings(self) -> list[_Entry]:
        entries: list[_Entry] = []
        services: list[IntArray] = []
        for alternatives in self.scores.required:
            chosen = self._choose(alternatives)
            service = np.asarray([SERVICE_ORDER[s] for s in alternatives], dtype=np.int64)[chosen]
            used = np.ones(len(self.positions), dtype=np.bool_)
            if self.scores.overlapping:
                for earlier in services:
                    used &= earlier != service
            services.append(service)
            entries.append(_Entry(alternatives, chosen, used))
        return entries

    def _choose(self, alternatives: tuple[str, ...]) -> IntArray:
        """Per row, the index in `alternatives` of the offering that meets the entry: the
        shortest published wait, then the lowest upper price in the patient's currency, then
        the first in vocabulary order (`alternatives` is in that order)."""
        rows = len(self.positions)
        if len(alternatives) == 1:
            return np.zeros(rows, dtype=np.int64)
        best = np.full(rows, -1, dtype=np.int64)
        best_wait = np.zeros(rows, dtype=np.int64)
        masks = self.directory.service_mask[self.positions]
        for index, service in enumerate(alternatives):
            column = self.directory.columns.get(service)
            if column is None:
                continue
            offered = (masks & SERVICE_BITS[service]) != 0
            wait = column.wait[self.positions]
            take = offered & ((best < 0) | (wait < best_wait))
            for row in np.flatnonzero(offered & (best >= 0) & (wait == best_wait)).tolist():
                position = int(self.positions[row])
                current = self._offering(alternatives[best[row]], position)
                candidate = column.offerings[position]
                if candidate is not None and self._cheaper(candidate, current):
                    take[row] = True
            best = np.where(take, index, best)
            best_wait = np.where(take, wait, best_wait)
        return best

    def _offering(self, service: str, position: int) -> Offering:
        offering = self.directory.columns[service].offerings[position]
        if offering is None:  # cannot happen: the filter let only complete clinics through
            raise LookupError("a clinic missing a required service reached scoring")
        return offering

    def _cheaper(self, candidate: Offering, current: Offering) -> bool:
        """Whether `candidate` has a known upper price below `current`'s (unknown loses)."""
        price = self._upper_price(candidate)
        if price is None:
            return False
        current_price = self._upper_price(current)
        return current_price is None or price < current_price

    def _upper_price(self, offering: Offering) -> Decimal | None:
        if offering.currency is None or offering.price_max is None:
            return None
        converted = self.scores.conversion[offering.currency]
        return None if converted is None else offering.price_max * converted[0]

    def _chosen_column(self, entry: _Entry, read: Callable[[str], np.ndarray]) -> np.ndarray:
        """A column of the directory, read from the offering each row uses for `entry`."""
        values: np.ndarray | None = None
        for index, service in enumerate(entry.alternatives):
            if service not in self.directory.columns:
                continue  # no clinic offers it, so no row uses it
            read_here = read(service)[self.positions]
            values = (
                read_here if values is None else np.where(entry.chosen == index, read_here, values)
            )
        if values is None:  # cannot happen: the filter let only complete clinics through
            raise LookupError("no clinic offers a required service")
        return values

    # --- waiting and price --------------------------------------------------------------

    def _waits(self) -> tuple[IntArray, BoolArray]:
        """The longest published wait among the offerings used, and whether all are published."""
        rows = len(self.positions)
        wait = np.zeros(rows, dtype=np.int64)
        published = np.full(rows, not self.nothing_required, dtype=np.bool_)
        for entry in self.entries:
            days = self._chosen_column(entry, lambda s: self.directory.columns[s].wait)
            known = days < WAIT_UNPUBLISHED
            published &= known | ~entry.used
            wait = np.maximum(wait, np.where(known & entry.used, days, 0))
        return wait, published

    def _prices(self) -> tuple[IntArray, IntArray, BoolArray]:
        """The estimate's lower and upper ends in cents of the patient's currency, and whether
        every price it needs is published and convertible.

        The prices are summed as floats over whole columns and rounded half-even to the cent.
        A float sum is within 0.002 cents of the exact one below `_FLOAT_CENTS_LIMIT`, so it
        rounds to the same cent unless it lies within `_HALF_CENT_MARGIN` of a half cent: those
        rows (and any with a price too long for this, or too large) are summed again exactly in
        Decimal, so the cents are always those of the exact Decimal sum.
        """
        rows = len(self.positions)
        priced = np.full(rows, not self.nothing_required, dtype=np.bool_)
        conversion = [self.scores.conversion[c] for c in self.directory.currencies]
        # Indexed by currency code; the extra last slot is what NO_PRICE (-1) reads.
        rate = np.array([float(c[0]) if c is not None else 0.0 for c in conversion] + [0.0])
        convertible = np.array([c is not None for c in conversion] + [False], dtype=np.bool_)
        low, high = np.zeros(rows), np.zeros(rows)
        doubtful = np.zeros(rows, dtype=np.bool_)
        columns = self.directory.columns
        for entry in self.entries:
            code = self._chosen_column(entry, lambda s: columns[s].currency)
            factor = np.where(entry.used, rate[code], 0.0)
            low += self._chosen_column(entry, lambda s: columns[s].price_min) * factor
            high += self._chosen_column(entry, lambda s: columns[s].price_max) * factor
            priced &= convertible[code] | ~entry.used
            doubtful |= self._chosen_column(entry, lambda s: columns[s].exact_only) & entry.used
        low_cents, low_doubtful = _cents(low)
        high_cents, high_doubtful = _cents(high)
        rechecked = np.flatnonzero(priced & (doubtful | low_doubtful | high_doubtful)).tolist()
        exact = {row: self._exact_cents(row) for row in rechecked}
        if any(high > _LARGEST_CENTS for _, high in exact.values()):
            # Beyond 64 bits: keep Python ints, which have no limit (and sort them in Python).
            low_cents, high_cents = low_cents.astype(object), high_cents.astype(object)
        for row, (low_exact, high_exact) in exact.items():
            low_cents[row], high_cents[row] = low_exact, high_exact
        return low_cents, high_cents, priced

    def _exact_cents(self, row: int) -> tuple[int, int]:
        """The estimate of one priced row, summed in Decimal and rounded half-even to cents."""
        position = int(self.positions[row])
        low = high = Decimal(0)
        for entry in self.entries:
            if not entry.used[row]:
                continue
            offering = self._offering(entry.alternatives[entry.chosen[row]], position)
            converted = self.scores.conversion.get(offering.currency or "")
            if converted is None or offering.price_min is None or offering.price_max is None:
                raise LookupError("an unpriced offering reached the exact sum")
            low += offering.price_min * converted[0]
            high += offering.price_max * converted[0]
        return int(low.quantize(_CENT).scaleb(2)), int(high.quantize(_CENT).scaleb(2))

    def _price_points(self) -> IntArray:
        scores = self.scores
        if self.nothing_required or scores.budget is None:
            return np.zeros(len(self.positions), dtype=np.int64)
        # Whole cents within the budget: the estimate's cents are at most this.
        budget = int((scores.budget * 100).to_integral_value(rounding=ROUND_FLOOR))
        if self.high.dtype != object:
            budget = min(budget, _LARGEST_CENTS)  # no 64-bit estimate is above it
        band = np.where(
            self.high <= budget,
            scores.within_budget.points,
            np.where(
                self.low <= budget,
                scores.partly_within_budget.points,
                scores.over_budget.points,
            ),
        )
        return np.where(self.priced, band, 0).astype(np.int64)

    # --- points and order -------------------------------------------------------------------

    @staticmethod
    def _points(keys: IntArray, score: Callable[[int], CriterionScore]) -> IntArray:
        """Each row's points, from the score of its key, built once per distinct key."""
        distinct, inverse = np.unique(keys, return_inverse=True)
        points = np.array([score(int(key)).points for key in distinct], dtype=np.int64)
        return points[inverse.reshape(-1)]

    def _optional_offered(self) -> IntArray:
        """Per row, the optional services the clinic offers, as a mask of service bits."""
        wanted = sum(SERVICE_BITS[s] for s in self.scores.optional)
        return self.directory.service_mask[self.positions] & wanted

    def _waiting_score(self, wait: int) -> CriterionScore:
        return self.scores.waiting(wait)[0]

    def _language_score(self, key: int) -> CriterionScore:
        return self.scores.language(self.directory.language_sets[key])

    def _optional_score(self, mask: int) -> CriterionScore:
        score = self._optional_by_mask.get(mask)
        if score is None:
            offered = frozenset(s for s, bit in SERVICE_BITS.items() if mask & bit)
            score = self._optional_by_mask[mask] = self.scores.optional_services(offered)
        return score

    def _country_score(self, key: int) -> CriterionScore:
        return self.scores.country(self.directory.countries[key])

    def _rank_order(self, total: IntArray) -> IntArray:
        """Rows by more points, shorter wait (unpublished last), lower upper price
        (unpublished last), then name and id, which is the rows' own order: lexsort is stable
        and sorts by its last key first."""
        wait_key = np.where(self.wait_published, self.wait, WAIT_UNPUBLISHED)
        if self.high.dtype == object:
            price_key = np.where(self.priced, self.high, math.inf).tolist()
            keys = list(zip((-total).tolist(), wait_key.tolist(), price_key, strict=True))
            return np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)
        price_key = np.where(self.priced, self.high, _LARGEST_CENTS)
        return np.lexsort((price_key, wait_key, -total))

    # --- one ranked clinic, built when read -----------------------------------------------

    @cached_property
    def rows(self) -> _Rows:
        positions = self.positions
        return _Rows(
            order=self.order.tolist(),
            position=positions.tolist(),
            status=self.status[positions].tolist(),
            language=self.directory.language[positions].tolist(),
            optional=self._optional_offered().tolist(),
            wait=self.wait.tolist(),
            wait_published=self.wait_published.tolist(),
            priced=self.priced.tolist(),
            low=self.low.tolist(),
            high=self.high.tolist(),
            chosen=[
                (entry.alternatives, entry.chosen.tolist(), entry.used.tolist())
                for entry in self.entries
            ],
        )

    def record(self, rank_index: int) -> RankedClinic:
        rows = self.rows
        row = rows.order[rank_index]
        position = rows.position[row]
        scores = self.scores
        flags = self._accreditation_flags(position, rows.status[row])
        chosen = tuple(
            self._offering(alternatives[chosen[row]], position)
            for alternatives, chosen, used in rows.chosen
            if used[row]
        )
        rates_used: list[RateUsed] = []
        for offering in chosen:
            source = offering.currency
            if source is None:
                flags.append(scores.price_note(offering.service, "price_not_published"))
                continue
            converted = scores.conversion[source]
            if converted is None:
                note = scores.price_note(source, "no_exchange_rate")
                if note not in flags:
                    flags.append(note)
            elif converted[1] and converted[1][0] not in rates_used:
                rates_used.append(converted[1][0])

        wait_days: int | None = None
        start: date | None = None
        if self.nothing_required:
            waiting = scores.nothing_to_wait_for
        elif not rows.wait_published[row]:
            unpublished = tuple(o.service for o in chosen if o.waiting_days is None)
            waiting, note = scores.unpublished_wait(unpublished)
            flags.append(note)
        else:
            wait_days = rows.wait[row]
            waiting, start = scores.waiting(wait_days)

        estimate: PriceEstimate | None = None
        if self.nothing_required:
            price = scores.nothing_to_price
        elif not rows.priced[row]:
            price = scores.unpriced(tuple(flags))
        else:
            rates_used.sort(key=_rate_source)
            estimate = PriceEstimate(
                _amount(rows.low[row]), _amount(rows.high[row]), scores.currency, tuple(rates_used)
            )
            price = self._price_band(estimate)

        clinic = self.directory.clinics[position]
        criteria = (
            waiting,
            price,
            self._language_score(rows.language[row]),
            self._optional_score(rows.optional[row]),
            scores.country(clinic.country),
        )
        return RankedClinic(
            rank_index + 1,
            clinic.id,
            clinic.name,
            clinic.country,
            sum(score.points for score in criteria),
            criteria,
            estimate,
            wait_days,
            start,
            chosen,
            tuple(flags),
        )

    def _accreditation_flags(self, position: int, status: int) -> list[Note]:
        if status == SOME_VALID:  # another is valid: say which ones do not count
            return list(self.directory.accreditation_notes(position, self.scores.today))
        if status == NONE_VALID:  # ranked only on a coordinator's request
            notes = self.directory.accreditation_notes(position, self.scores.today)
            return [_NO_VALID_ACCREDITATION, *notes]
        return []

    def _price_band(self, estimate: PriceEstimate) -> CriterionScore:
        scores = self.scores
        budget = scores.budget
        if budget is None or estimate.high <= budget:
            return scores.within_budget
        if estimate.low <= budget:
            return scores.partly_within_budget
        return scores.over_budget


class _Exclusions:
    """The clinics that failed a filter, in name-then-id order; each one's reasons are built
    when it is read."""

    def __init__(
        self,
        directory: PreparedDirectory,
        positions: IntArray,
        missing: list[tuple[BoolArray, Note]],
        status: IntArray | None,
        outside: BoolArray | None,
        countries: tuple[str, ...],
        today: date,
    ) -> None:
        self.directory = directory
        self.positions = positions
        self.missing = missing
        self.status = status
        self.outside = outside
        self.country_note = Note(
            "country_not_preferred", f"not in preferred countries ({', '.join(countries)})"
        )
        self.today = today

    @cached_property
    def rows(self) -> tuple[list[int], list[tuple[list[bool], Note]], list[bool], list[bool]]:
        """Per excluded clinic: its position, which required entries it misses, whether it
        lacks a valid accreditation that was required, whether it is outside the countries."""
        positions = self.positions
        nowhere = [False] * len(positions)
        return (
            positions.tolist(),
            [(column[positions].tolist(), note) for column, note in self.missing],
            nowhere if self.status is None else (self.status[positions] == NONE_VALID).tolist(),
            nowhere if self.outside is None else self.outside[positions].tolist(),
        )

    def record(self, index: int) -> Exclusion:
        positions, missing, unaccredited, outside = self.rows
        position = positions[index]
        reasons = [note for column, note in missing if column[index]]
        if unaccredited[index]:
            reasons.extend(self.directory.accreditation_notes(position, self.today))
        if outside[index]:
            reasons.append(self.country_note)
        clinic = self.directory.clinics[position]
        return Exclusion(clinic.id, clinic.name, tuple(reasons))


def _cents(amounts: FloatArray) -> tuple[IntArray, BoolArray]:
    """Amounts rounded half-even to whole cents, and where that rounding is not certain."""
    scaled = amounts * 100
    distance_to_half = np.abs(scaled - np.floor(scaled) - 0.5)
    doubtful = (distance_to_half <= _HALF_CENT_MARGIN) | (scaled >= _FLOAT_CENTS_LIMIT)
    return np.where(doubtful, 0, np.rint(scaled)).astype(np.int64), doubtful


def _amount(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _rate_source(rate: RateUsed) -> str:
    return rate.source
