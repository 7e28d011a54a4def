"""Placing the sessions on open days and cutting them into trips (PLANNER.md §2, rules 1–5).

Days are proleptic Gregorian ordinals (`date.toordinal()`) while planning: plain integers add
without overflow, so a plan running past 9999-12-31 can be measured and refused rather than
crash half-way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Final

from .rules import earliest_flight

if TYPE_CHECKING:
    from .request import PlanRequest

LAST_DAY: Final = date.max.toordinal()


@dataclass(frozen=True, slots=True)
class Placed:
    """One session on its day: discharge is the day itself without a night in hospital."""

    item: int
    number: int
    day: int
    discharge: int
    flight: int


@dataclass(frozen=True, slots=True)
class Span:
    """One trip: its sessions (a slice of the plan's) and the one whose flight ends it."""

    outbound: int
    home: int
    first: int
    last: int
    binding: int


def _open_day(day: int, working: tuple[bool, ...], closed: frozenset[int]) -> int:
    """The first day on or after `day` that is a working weekday and not closed (rule 1)."""
    # Ordinal 1 (0001-01-01) is a Monday, so (ordinal + 6) % 7 is date.weekday().
    while not working[(day + 6) % 7] or day in closed:
        day += 1
    return day


def place_sessions(
    request: PlanRequest, not_before: Mapping[int, date] | None = None
) -> list[Placed]:
    """Every session on the earliest open day rules 2 and 3 allow, in plan order.

    `not_before` (session index in plan order → day) holds sessions back further, as when a
    coordinator moves a trip later: one more lower bound, placed by the same rules."""
    held = {index: day.toordinal() for index, day in (not_before or {}).items()}
    working = tuple(weekday in request.clinic.working_days for weekday in range(7))
    closed = frozenset(d.toordinal() for d in request.clinic.closed_dates)
    placed: list[Placed] = []
    earliest = request.earliest_arrival.toordinal() + 1
    for index, item in enumerate(request.items):
        if index > 0:  # the end of the previous item is its last discharge
            earliest = placed[-1].discharge + item.after_previous_days
        for number in range(1, item.sessions + 1):
            day = _open_day(max(earliest, held.get(len(placed), earliest)), working, closed)
            discharge = day + item.hospital_nights
            flight = earliest_flight(item.service, day, item.hospital_nights, item.recovery_days)
            placed.append(Placed(index, number, day, discharge, flight))
            # Never booked while still admitted, but may be treated on the day of discharge.
            earliest = max(day + item.interval_days, discharge)
    return placed


def cut_trips(placed: Sequence[Placed], home_stay_min_days: int) -> list[Span]:
    """Rule 5: stay unless the days at home between two flights reach `home_stay_min_days`."""
    spans: list[Span] = []
    first = 0
    binding = 0
    for index, session in enumerate(placed):
        # `>=` so that of two sessions with the same flight day the later one explains it.
        if index == first or session.flight >= placed[binding].flight:
            binding = index
        home = placed[binding].flight
        if index + 1 < len(placed):
            next_outbound = placed[index + 1].day - 1
            if next_outbound - home < home_stay_min_days:
                continue
        spans.append(Span(placed[first].day - 1, home, first, index, binding))
        first = index + 1
    return spans


def beyond_calendar(request: PlanRequest) -> bool:
    """True when some day of the plan (a flight home is the latest) falls after 9999-12-31."""
    return max(session.flight for session in place_sessions(request)) > LAST_DAY
