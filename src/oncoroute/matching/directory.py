"""The clinic directory indexed once for ranking: everything that does not depend on the case.

Clinics are kept in name-then-id order, and what ranking reads about them lives in numpy
columns indexed by that position (country, languages, a bit mask of services, and per service
the wait, the price and its currency). Ranking is then whole-column arithmetic instead of a
Python loop over 10,000 clinics, and the columns hold no objects the garbage collector walks.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from .inputs import Accreditation, Clinic, Offering
from .results import Note
from .vocabulary import SERVICE_ORDER, day_text

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

WAIT_UNPUBLISHED = 1 << 40
"""The wait column's value where a wait is unpublished: longer than any published wait."""
NO_PRICE = -1
"""The currency column's value where a clinic published no price (or offers no such service)."""

SERVICE_BITS = {service: 1 << index for service, index in SERVICE_ORDER.items()}

# How many of a clinic's accreditations count on a given day.
ALL_VALID, SOME_VALID, NONE_VALID = 0, 1, 2

_T = TypeVar("_T")
_SHORT_PRICE_DIGITS = 15
_ONE_DAY = timedelta(days=1)
_NO_ACCREDITATION = Note("no_accreditation", "no accreditation on file")


@dataclass(frozen=True, slots=True, eq=False)
class ServiceColumn:
    """One service across the directory, by clinic position."""

    offerings: tuple[Offering | None, ...]
    wait: IntArray  # WAIT_UNPUBLISHED where unpublished or not offered
    currency: IntArray  # index into PreparedDirectory.currencies, or NO_PRICE
    price_min: FloatArray  # zero where there is no price
    price_max: FloatArray
    exact_only: BoolArray  # a price to sum in Decimal only (see _long)


class PreparedDirectory:
    """Clinics indexed for repeated ranking; build it with `prepare_clinics`."""

    __slots__ = (
        "_accreditation_changes",
        "_accreditation_count",
        "_accreditation_from",
        "_accreditation_notes",
        "_accreditation_owner",
        "_accreditation_until",
        "clinics",
        "columns",
        "countries",
        "country",
        "currencies",
        "ids",
        "language",
        "language_sets",
        "names",
        "service_mask",
    )

    def __init__(self, clinics: list[Clinic]) -> None:
        clinics.sort(key=_name_then_id)
        self.clinics: tuple[Clinic, ...] = tuple(clinics)
        """The clinics, ordered by name then id; a clinic's index here is its position."""
        self.ids = tuple(clinic.id for clinic in clinics)
        self.names = tuple(clinic.name for clinic in clinics)
        self.countries, self.country = _codes(clinic.country for clinic in clinics)
        self.language_sets, self.language = _codes(frozenset(c.languages) for c in clinics)
        self.service_mask = np.array([_service_mask(c) for c in clinics], dtype=np.int64)
        self.currencies, self.columns = _service_columns(clinics)
        self._index_accreditations()

    def __len__(self) -> int:
        return len(self.clinics)

    def _index_accreditations(self) -> None:
        held = [clinic.accreditations for clinic in self.clinics]
        flat = [(position, a) for position, each in enumerate(held) for a in each]
        self._accreditation_owner = np.array([p for p, _ in flat], dtype=np.int64)
        self._accreditation_from = np.array(
            [a.verified_on.toordinal() for _, a in flat], dtype=np.int64
        )
        self._accreditation_until = np.array(
            [a.expires_on.toordinal() for _, a in flat], dtype=np.int64
        )
        self._accreditation_count = np.array([len(each) for each in held], dtype=np.int64)
        # Which accreditations count changes only on these days, so the notes for one day hold
        # for every day until the next change and are kept once made.
        self._accreditation_changes = tuple(_change_days(each) for each in held)
        self._accreditation_notes: dict[tuple[int, int], tuple[Note, ...]] = {}

    def accreditation_status(self, today: date) -> IntArray:
        """Per position, whether all, some or none of the clinic's accreditations count on
        `today` (ALL_VALID, SOME_VALID, NONE_VALID); a clinic without any has none."""
        day = today.toordinal()
        valid = (self._accreditation_from <= day) & (self._accreditation_until >= day)
        counted = np.bincount(self._accreditation_owner[valid], minlength=len(self))
        held = self._accreditation_count
        some = np.where(counted > 0, SOME_VALID, NONE_VALID)
        return np.where((held > 0) & (counted == held), ALL_VALID, some).astype(np.int64)

    def accreditation_notes(self, position: int, today: date) -> tuple[Note, ...]:
        """A note for each of the clinic's accreditations that does not count on `today`, or
        one saying it has none."""
        key = (position, bisect_right(self._accreditation_changes[position], today))
        notes = self._accreditation_notes.get(key)
        if notes is None:
            held = self.clinics[position].accreditations
            notes = self._accreditation_notes[key] = _accreditation_notes(held, today)
        return notes


def _name_then_id(clinic: Clinic) -> tuple[str, str]:
    return clinic.name.casefold(), clinic.id


def _codes(values: Iterable[_T]) -> tuple[tuple[_T, ...], IntArray]:
    """The distinct values in order of first appearance, and each value's index among them."""
    index: dict[_T, int] = {}
    codes = [index.setdefault(value, len(index)) for value in values]
    return tuple(index), np.array(codes, dtype=np.int64)


def _service_mask(clinic: Clinic) -> int:
    mask = 0
    for offering in clinic.offerings:
        mask |= SERVICE_BITS[offering.service]
    return mask


def _service_columns(clinics: list[Clinic]) -> tuple[tuple[str, ...], dict[str, ServiceColumn]]:
    """The currencies prices are published in, and a column for every service offered."""
    by_service: dict[str, list[Offering | None]] = {}
    for position, clinic in enumerate(clinics):
        for offering in clinic.offerings:
            column = by_service.get(offering.service)
            if column is None:
                column = by_service[offering.service] = [None] * len(clinics)
            column[position] = offering
    currencies: dict[str, int] = {}
    columns = {}
    for service, offerings in by_service.items():
        priced = [o if o is not None and o.currency is not None else None for o in offerings]
        codes = [
            NO_PRICE if o is None or o.currency is None else _code(currencies, o.currency)
            for o in priced
        ]
        columns[service] = ServiceColumn(
            offerings=tuple(offerings),
            wait=np.array([_wait(o) for o in offerings], dtype=np.int64),
            currency=np.array(codes, dtype=np.int64),
            price_min=_amounts(o.price_min if o is not None else None for o in priced),
            price_max=_amounts(o.price_max if o is not None else None for o in priced),
            exact_only=np.array([_long(o) for o in priced], dtype=np.bool_),
        )
    return tuple(currencies), columns


def _code(codes: dict[str, int], value: str) -> int:
    return codes.setdefault(value, len(codes))


def _wait(offering: Offering | None) -> int:
    if offering is None or offering.waiting_days is None:
        return WAIT_UNPUBLISHED
    return offering.waiting_days


def _amounts(amounts: Iterable[Decimal | None]) -> FloatArray:
    return np.array([0.0 if amount is None else float(amount) for amount in amounts])


def _long(offering: Offering | None) -> bool:
    """Whether a price is so long that Decimal, at 28 digits, may round its product with a
    ten-digit rate: ranking then sums it in Decimal rather than trust a float for it."""
    if offering is None or offering.price_min is None or offering.price_max is None:
        return False
    prices = (offering.price_min, offering.price_max)
    return any(len(price.as_tuple().digits) > _SHORT_PRICE_DIGITS for price in prices)


def _change_days(accreditations: tuple[Accreditation, ...]) -> tuple[date, ...]:
    days = {a.verified_on for a in accreditations}
    days.update(a.expires_on + _ONE_DAY for a in accreditations if a.expires_on < date.max)
    return tuple(sorted(days))


def _accreditation_notes(
    accreditations: tuple[Accreditation, ...], today: date
) -> tuple[Note, ...]:
    if not accreditations:
        return (_NO_ACCREDITATION,)
    notes = []
    for a in accreditations:
        if a.expires_on < today:
            message = f"accreditation {a.name} expired on {day_text(a.expires_on)}"
            notes.append(Note("accreditation_expired", message))
        elif a.verified_on > today:
            message = f"accreditation {a.name} is dated {day_text(a.verified_on)}, after today"
            notes.append(Note("accreditation_not_yet_verified", message))
    return tuple(notes)


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
