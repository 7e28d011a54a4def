"""The planner's output (PLANNER.md §3): typed records, and `to_dict()` for the JSON object."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


def amount(cents: int) -> Decimal:
    """Integer cents as an amount with exactly two decimals (`Decimal('2560.00')`)."""
    return Decimal(cents).scaleb(-2)


@dataclass(frozen=True, slots=True)
class Appointment:
    """Session `session` (from 1) of plan item `item` (from 0), on an open day."""

    item: int
    service: str
    session: int
    date: date

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "service": self.service,
            "session": self.session,
            "date": self.date.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Admission:
    """A stay in hospital after a session: admitted `start`, discharged `end`."""

    item: int
    start: date
    end: date

    @property
    def nights(self) -> int:
        return (self.end - self.start).days

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "from": self.start.isoformat(), "to": self.end.isoformat()}


@dataclass(frozen=True, slots=True)
class Trip:
    """Out the day before its first session, home on the latest earliest-flight of its sessions."""

    outbound: date
    home: date
    return_reason: str

    @property
    def nights(self) -> int:
        return (self.home - self.outbound).days

    def to_dict(self) -> dict[str, Any]:
        return {
            "outbound": self.outbound.isoformat(),
            "return": self.home.isoformat(),
            "nights": self.nights,
            "return_reason": self.return_reason,
        }


@dataclass(frozen=True, slots=True)
class Cost:
    """Flights and accommodation for all trips, exact to the cent."""

    flights: Decimal
    accommodation: Decimal
    total: Decimal
    currency: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "flights": str(self.flights),
            "accommodation": str(self.accommodation),
            "total": str(self.total),
            "currency": self.currency,
        }


@dataclass(frozen=True, slots=True)
class SingleStay:
    """The alternative of rule 7: the whole treatment as one trip."""

    nights_away: int
    one_way_flights: int
    total: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "nights_away": self.nights_away,
            "one_way_flights": self.one_way_flights,
            "total": str(self.total),
        }


@dataclass(frozen=True, slots=True)
class Summary:
    """The figures a coordinator quotes: counts, first and last days, costs."""

    trips: int
    one_way_flights: int
    nights_away: int
    hospital_nights: int
    first_session: date
    last_session: date
    home: date
    cost: Cost
    single_stay: SingleStay

    def to_dict(self) -> dict[str, Any]:
        return {
            "trips": self.trips,
            "one_way_flights": self.one_way_flights,
            "nights_away": self.nights_away,
            "hospital_nights": self.hospital_nights,
            "first_session": self.first_session.isoformat(),
            "last_session": self.last_session.isoformat(),
            "home": self.home.isoformat(),
            "cost": self.cost.to_dict(),
            "single_stay": self.single_stay.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Blocked:
    """Travel refused (rule 8): the rule's name and the advice in words."""

    rule: str
    advice: str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "advice": self.advice}


@dataclass(frozen=True, slots=True)
class Itinerary:
    """The worked plan. When `blocked`, there are no trips and no summary."""

    rules_version: str
    blocked: Blocked | None
    needs_clearance: bool
    appointments: tuple[Appointment, ...]
    admissions: tuple[Admission, ...]
    trips: tuple[Trip, ...]
    summary: Summary | None

    def to_dict(self) -> dict[str, Any]:
        """The PLANNER.md §3 object, as `--json` and the API write it."""
        return {
            "rules_version": self.rules_version,
            "blocked": self.blocked.to_dict() if self.blocked else None,
            "needs_clearance": self.needs_clearance,
            "appointments": [a.to_dict() for a in self.appointments],
            "admissions": [a.to_dict() for a in self.admissions],
            "trips": [t.to_dict() for t in self.trips],
            "summary": self.summary.to_dict() if self.summary else None,
        }
