"""Writes on trips: the plan started from the accepted quote, re-worked by the itinerary core on
every change, trips moved later, bookings checked against the no-fly windows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoroute import itinerary
from oncoroute.accounts.models import User
from oncoroute.cases.models import Case
from oncoroute.cases.safety import cord_flag_unresolved
from oncoroute.cases.workflow import CaseState
from oncoroute.clinics.selectors import clinic_open_days
from oncoroute.referrals.models import Quote
from oncoroute.referrals.selectors import plan_items_data
from oncoroute.triage.selectors import latest_travel
from oncoroute.trips.checklists import CHECKLIST
from oncoroute.trips.models import Booking, ChecklistItem, Trip, TripPlan

# How far ahead the clinic's closed days are read: the longest plan the directory can describe.
_CALENDAR_DAYS = 2 * 366


class TripRefused(ValueError):
    """A change to the trip plan that cannot be made; the message says why."""


@dataclass(frozen=True)
class JourneyFigures:
    """What the coordinator enters about the journey, in the quote's currency."""

    earliest_arrival: date
    one_way_fare: Decimal
    travellers: int
    per_night: Decimal
    transfers: Decimal = Decimal(0)
    interpreter: Decimal = Decimal(0)
    home_stay_min_days: int = 7


def accepted_quote(case: Case) -> Quote | None:
    return (
        Quote.objects.filter(referral__case=case, accepted_at__isnull=False)
        .select_related("opinion", "referral__clinic")
        .order_by("-accepted_at")
        .first()
    )


def _travel_status(case: Case) -> str:
    travel = latest_travel(case=case)
    return travel if travel in itinerary.TRAVEL_VALUES else "standard_precautions"


def plan_request(plan: TripPlan) -> itinerary.PlanRequest:
    """The itinerary core's input for the plan: the accepted plan's items, the clinic's open
    days, the journey figures and what the triage and the safety gate say of travel."""
    quote, case = plan.quote, plan.case
    start = plan.earliest_arrival
    days = clinic_open_days(
        quote.referral.clinic, start=start, end=start + timedelta(days=_CALENDAR_DAYS)
    )
    data: dict[str, Any] = {
        "earliest_arrival": start.isoformat(),
        "clinic": {
            "working_days": list(days.working_days),
            "closed_dates": [d.isoformat() for d in days.closed_dates][:1000],
        },
        "journey": {"one_way_fare": f"{plan.one_way_fare:.2f}", "travellers": plan.travellers},
        "stay": {"per_night": f"{plan.per_night:.2f}"},
        "currency": quote.currency,
        "home_stay_min_days": plan.home_stay_min_days,
        "patient": {"mscc_urgent": cord_flag_unresolved(case), "travel": _travel_status(case)},
        "items": plan_items_data(quote.opinion.items.all()),
    }
    parsed = itinerary.parse_request(data)
    if isinstance(parsed, list):
        raise TripRefused("; ".join(str(error) for error in parsed))
    return parsed


def _not_before(plan: TripPlan) -> dict[int, date]:
    return {int(k): date.fromisoformat(v) for k, v in plan.session_not_before.items()}


def plan_work(plan: TripPlan) -> itinerary.Itinerary:
    """The itinerary the core makes of the plan as it stands (nothing saved)."""
    return itinerary.plan_trips(plan_request(plan), not_before=_not_before(plan))


def _replan(plan: TripPlan) -> itinerary.Itinerary:
    """Work the plan again, keep the result, and bring the trips in step: trip n keeps its
    checklist and status while its dates follow the planner."""
    worked = plan_work(plan)
    plan.result = worked.to_dict()
    plan.planned_at = timezone.now()
    plan.save(update_fields=["result", "planned_at"])
    kept = {trip.number: trip for trip in plan.trips.all()}
    for number, planned in enumerate(worked.trips, start=1):
        trip = kept.pop(number, None) or Trip(plan=plan, number=number)
        changed = (trip.outbound, trip.home) != (planned.outbound, planned.home)
        trip.outbound, trip.home = planned.outbound, planned.home
        trip.return_reason = planned.return_reason
        if changed and trip.status == Trip.Status.CONFIRMED:
            trip.status, trip.confirmed_at = Trip.Status.PLANNED, None
        trip.save()
        checklist_ensure(trip=trip, needs_clearance=worked.needs_clearance)
    for gone in kept.values():
        gone.delete()
    return worked


@transaction.atomic
def trip_plan_save(*, case: Case, actor: User, figures: JourneyFigures) -> TripPlan:
    """Start (or change the figures of) the case's trip plan from its accepted quote."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.state != CaseState.PLANNING_TRIP:
        raise TripRefused(_("Trips are planned once the patient has accepted a plan."))
    quote = accepted_quote(case)
    if quote is None:
        raise TripRefused(_("The patient has not accepted a plan yet."))
    if figures.earliest_arrival < timezone.localdate():
        raise TripRefused(_("The earliest arrival cannot be in the past."))
    plan = TripPlan.objects.filter(case=case).first() or TripPlan(case=case, created_by=actor)
    plan.quote = quote
    for name, value in vars(figures).items():
        setattr(plan, name, value)
    plan.full_clean(exclude=["case", "quote", "created_by", "result"])
    plan.save()
    _replan(plan)
    return plan


def earliest_outbound(plan: TripPlan, trip: Trip) -> date:
    """The earliest day trip `trip` can fly out: the planner's day for it with only the
    holds of the trips before it."""
    first_session = _first_session_index(plan, trip)
    holds = {k: v for k, v in _not_before(plan).items() if k < first_session}
    worked = itinerary.plan_trips(plan_request(plan), not_before=holds)
    day = date.fromisoformat(worked.to_dict()["appointments"][first_session]["date"])
    return day - timedelta(days=1)


def _first_session_index(plan: TripPlan, trip: Trip) -> int:
    appointments = plan.result.get("appointments", [])
    for index, appointment in enumerate(appointments):
        if date.fromisoformat(appointment["date"]) > trip.outbound:
            return index
    raise TripRefused(_("This trip has no sessions left to move."))


@transaction.atomic
def trip_move_later(*, trip: Trip, actor: User, outbound: date) -> TripPlan:
    """Fly out for `trip` on `outbound` instead: never earlier than the planner allows; the
    trip's first session and everything after it follow, and the plan is checked again."""
    plan = TripPlan.objects.select_for_update().get(pk=trip.plan_id)
    if trip.status == Trip.Status.RETURNED:
        raise TripRefused(_("This trip is over."))
    earliest = earliest_outbound(plan, trip)
    if outbound < earliest:
        raise TripRefused(
            _(
                "This trip cannot fly out before %(day)s: its first session can be no earlier "
                "than the next day, by the clinic's open days, the intervals of the plan and the "
                "safe flight after the sessions before it."
            )
            % {"day": earliest.isoformat()}
        )
    holds = plan.session_not_before
    holds[str(_first_session_index(plan, trip))] = (outbound + timedelta(days=1)).isoformat()
    plan.session_not_before = holds
    plan.save(update_fields=["session_not_before"])
    _replan(plan)
    return plan


@dataclass(frozen=True)
class NoFlyWindow:
    """Days after a session when the patient must not fly: from the session to its earliest
    safe flight (SPEC §8.1), that day excluded."""

    service: str
    session: date
    first_flight: date

    def holds(self, day: date) -> bool:
        return self.session <= day < self.first_flight

    @property
    def service_name(self) -> str:
        from oncoroute.trips.fitness import service_words

        return service_words(self.service)


def no_fly_windows(plan: TripPlan) -> list[NoFlyWindow]:
    items = list(plan.quote.opinion.items.all())
    windows = []
    for appointment in plan.result.get("appointments", []):
        item = items[appointment["item"]]
        day = date.fromisoformat(appointment["date"])
        first = itinerary.earliest_flight_day(
            item.service, day, item.hospital_nights, item.recovery_days
        )
        windows.append(NoFlyWindow(item.service, day, first))
    return windows


def booking_problem(plan: TripPlan, kind: str, starts_on: date, ends_on: date | None) -> str:
    """Why a booking does not fit the plan as it stands, or "" when it fits."""
    if kind in (Booking.Kind.FLIGHT_OUT, Booking.Kind.FLIGHT_HOME):
        for window in no_fly_windows(plan):
            if window.holds(starts_on):
                return _(
                    "A flight on %(day)s falls in a no-fly window: after the %(service)s session "
                    "on %(session)s the patient may fly from %(first)s (SPEC §8.1)."
                ) % {
                    "day": starts_on.isoformat(),
                    "service": window.service_name,
                    "session": window.session.isoformat(),
                    "first": window.first_flight.isoformat(),
                }
    elif ends_on is None or ends_on <= starts_on:
        return _("A stay needs a last night after its first.")
    return ""


@transaction.atomic
def booking_add(
    *,
    plan: TripPlan,
    actor: User,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    details: str = "",
    cost: Decimal | None = None,
) -> Booking:
    """Record a booked flight or stay; one that breaks the plan's no-fly windows is refused."""
    problem = booking_problem(plan, kind, starts_on, ends_on)
    if problem:
        raise TripRefused(problem)
    return Booking.objects.create(
        plan=plan,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        details=details.strip(),
        cost=cost,
        created_by=actor,
    )


def bookings_out_of_step(plan: TripPlan) -> list[tuple[Booking, str]]:
    """The bookings the plan, as changed since, no longer allows: each with its reason."""
    found = []
    for booking in plan.bookings.all():
        problem = booking_problem(plan, booking.kind, booking.starts_on, booking.ends_on)
        if problem:
            found.append((booking, problem))
    return found


@transaction.atomic
def trip_confirm(*, trip: Trip, actor: User) -> Trip:
    """Confirm a trip: only with every required checklist item done, and never while the
    safety gate holds the case."""
    trip = Trip.objects.select_for_update().select_related("plan__case").get(pk=trip.pk)
    if cord_flag_unresolved(trip.plan.case):
        raise TripRefused(
            _(
                "Cord-compression warning signs: no trip is confirmed until a clinician records "
                "that the patient was assessed locally and is fit to travel."
            )
        )
    open_items = trip.checklist.filter(required=True, done_at__isnull=True)
    if open_items.exists():
        raise TripRefused(
            _("The trip cannot be confirmed while required checklist items are open: %(items)s.")
            % {"items": ", ".join(item.label for item in open_items)}
        )
    trip.status, trip.confirmed_at = Trip.Status.CONFIRMED, timezone.now()
    trip.save(update_fields=["status", "confirmed_at"])
    return trip


def checklist_item_toggle(*, item: ChecklistItem, actor: User) -> ChecklistItem:
    """Tick an item done (who, when), or untick it; a changed checklist unconfirms nothing,
    but a trip is confirmed only with its required items done."""
    if item.done_at is None:
        item.done_at, item.done_by = timezone.now(), actor
    else:
        item.done_at, item.done_by = None, None
    item.save(update_fields=["done_at", "done_by"])
    return item


def checklist_ensure(*, trip: Trip, needs_clearance: bool) -> None:
    """Give the trip every item that applies to it, keeping what was already ticked."""
    have = set(trip.checklist.values_list("code", flat=True))
    ChecklistItem.objects.bulk_create(
        ChecklistItem(trip=trip, code=code, owner=entry.owner, required=entry.required)
        for code, entry in CHECKLIST.items()
        if code not in have and (needs_clearance or not entry.clearance_only)
    )
    if not needs_clearance:
        trip.checklist.filter(
            code__in=[c for c, e in CHECKLIST.items() if e.clearance_only], done_at__isnull=True
        ).delete()
