"""Trips planned from the accepted plan with the clinic's open days and public holidays, worked
by hand: moved only later, bookings checked against the no-fly windows, confirmed only with
the checklist done, and none at all while the safety gate holds the case."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from oncoroute.cases.models import Case
from oncoroute.cases.services import case_transition, message_send, message_warning_flag
from oncoroute.cases.workflow import CaseState, TransitionNotAllowed
from oncoroute.trips.models import Booking, Trip, TripPlan
from oncoroute.trips.selectors import plan_costs, trip_days
from oncoroute.trips.services import (
    TripRefused,
    booking_add,
    bookings_out_of_step,
    checklist_item_toggle,
    earliest_outbound,
    trip_confirm,
    trip_move_later,
    trip_plan_save,
)
from tests.trips.conftest import FIGURES

pytestmark = pytest.mark.django_db


def dates(plan: TripPlan) -> list[tuple[date, date]]:
    return [(trip.outbound, trip.home) for trip in plan.trips.order_by("number")]


def sessions(plan: TripPlan) -> list[str]:
    return [appointment["date"] for appointment in plan.result["appointments"]]


def test_the_accepted_plan_becomes_two_trips_worked_by_hand(trip_plan: TripPlan) -> None:
    # Stabilisation Tue 2 Mar, discharged Sun 7 Mar; flying needs 7 days after the surgery and
    # the clinic's 7 days after discharge: home 14 Mar. SBRT from 7 Mar + 14 = Sun 21 Mar, so
    # Mon 22 – Fri 26 Mar, home the day after. Seven days at home between: two trips.
    assert sessions(trip_plan) == [
        "2027-03-02", "2027-03-22", "2027-03-23", "2027-03-24", "2027-03-25", "2027-03-26",
    ]  # fmt: skip
    assert dates(trip_plan) == [
        (date(2027, 3, 1), date(2027, 3, 14)),
        (date(2027, 3, 21), date(2027, 3, 27)),
    ]
    assert trip_plan.result["admissions"] == [{"item": 0, "from": "2027-03-02", "to": "2027-03-07"}]


def test_the_clinics_public_holidays_move_a_session(planning: Case, coordinator: Any) -> None:
    # Eid al-Fitr closes the Turkish clinic on 9–11 March 2027: arriving Monday 8 March, the
    # surgery waits for Friday the 12th.
    figures = replace(FIGURES, earliest_arrival=date(2027, 3, 8))
    plan = trip_plan_save(case=planning, actor=coordinator, figures=figures)
    assert sessions(plan)[0] == "2027-03-12"


def test_the_costs_add_the_quote_and_the_journey(trip_plan: TripPlan) -> None:
    costs = plan_costs(trip_plan)
    assert costs is not None
    # 19 nights away at 90; two travellers' two flights for each of two trips at 250.
    assert (costs.flights, costs.accommodation) == (Decimal("2000.00"), Decimal("1710.00"))
    assert costs.treatment == Decimal("26500.50")
    assert costs.total == Decimal("26500.50") + 2000 + 1710 + 120 + 300
    # One stay of 26 nights and one return flight for two, instead.
    assert costs.single_stay_total == Decimal("26500.50") + 2340 + 1000 + 120 + 300
    assert costs.patient_currency == "USD" and costs.total_converted is not None
    assert costs.not_included == "Flights, hotel, interpreter."


def test_the_picture_marks_flights_sessions_hospital_and_no_fly_days(trip_plan: TripPlan) -> None:
    first = trip_days(trip_plan)[0]
    kinds = {day.on.day: day.kind for day in first.days}
    assert kinds[1] == "flight" and kinds[14] == "flight"
    assert kinds[2] == "session"
    assert [kinds[d] for d in range(3, 7)] == ["hospital"] * 4
    assert [kinds[d] for d in range(7, 14)] == ["no_fly"] * 7


def test_a_trip_moves_later_and_never_earlier_than_the_planner_allows(
    trip_plan: TripPlan, coordinator: Any
) -> None:
    second = trip_plan.trips.get(number=2)
    assert earliest_outbound(trip_plan, second) == date(2027, 3, 21)
    with pytest.raises(TripRefused, match="before 2027-03-21"):
        trip_move_later(trip=second, actor=coordinator, outbound=date(2027, 3, 20))
    assert dates(TripPlan.objects.get(pk=trip_plan.pk))[1] == (date(2027, 3, 21), date(2027, 3, 27))

    plan = trip_move_later(trip=second, actor=coordinator, outbound=date(2027, 3, 28))
    assert sessions(plan)[1:] == [
        "2027-03-29", "2027-03-30", "2027-03-31", "2027-04-01", "2027-04-02",
    ]  # fmt: skip
    assert dates(plan) == [
        (date(2027, 3, 1), date(2027, 3, 14)),
        (date(2027, 3, 28), date(2027, 4, 3)),
    ]


def test_a_flight_in_a_no_fly_window_is_refused(trip_plan: TripPlan, coordinator: Any) -> None:
    with pytest.raises(TripRefused, match="no-fly window"):
        booking_add(
            plan=trip_plan, actor=coordinator, kind=Booking.Kind.FLIGHT_HOME,
            starts_on=date(2027, 3, 12), details="TK 413",
        )  # fmt: skip
    assert not trip_plan.bookings.exists()
    booking_add(
        plan=trip_plan, actor=coordinator, kind=Booking.Kind.FLIGHT_HOME,
        starts_on=date(2027, 3, 14), details="TK 413",
    )  # fmt: skip
    assert trip_plan.bookings.count() == 1


def test_a_move_that_puts_a_booked_flight_in_a_no_fly_window_flags_it(
    trip_plan: TripPlan, coordinator: Any
) -> None:
    booked = booking_add(
        plan=trip_plan, actor=coordinator, kind=Booking.Kind.FLIGHT_OUT,
        starts_on=date(2027, 3, 29),
    )  # fmt: skip
    assert bookings_out_of_step(trip_plan) == []
    plan = trip_move_later(
        trip=trip_plan.trips.get(number=2), actor=coordinator, outbound=date(2027, 3, 28)
    )
    [(flagged, reason)] = bookings_out_of_step(plan)
    assert flagged == booked and "no-fly window" in reason


def test_a_trip_is_confirmed_only_with_its_required_checklist_done(
    trip_plan: TripPlan, coordinator: Any
) -> None:
    trip = trip_plan.trips.get(number=1)
    codes = set(trip.checklist.values_list("code", flat=True))
    assert {"passport_visa", "invitation_letter", "insurance", "medicines"} <= codes
    assert "medif" not in codes  # standard precautions: no clearance needed
    with pytest.raises(TripRefused, match="required checklist items are open"):
        trip_confirm(trip=trip, actor=coordinator)
    for item in trip.checklist.filter(required=True):
        checklist_item_toggle(item=item, actor=coordinator)
    assert trip_confirm(trip=trip, actor=coordinator).status == Trip.Status.CONFIRMED


def test_moving_a_confirmed_trip_unconfirms_it(trip_plan: TripPlan, coordinator: Any) -> None:
    trip = trip_plan.trips.get(number=2)
    for item in trip.checklist.filter(required=True):
        checklist_item_toggle(item=item, actor=coordinator)
    trip_confirm(trip=trip, actor=coordinator)
    trip_move_later(trip=trip, actor=coordinator, outbound=date(2027, 3, 28))
    trip.refresh_from_db()
    assert trip.status == Trip.Status.PLANNED
    assert trip.checklist.filter(done_at__isnull=False).count() > 0  # the ticks are kept


def test_warning_signs_block_every_trip(trip_plan: TripPlan, coordinator: Any) -> None:
    case = trip_plan.case
    message = message_send(case=case, author=coordinator, side="patient", body="Legs weak.")
    message_warning_flag(message=message, actor=coordinator)
    with pytest.raises(TripRefused, match="Cord-compression"):
        trip_confirm(trip=trip_plan.trips.get(number=1), actor=coordinator)
    plan = trip_plan_save(case=case, actor=coordinator, figures=FIGURES)
    assert plan.result["blocked"]["rule"] == "do_not_travel"
    assert not plan.trips.exists()


def test_trips_are_planned_only_after_an_acceptance(consented: Case, coordinator: Any) -> None:
    with pytest.raises(TripRefused, match="accepted a plan"):
        trip_plan_save(case=consented, actor=coordinator, figures=FIGURES)
    Case.objects.filter(pk=consented.pk).update(state=CaseState.PLANNING_TRIP)
    with pytest.raises(TripRefused, match="not accepted a plan"):
        trip_plan_save(case=Case.objects.get(pk=consented.pk), actor=coordinator, figures=FIGURES)
    assert not TripPlan.objects.exists()


def test_an_arrival_in_the_past_is_refused(planning: Case, coordinator: Any) -> None:
    with pytest.raises(TripRefused, match="past"):
        trip_plan_save(
            case=planning, actor=coordinator,
            figures=replace(FIGURES, earliest_arrival=date(2020, 1, 1)),
        )  # fmt: skip
    assert not TripPlan.objects.exists()


def test_back_home_needs_every_trip_returned(trip_plan: TripPlan, coordinator: Any) -> None:
    case = trip_plan.case
    Case.objects.filter(pk=case.pk).update(state=CaseState.IN_TREATMENT)
    case.refresh_from_db()
    with pytest.raises(TransitionNotAllowed, match="return of the last trip"):
        case_transition(case=case, actor=coordinator, to=CaseState.FOLLOW_UP)
    trip_plan.trips.update(status=Trip.Status.RETURNED)
    assert case_transition(case=case, actor=coordinator, to=CaseState.FOLLOW_UP).state == (
        CaseState.FOLLOW_UP
    )
