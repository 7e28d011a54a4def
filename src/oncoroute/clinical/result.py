"""Explained results: every score or decision carries its inputs, points, rule, citation and needs.

Unknown inputs are handled with the range technique of SPEC §0: each component is a `[min, max]`
interval of points; a total exists only when min == max; a band exists when the whole range lies
inside one band. Decision tests are three-valued (`True`, `False`, `None` = cannot be decided),
and a test passes only when it is `True` for every possible value of the unknown inputs
(SPEC §10.3 item 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Tri = bool | None
JsonScalar = str | int | float | bool | None


@dataclass(slots=True)
class Component:
    """One scored item: the input it read and its points (a range when the input is unknown)."""

    name: str
    input: Any
    min: int
    max: int

    @property
    def points(self) -> int | None:
        return self.min if self.min == self.max else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "input": self.input,
            "points": self.points,
            "points_range": [self.min, self.max],
        }


Criterion = tuple[str, Tri]
"""One test of a decision rule and its three-valued outcome: ``(name, passed)``."""


@dataclass(slots=True)
class Result:
    """The explained result of one rule (a score, a classification or a decision)."""

    rule_id: str
    name: str
    citation: str
    value: JsonScalar
    band: str | None
    meaning: str
    range: tuple[int, int] | None = None
    components: Sequence[Component] = ()
    criteria: Sequence[Criterion] = ()
    needs: Sequence[str] = ()
    flags: Sequence[str] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "name": self.name,
            "citation": self.citation,
            "value": self.value,
            "band": self.band,
            "meaning": self.meaning,
            "range": list(self.range) if self.range is not None else None,
            "components": [component.to_dict() for component in self.components],
            "criteria": [{"test": name, "passed": passed} for name, passed in self.criteria],
            "needs": list(self.needs),
            "flags": list(self.flags),
        }


def score_range(result: Result) -> tuple[int, int]:
    """The `[min, max]` range of a score result (every score has one)."""
    if result.range is None:
        raise ValueError(f"{result.rule_id} is not a score")
    return result.range


def exact(name: str, value: Any, points: int) -> Component:
    """A component whose input is known."""
    return Component(name, value, points, points)


def total_range(components: Iterable[Component]) -> tuple[int, int]:
    low = high = 0
    for component in components:
        low += component.min
        high += component.max
    return low, high


def band_of_range(low: int, high: int, bands: Sequence[tuple[int, int, str]]) -> str | None:
    """The band holding the whole range `[low, high]`, or None when the range crosses a boundary."""
    for band_low, band_high, band in bands:
        if band_low <= low and high <= band_high:
            return band
    return None


def range_score(
    rule_id: str,
    name: str,
    citation: str,
    components: Sequence[Component],
    score_bounds: tuple[int, int],
    bands: Sequence[tuple[int, int, str]],
    meanings: Mapping[str | None, str],
    *,
    needs: Sequence[str] = (),
    flags: Sequence[str] = (),
) -> Result:
    """A score under SPEC §0: a total only when its range is one value, a band only when the
    whole range lies inside one band."""
    low, high = score_bounds
    band = band_of_range(low, high, bands)
    return Result(
        rule_id,
        name,
        citation,
        low if low == high else None,
        band,
        meanings[band],
        (low, high),
        components,
        needs=needs,
        flags=flags,
    )


def unknown_inputs(components: Iterable[Component], names: dict[str, str]) -> tuple[str, ...]:
    """Input fields still needed: those of components whose points are not pinned down."""
    return tuple(names[c.name] for c in components if c.min != c.max)


def all_of(*tests: Tri) -> Tri:
    """Three-valued AND: False wins, then unknown."""
    outcome: Tri = True
    for test in tests:
        if test is False:
            return False
        if test is None:
            outcome = None
    return outcome


def any_of(*tests: Tri) -> Tri:
    """Three-valued OR: True wins, then unknown."""
    outcome: Tri = False
    for test in tests:
        if test is True:
            return True
        if test is None:
            outcome = None
    return outcome


def negate(test: Tri) -> Tri:
    return None if test is None else not test


def is_in(value: object, allowed: frozenset[str] | set[str]) -> Tri:
    return None if value is None else value in allowed


def is_equal(value: object, expected: object) -> Tri:
    return None if value is None else value == expected


def at_least(value: float | None, threshold: float) -> Tri:
    return None if value is None else value >= threshold
