"""PLANNER.md §4 over generated plans: each invariant checked from the output alone, against
the rules as PLANNER.md and SPEC §8.1 write them (not against the planner's own helpers)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from oncoroute.itinerary import PlanRequest, parse_request, plan_trips

from .test_rules import SPEC_MINIMUM_DAYS

PROPERTIES = settings(max_examples=300, deadline=None)

SERVICE_IDS = sorted(SPEC_MINIMUM_DAYS)
FIRST_DAY = date(2026, 1, 1)


def _day(offset: int) -> str:
    return (FIRST_DAY + timedelta(days=offset)).isoformat()


@st.composite
def plan_items(draw: st.DrawFn) -> dict[str, Any]:
    item: dict[str, Any] = {
        "service": draw(st.sampled_from(SERVICE_IDS)),
        "sessions": draw(st.integers(1, 8) | st.integers(1, 100)),
    }
    optional = {
        "interval_days": st.integers(1, 10) | st.integers(1, 365),
        "after_previous_days": st.integers(0, 30) | st.integers(0, 365),
        "hospital_nights": st.integers(0, 10) | st.integers(0, 60),
        "recovery_days": st.integers(0, 14) | st.integers(0, 365),
    }
    for key, values in optional.items():
        if draw(st.booleans()):
            item[key] = draw(values)
    return item


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    """Valid plan JSON: any working week, holidays clustered near the sessions, any items."""
    arrival = draw(st.integers(0, 3650))
    clinic: dict[str, Any] = {
        "working_days": draw(st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True))
    }
    if draw(st.booleans()):
        clinic["closed_dates"] = [
            _day(arrival + offset)
            for offset in draw(st.lists(st.integers(0, 400) | st.integers(0, 40), max_size=60))
        ]
    data: dict[str, Any] = {
        "earliest_arrival": _day(arrival),
        "clinic": clinic,
        "journey": {
            "one_way_fare": draw(st.from_regex(r"[0-9]{1,6}(\.[0-9]{1,2})?", fullmatch=True)),
            "travellers": draw(st.integers(1, 10)),
        },
        "stay": {"per_night": draw(st.from_regex(r"[0-9]{1,5}(\.[0-9]{1,2})?", fullmatch=True))},
        "currency": draw(st.sampled_from(["EUR", "USD", "TRY"])),
        "items": draw(st.lists(plan_items(), min_size=1, max_size=6)),
    }
    if draw(st.booleans()):
        data["home_stay_min_days"] = draw(st.integers(1, 30) | st.integers(1, 365))
    if draw(st.booleans()):
        data["patient"] = {"travel": "specialist_clearance_required"}
    return data


def worked(data: dict[str, Any]) -> dict[str, Any]:
    request = parse_request(data)
    assert isinstance(request, PlanRequest), request
    return plan_trips(request).to_dict()


def iso(text: str) -> date:
    return date.fromisoformat(text)


def is_open(day: date, data: dict[str, Any]) -> bool:
    clinic = data["clinic"]
    return day.weekday() in clinic["working_days"] and day.isoformat() not in clinic.get(
        "closed_dates", []
    )


def sessions_of(data: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    return [
        (index, item) for index, item in enumerate(data["items"]) for _ in range(item["sessions"])
    ]


def earliest_flight(item: dict[str, Any], day: date) -> date:
    """SPEC §8.1: max(s + minimum, d + r, d + 1 if admitted else s)."""
    nights = item.get("hospital_nights", 0)
    discharge = day + timedelta(days=nights)
    return max(
        day + timedelta(days=SPEC_MINIMUM_DAYS[item["service"]]),
        discharge + timedelta(days=item.get("recovery_days", 0)),
        discharge + timedelta(days=1) if nights else day,
    )


def trip_of(result: dict[str, Any], day: date) -> dict[str, Any]:
    (trip,) = [t for t in result["trips"] if iso(t["outbound"]) < day <= iso(t["return"])]
    return trip


@PROPERTIES
@given(plans())
def test_every_session_appears_once_in_order_on_an_open_day(data: dict[str, Any]) -> None:
    result = worked(data)
    expected = [
        (index, item["service"], number)
        for index, item in enumerate(data["items"])
        for number in range(1, item["sessions"] + 1)
    ]
    appointments = result["appointments"]
    assert [(a["item"], a["service"], a["session"]) for a in appointments] == expected
    days = [iso(a["date"]) for a in appointments]
    assert all(is_open(day, data) for day in days)
    assert days == sorted(days)


@PROPERTIES
@given(plans())
def test_each_session_is_on_the_earliest_open_day_rule_2_allows(data: dict[str, Any]) -> None:
    result = worked(data)
    previous: tuple[date, dict[str, Any]] | None = None
    for (_, item), appointment in zip(sessions_of(data), result["appointments"], strict=True):
        day = iso(appointment["date"])
        if previous is None:
            bound = iso(data["earliest_arrival"]) + timedelta(days=1)
        else:
            last_day, last_item = previous
            discharge = last_day + timedelta(days=last_item.get("hospital_nights", 0))
            if appointment["session"] == 1:
                bound = discharge + timedelta(days=item.get("after_previous_days", 1))
            else:
                bound = max(last_day + timedelta(days=item.get("interval_days", 1)), discharge)
        assert day >= bound
        # Greedy: no open day between the bound and the day chosen.
        skipped = (bound + timedelta(days=n) for n in range((day - bound).days))
        assert not any(is_open(between, data) for between in skipped)
        previous = (day, item)


@PROPERTIES
@given(plans())
def test_each_admission_follows_its_session_and_none_overlap(data: dict[str, Any]) -> None:
    result = worked(data)
    expected = [
        {
            "item": index,
            "from": appointment["date"],
            "to": (iso(appointment["date"]) + timedelta(days=item["hospital_nights"])).isoformat(),
        }
        for (index, item), appointment in zip(
            sessions_of(data), result["appointments"], strict=True
        )
        if item.get("hospital_nights", 0) > 0
    ]
    assert result["admissions"] == expected
    for before, after in itertools.pairwise(expected):
        assert iso(after["from"]) >= iso(before["to"])
    assert result["summary"]["hospital_nights"] == sum(
        (iso(a["to"]) - iso(a["from"])).days for a in expected
    )


@PROPERTIES
@given(plans())
def test_every_appointment_and_admission_lies_inside_a_trip(data: dict[str, Any]) -> None:
    result = worked(data)
    for appointment in result["appointments"]:
        trip_of(result, iso(appointment["date"]))
    for admission in result["admissions"]:
        trip = trip_of(result, iso(admission["from"]))
        assert iso(admission["to"]) <= iso(trip["return"])


@PROPERTIES
@given(plans())
def test_a_trip_returns_on_the_latest_earliest_flight_of_its_sessions(
    data: dict[str, Any],
) -> None:
    result = worked(data)
    flights: dict[str, list[date]] = {}
    firsts: dict[str, date] = {}
    for (_, item), appointment in zip(sessions_of(data), result["appointments"], strict=True):
        day = iso(appointment["date"])
        trip = trip_of(result, day)
        flights.setdefault(trip["outbound"], []).append(earliest_flight(item, day))
        firsts.setdefault(trip["outbound"], day)
    assert set(flights) == {trip["outbound"] for trip in result["trips"]}
    for trip in result["trips"]:
        # Not before any session's earliest flight, nor later than the latest of them.
        assert iso(trip["return"]) == max(flights[trip["outbound"]])
        assert iso(trip["outbound"]) == firsts[trip["outbound"]] - timedelta(days=1)
        assert trip["nights"] == (iso(trip["return"]) - iso(trip["outbound"])).days


@PROPERTIES
@given(plans())
def test_trips_do_not_overlap_and_the_patient_is_home_long_enough(data: dict[str, Any]) -> None:
    result = worked(data)
    least = data.get("home_stay_min_days", 7)
    trips = result["trips"]
    for before, after in itertools.pairwise(trips):
        assert (iso(after["outbound"]) - iso(before["return"])).days >= least


@PROPERTIES
@given(plans())
def test_a_trip_is_cut_exactly_where_rule_5_says(data: dict[str, Any]) -> None:
    """Between two sessions of one trip the stay at home would be too short; between trips not."""
    result = worked(data)
    least = data.get("home_stay_min_days", 7)
    steps = list(zip(sessions_of(data), result["appointments"], strict=True))
    latest: date | None = None
    for ((_, item), appointment), (_, following) in itertools.pairwise(steps):
        day = iso(appointment["date"])
        flight = earliest_flight(item, day)
        latest = flight if latest is None else max(latest, flight)
        next_outbound = iso(following["date"]) - timedelta(days=1)
        same_trip = trip_of(result, day) is trip_of(result, iso(following["date"]))
        assert same_trip == ((next_outbound - latest).days < least)
        if not same_trip:
            latest = None


@PROPERTIES
@given(plans())
def test_counts_and_costs_add_up_as_rule_6_says(data: dict[str, Any]) -> None:
    result = worked(data)
    summary, trips = result["summary"], result["trips"]
    fare = Decimal(data["journey"]["one_way_fare"])
    per_night = Decimal(data["stay"]["per_night"])
    travellers = data["journey"]["travellers"]
    nights = sum(trip["nights"] for trip in trips)
    paid_nights = nights - (summary["hospital_nights"] if travellers == 1 else 0)
    cent = Decimal("0.01")
    flights = (fare * travellers * 2 * len(trips)).quantize(cent, ROUND_HALF_EVEN)
    accommodation = (per_night * paid_nights).quantize(cent, ROUND_HALF_EVEN)
    assert summary["trips"] == len(trips)
    assert summary["one_way_flights"] == 2 * len(trips)
    assert summary["nights_away"] == nights
    assert summary["cost"] == {
        "flights": f"{flights:.2f}",
        "accommodation": f"{accommodation:.2f}",
        "total": f"{flights + accommodation:.2f}",
        "currency": data["currency"],
    }
    assert summary["first_session"] == result["appointments"][0]["date"]
    assert summary["last_session"] == result["appointments"][-1]["date"]
    assert summary["home"] == trips[-1]["return"]
    # Rule 7: one trip from the day before the first session to the last flight home.
    single_nights = (iso(trips[-1]["return"]) - iso(trips[0]["outbound"])).days
    single_paid = single_nights - (summary["hospital_nights"] if travellers == 1 else 0)
    single_total = (fare * travellers * 2 + per_night * single_paid).quantize(cent)
    assert summary["single_stay"] == {
        "nights_away": single_nights,
        "one_way_flights": 2,
        "total": f"{single_total:.2f}",
    }


@PROPERTIES
@given(plans())
def test_clearance_is_asked_exactly_when_triage_asks_it(data: dict[str, Any]) -> None:
    result = worked(data)
    wanted = data.get("patient", {}).get("travel") == "specialist_clearance_required"
    assert result["needs_clearance"] is wanted
    assert result["blocked"] is None


@settings(max_examples=200, deadline=None)
@given(plans(), st.integers(0, 2000))
def test_near_the_end_of_the_calendar_a_plan_is_made_whole_or_refused_with_dollar(
    data: dict[str, Any], days_before_end: int
) -> None:
    data["earliest_arrival"] = (date.max - timedelta(days=days_before_end)).isoformat()
    data["clinic"].pop("closed_dates", None)
    parsed = parse_request(data)
    if isinstance(parsed, list):
        assert [error.field for error in parsed] == ["$"]
        return
    result = plan_trips(parsed).to_dict()
    assert iso(result["summary"]["home"]) <= date.max
