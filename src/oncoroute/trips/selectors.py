"""Reads on trips: the case's plan, its costs in both currencies, and each trip's days as the
itinerary's picture draws them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case
from oncoroute.clinics.selectors import exchange_rates_latest, patient_currency
from oncoroute.privacy.audit import audit_denied
from oncoroute.trips.documents import plan_sessions, travel_status
from oncoroute.trips.fitness import FitnessLine, fitness_to_fly, needs_treatment_card, service_words
from oncoroute.trips.models import Trip, TripPlan
from oncoroute.trips.services import NoFlyWindow, no_fly_windows

CENT = Decimal("0.01")


def plan_of_case(case: Case) -> TripPlan | None:
    return (
        TripPlan.objects.filter(case=case)
        .select_related("quote__referral__clinic", "quote__opinion", "case")
        .prefetch_related("quote__opinion__items", "quote__lines", "trips__checklist", "bookings")
        .first()
    )


def trip_for_coordinator(*, user: User, trip_id: int) -> Trip:
    trip = Trip.objects.select_related("plan__case").filter(pk=trip_id).first()
    if trip is None:
        audit_denied(actor=user, object_type="trips.trip", object_id=str(trip_id))
        raise Http404("No such trip.")
    return trip


@dataclass(frozen=True)
class Costs:
    """The whole cost in the quote's currency, and its total in the patient's at a dated rate."""

    currency: str
    treatment: Decimal
    flights: Decimal
    accommodation: Decimal
    transfers: Decimal
    interpreter: Decimal
    single_stay_travel: Decimal
    patient_currency: str
    rate: Decimal | None
    rate_date: date | None
    not_included: str

    @property
    def total(self) -> Decimal:
        return self.treatment + self.travel

    @property
    def travel(self) -> Decimal:
        return self.flights + self.accommodation + self.transfers + self.interpreter

    @property
    def single_stay_total(self) -> Decimal:
        return self.treatment + self.single_stay_travel + self.transfers + self.interpreter

    @property
    def total_converted(self) -> Decimal | None:
        return (self.total * self.rate).quantize(CENT) if self.rate is not None else None

    @property
    def single_stay_converted(self) -> Decimal | None:
        if self.rate is None:
            return None
        return (self.single_stay_total * self.rate).quantize(CENT)


def plan_costs(plan: TripPlan) -> Costs | None:
    """The accepted quote plus the journey the planner priced, or None while travel is blocked."""
    summary = plan.result.get("summary")
    if not summary:
        return None
    quote = plan.quote
    wanted = patient_currency(case=plan.case)
    rates = exchange_rates_latest()
    rate = rates.rate(quote.currency, wanted) if rates else None
    return Costs(
        currency=quote.currency,
        treatment=quote.total,
        flights=Decimal(summary["cost"]["flights"]),
        accommodation=Decimal(summary["cost"]["accommodation"]),
        transfers=plan.transfers,
        interpreter=plan.interpreter,
        single_stay_travel=Decimal(summary["single_stay"]["total"]),
        patient_currency=wanted,
        rate=rate,
        rate_date=rates.as_of if rates and rate is not None else None,
        not_included=quote.excluded,
    )


@dataclass
class Day:
    """One day of a trip as the picture shows it."""

    on: date
    kinds: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    title: str = ""

    @property
    def kind(self) -> str:
        """The one colour the day gets: what matters most that day."""
        for kind in ("session", "hospital", "flight", "no_fly"):
            if kind in self.kinds:
                return kind
        return "stay"


@dataclass
class Line:
    """Days told in one sentence: one day with something on it, or a run of quiet days."""

    first: date
    last: date
    day: Day


@dataclass
class TripDays:
    trip: Trip
    days: list[Day]
    # The session whose safe flight sets the day home.
    binding: NoFlyWindow | None = None
    # What must be in place to fly (SPEC §8), and whether a radionuclide card goes along.
    fitness: list[FitnessLine] = field(default_factory=list)
    treatment_card: bool = False

    @property
    def lines(self) -> list[Line]:
        """The days in words: each day with a flight, a session or a night in hospital on its
        own line; a run of days of recovery (or free days) as one line."""
        lines: list[Line] = []
        for day in self.days:
            quiet = not ({"flight", "session", "hospital"} & set(day.kinds))
            last = lines[-1] if lines else None
            if quiet and last and last.day.kind == day.kind and last.last + timedelta(1) == day.on:
                last.last = day.on
            else:
                lines.append(Line(day.on, day.on, day))
        return lines


def trip_days(plan: TripPlan) -> list[TripDays]:
    """Every day of every trip with what happens on it: flights, sessions, nights in hospital
    and the days when flying is not yet safe (SPEC §8.1)."""
    result = plan.result
    sessions: dict[date, list[str]] = {}
    for appointment in result.get("appointments", []):
        label = service_words(appointment["service"])
        sessions.setdefault(date.fromisoformat(appointment["date"]), []).append(label)
    hospital: set[date] = set()
    for admission in result.get("admissions", []):
        start, end = date.fromisoformat(admission["from"]), date.fromisoformat(admission["to"])
        hospital.update(start + timedelta(days=n) for n in range((end - start).days))
    no_fly: set[date] = set()
    windows = no_fly_windows(plan)
    for window in windows:
        span = (window.first_flight - window.session).days
        no_fly.update(window.session + timedelta(days=n) for n in range(span))
    placed, travel = plan_sessions(plan), travel_status(plan)
    words = {"hospital": gettext("Night in hospital"), "no_fly": gettext("Not yet safe to fly")}
    drawn = []
    for trip in plan.trips.all():
        days = []
        for n in range(trip.nights + 1):
            day = Day(trip.outbound + timedelta(days=n))
            if day.on in (trip.outbound, trip.home):
                day.kinds.append("flight")
            if day.on in sessions:
                day.kinds.append("session")
                day.labels.extend(sessions[day.on])
            if day.on in hospital:
                day.kinds.append("hospital")
            if day.on in no_fly:
                day.kinds.append("no_fly")
            day.title = " · ".join(
                [
                    date_format(day.on, "j E"),
                    *day.labels,
                    *(words[k] for k in day.kinds if k in words),
                ]
            )
            days.append(day)
        binding = max(
            (w for w in windows if trip.outbound < w.session <= trip.home),
            key=lambda w: (w.first_flight, w.session),
            default=None,
        )
        own = [x for x in placed if trip.outbound < x.day <= trip.home]
        fitness = fitness_to_fly(
            travel=travel, sessions=own, outbound=trip.outbound, home=trip.home,
            travellers=plan.travellers,
        )  # fmt: skip
        drawn.append(TripDays(trip, days, binding, fitness, needs_treatment_card(own)))
    return drawn
