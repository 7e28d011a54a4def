"""Thin views of the trip pages: the coordinator's plan (figures, moves, bookings, checklists,
confirmation) and the patient's itinerary with its calendar file."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import icalendar
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from oncoroute.accounts.decorators import coordinator_required, patient_required
from oncoroute.accounts.models import User
from oncoroute.cases import selectors as case_selectors
from oncoroute.cases.models import Case
from oncoroute.trips import selectors, services
from oncoroute.trips.fitness import service_words
from oncoroute.trips.forms import BookingForm, JourneyForm, MoveForm
from oncoroute.trips.models import Trip, TripPlan


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _page_context(case: Case, plan: TripPlan | None) -> dict[str, Any]:
    """What both the coordinator's and the patient's pages show of a plan."""
    if plan is None:
        return {"case": case, "plan": None}
    return {
        "case": case,
        "plan": plan,
        "result": plan.result,
        "blocked": plan.result.get("blocked"),
        "trip_days": selectors.trip_days(plan),
        "costs": selectors.plan_costs(plan),
        "clinic": plan.quote.referral.clinic,
    }


def _figures_initial(plan: TripPlan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    names = JourneyForm.base_fields
    return {name: getattr(plan, name) for name in names}


@require_GET
@coordinator_required
def coordinator_trips(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_selectors.case_for_coordinator(user=_user(request), reference=reference)
    return _coordinator_page(request, case)


def _coordinator_page(
    request: HttpRequest, case: Case, *, figures: JourneyForm | None = None, status: int = 200
) -> HttpResponse:
    plan = selectors.plan_of_case(case)
    context = _page_context(case, plan)
    context.update(
        quote=services.accepted_quote(case),
        figures_form=figures or JourneyForm(initial=_figures_initial(plan)),
        move_form=MoveForm(),
        booking_form=BookingForm(),
        out_of_step=services.bookings_out_of_step(plan) if plan and plan.result else [],
    )
    return render(request, "trips/coordinator_trips.html", context, status=status)


def _back(case: Case) -> HttpResponse:
    return redirect("trips_plan", reference=case.reference)


@require_POST
@coordinator_required
def trips_figures(request: HttpRequest, reference: str) -> HttpResponse:
    """Start the plan, or change its figures: the planner works it again."""
    case = case_selectors.case_for_coordinator(
        user=_user(request), reference=reference, for_write=True
    )
    form = JourneyForm(request.POST)
    if not form.is_valid():
        return _coordinator_page(request, case, figures=form, status=422)
    data = form.cleaned_data
    figures = services.JourneyFigures(
        earliest_arrival=data["earliest_arrival"],
        one_way_fare=data["one_way_fare"],
        travellers=data["travellers"],
        per_night=data["per_night"],
        transfers=data["transfers"] or Decimal(0),
        interpreter=data["interpreter"] or Decimal(0),
        home_stay_min_days=data["home_stay_min_days"],
    )
    try:
        services.trip_plan_save(case=case, actor=_user(request), figures=figures)
    except services.TripRefused as refusal:
        form.add_error(None, str(refusal))
        return _coordinator_page(request, case, figures=form, status=422)
    messages.success(request, _("The trips are planned."))
    return _back(case)


def _trip(request: HttpRequest, trip_id: int) -> Trip:
    trip = selectors.trip_for_coordinator(user=_user(request), trip_id=trip_id)
    case_selectors.case_for_coordinator(
        user=_user(request), reference=str(trip.plan.case.reference), for_write=True
    )
    return trip


@require_POST
@coordinator_required
def trip_move(request: HttpRequest, trip_id: int) -> HttpResponse:
    trip = _trip(request, trip_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the new day to fly out."))
        return _back(trip.plan.case)
    try:
        services.trip_move_later(
            trip=trip, actor=_user(request), outbound=form.cleaned_data["outbound"]
        )
    except services.TripRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The trip is moved; the plan was checked again."))
    return _back(trip.plan.case)


@require_POST
@coordinator_required
def trip_confirm(request: HttpRequest, trip_id: int) -> HttpResponse:
    trip = _trip(request, trip_id)
    try:
        services.trip_confirm(trip=trip, actor=_user(request))
    except services.TripRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Trip %(number)s is confirmed.") % {"number": trip.number})
    return _back(trip.plan.case)


@require_POST
@coordinator_required
def checklist_tick(request: HttpRequest, trip_id: int, item_id: int) -> HttpResponse:
    """Tick an item done, or untick it."""
    trip = _trip(request, trip_id)
    item = get_object_or_404(trip.checklist, pk=item_id)
    services.checklist_item_toggle(item=item, actor=_user(request))
    return redirect(f"{_back(trip.plan.case)['Location']}#trip-{trip.number}")


@require_POST
@coordinator_required
def booking_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_selectors.case_for_coordinator(
        user=_user(request), reference=reference, for_write=True
    )
    plan = selectors.plan_of_case(case)
    form = BookingForm(request.POST)
    if plan is None or not form.is_valid():
        messages.error(request, _("The booking needs a planned trip, what it is and its date."))
        return _back(case)
    data = form.cleaned_data
    try:
        services.booking_add(
            plan=plan, actor=_user(request), kind=data["kind"], starts_on=data["starts_on"],
            ends_on=data["ends_on"], details=data["details"], cost=data["cost"],
        )  # fmt: skip
    except services.TripRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The booking is recorded."))
    return _back(case)


@require_GET
@patient_required
def patient_itinerary(request: HttpRequest, reference: str) -> HttpResponse:
    """The family's itinerary: the picture of the trips, the days, the costs, what to do."""
    case = case_selectors.case_for_patient(user=_user(request), reference=reference)
    return render(
        request, "trips/patient_itinerary.html", _page_context(case, selectors.plan_of_case(case))
    )


@require_GET
@patient_required
def patient_itinerary_ics(request: HttpRequest, reference: str) -> HttpResponse:
    """Every flight and session of the plan as all-day events for the family's calendar."""
    case = case_selectors.case_for_patient(user=_user(request), reference=reference)
    plan = selectors.plan_of_case(case)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//oncoroute//trips//EN")
    calendar.add("version", "2.0")
    if plan is not None:
        for uid, day, summary in _calendar_events(plan):
            _all_day(calendar, f"{uid}-{plan.pk}", day, summary)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="trips.ics"'
    return response


def _calendar_events(plan: TripPlan) -> list[tuple[str, date, str]]:
    """(uid, day, summary) of every flight and session, in the reader's language."""
    clinic = plan.quote.referral.clinic.name
    events = []
    for trip in plan.trips.all():
        to_clinic = _("Flight to %(clinic)s (trip %(n)s)") % {"clinic": clinic, "n": trip.number}
        events.append((f"trip-{trip.number}-out", trip.outbound, to_clinic))
        home = _("Flight home (trip %(n)s)") % {"n": trip.number}
        events.append((f"trip-{trip.number}-home", trip.home, home))
    for index, appointment in enumerate(plan.result.get("appointments", [])):
        service = service_words(appointment["service"])
        summary = _("%(service)s at %(clinic)s") % {"service": service, "clinic": clinic}
        events.append((f"session-{index}", date.fromisoformat(appointment["date"]), summary))
    return events


def _all_day(calendar: icalendar.Calendar, uid: str, day: Any, summary: str) -> None:
    event = icalendar.Event()
    event.add("uid", f"{uid}@oncoroute")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", day)
    event.add("summary", summary)
    calendar.add_component(event)
