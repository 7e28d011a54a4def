"""`plan_trips`: a validated plan request in, the worked itinerary out (PLANNER.md §2–§3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Final

from .request import PlanRequest, cents
from .result import (
    Admission,
    Appointment,
    Blocked,
    Cost,
    Itinerary,
    SingleStay,
    Summary,
    Trip,
    amount,
)
from .rules import RULES_VERSION, flight_reason
from .schedule import Placed, Span, cut_trips, place_sessions

DO_NOT_TRAVEL: Final = "do_not_travel"
_MSCC_ADVICE: Final = (
    "Warning signs of metastatic spinal cord compression: the patient should seek emergency "
    "care locally today and must not travel for treatment (SPEC §7.1; §8 rule 1)."
)
_TRAVEL_ADVICE: Final = (
    "Triage advises against travel (do_not_travel_seek_local_emergency_care): the patient "
    "should seek emergency care locally today (SPEC §8 rule 1)."
)


def plan_trips(request: PlanRequest, *, not_before: Mapping[int, date] | None = None) -> Itinerary:
    """Sessions on open days, admissions, trips home in between, and their costs.

    `not_before` (session index in plan order → day) is the app's way to move a trip later: the
    JSON contract has no such field, and without it the plan is exactly PLANNER.md's."""
    blocked = _blocked(request)
    if blocked is not None:
        return Itinerary(RULES_VERSION, blocked, False, (), (), (), None)
    placed = place_sessions(request, not_before)
    spans = cut_trips(placed, request.home_stay_min_days)
    trips = tuple(_trip(request, placed, span) for span in spans)
    return Itinerary(
        rules_version=RULES_VERSION,
        blocked=None,
        needs_clearance=request.patient.travel == "specialist_clearance_required",
        appointments=tuple(
            Appointment(p.item, request.items[p.item].service, p.number, _day(p.day))
            for p in placed
        ),
        admissions=tuple(
            Admission(p.item, _day(p.day), _day(p.discharge)) for p in placed if p.discharge > p.day
        ),
        trips=trips,
        summary=_summary(request, placed, spans),
    )


def _blocked(request: PlanRequest) -> Blocked | None:
    """Rule 8: no trips at all for cord-compression warning signs or triage's do-not-travel."""
    if request.patient.mscc_urgent:
        return Blocked(DO_NOT_TRAVEL, _MSCC_ADVICE)
    if request.patient.travel == "do_not_travel_seek_local_emergency_care":
        return Blocked(DO_NOT_TRAVEL, _TRAVEL_ADVICE)
    return None


def _day(ordinal: int) -> date:
    return date.fromordinal(ordinal)


def _trip(request: PlanRequest, placed: Sequence[Placed], span: Span) -> Trip:
    binding = placed[span.binding]
    item = request.items[binding.item]
    reason = flight_reason(
        service=item.service,
        day=_day(binding.day).isoformat(),
        discharge=_day(binding.discharge).isoformat(),
        hospital_nights=item.hospital_nights,
        recovery_days=item.recovery_days,
    )
    return Trip(_day(span.outbound), _day(span.home), reason)


def _accommodation_cents(request: PlanRequest, nights: int, hospital_nights: int) -> int:
    """Rule 6: a patient travelling alone does not pay for the room while in hospital."""
    paid = nights - hospital_nights if request.journey.travellers == 1 else nights
    return cents(request.stay.per_night) * paid


def _flights_cents(request: PlanRequest, trips: int) -> int:
    return cents(request.journey.one_way_fare) * request.journey.travellers * 2 * trips


def _summary(request: PlanRequest, placed: Sequence[Placed], spans: Sequence[Span]) -> Summary:
    # Integer cents times integers: already exact to the cent, so rule 6's half-even rounding
    # never changes a figure.
    hospital = sum(p.discharge - p.day for p in placed)
    nights = sum(span.home - span.outbound for span in spans)
    flights = _flights_cents(request, len(spans))
    accommodation = _accommodation_cents(request, nights, hospital)
    outbound = placed[0].day - 1
    single_home = max(p.flight for p in placed)
    single_nights = single_home - outbound
    single_total = _flights_cents(request, 1) + _accommodation_cents(
        request, single_nights, hospital
    )
    return Summary(
        trips=len(spans),
        one_way_flights=2 * len(spans),
        nights_away=nights,
        hospital_nights=hospital,
        first_session=_day(placed[0].day),
        last_session=_day(placed[-1].day),
        home=_day(spans[-1].home),
        cost=Cost(
            amount(flights),
            amount(accommodation),
            amount(flights + accommodation),
            request.currency,
        ),
        single_stay=SingleStay(single_nights, 2, amount(single_total)),
    )
