"""What matching gives back: ranked clinics with their points and reasons, excluded clinics
with theirs.

Values shared between clinics (notes, criterion scores, rates) are frozen. The records of one
clinic (RankedClinic, Exclusion, PriceEstimate) are built when read from a `Records` sequence,
a new object on every read: plain slotted dataclasses, since on CPython 3.11 a frozen one sets
each field through object.__setattr__. Treat them as read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Literal, TypeVar, overload

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


_Record = TypeVar("_Record", covariant=True)


class Records(Sequence[_Record]):
    """A read-only sequence whose items are built when read, by `build(index)`.

    It compares equal to any sequence of equal items, a tuple included.
    """

    __slots__ = ("_build", "_length")

    def __init__(self, length: int, build: Callable[[int], _Record]) -> None:
        self._length = length
        self._build = build

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> _Record: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[_Record, ...]: ...

    def __getitem__(self, index: int | slice) -> _Record | tuple[_Record, ...]:
        if isinstance(index, slice):
            return tuple(map(self._build, range(*index.indices(self._length))))
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("record index out of range")
        return self._build(index)

    def __iter__(self) -> Iterator[_Record]:
        return map(self._build, range(self._length))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Records({tuple(self)!r})"


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The ranking for one need and one set of preferences on one day.

    `ranked` is in rank order; `excluded` is ordered by clinic name, then id. Both build each
    record when it is read: `materialized()` builds them all, as tuples.
    """

    ranked: Sequence[RankedClinic]
    excluded: Sequence[Exclusion]
    currency: str
    today: date
    rates_as_of: date
    policy_version: str

    def materialized(self) -> MatchResult:
        """The same result with every record built, for serialising it whole."""
        return replace(self, ranked=tuple(self.ranked), excluded=tuple(self.excluded))
