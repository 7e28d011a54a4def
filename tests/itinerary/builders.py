"""A plan request as the JSON the planner reads (PLANNER.md §1): each test says what differs."""

from __future__ import annotations

import copy
from typing import Any

from oncoroute.itinerary import Itinerary, PlanRequest, parse_request, plan_trips

WEEKDAYS = [0, 1, 2, 3, 4]

# PLANNER.md §1, as written there.
WORKED_EXAMPLE: dict[str, Any] = {
    "earliest_arrival": "2027-02-08",
    "clinic": {"working_days": [0, 1, 2, 3, 4], "closed_dates": ["2027-02-15"]},
    "journey": {"one_way_fare": "320.00", "travellers": 2},
    "stay": {"per_night": "95.00"},
    "currency": "EUR",
    "home_stay_min_days": 7,
    "patient": {"mscc_urgent": False, "travel": "standard_precautions"},
    "items": [
        {"service": "consultation", "sessions": 1},
        {"service": "kyphoplasty", "sessions": 1, "hospital_nights": 1, "recovery_days": 2},
        {"service": "sbrt", "sessions": 5, "interval_days": 1, "after_previous_days": 14},
    ],
}


def plan_data(
    *items: dict[str, Any],
    arrival: str = "2027-03-01",
    closed: list[str] | None = None,
    fare: str = "100.00",
    travellers: int = 2,
    per_night: str = "50.00",
    **top: Any,
) -> dict[str, Any]:
    """A valid plan with the given items (one SBRT session if none), Monday–Friday clinic."""
    clinic: dict[str, Any] = {"working_days": list(WEEKDAYS)}
    if closed is not None:
        clinic["closed_dates"] = closed
    return {
        "earliest_arrival": arrival,
        "clinic": clinic,
        "journey": {"one_way_fare": fare, "travellers": travellers},
        "stay": {"per_night": per_night},
        "currency": "EUR",
        "items": [dict(item) for item in items] or [{"service": "sbrt", "sessions": 1}],
        **top,
    }


def request_of(data: dict[str, Any]) -> PlanRequest:
    parsed = parse_request(copy.deepcopy(data))
    assert isinstance(parsed, PlanRequest), parsed
    return parsed


def worked(data: dict[str, Any]) -> Itinerary:
    return plan_trips(request_of(data))


def worked_dict(data: dict[str, Any]) -> dict[str, Any]:
    return worked(data).to_dict()
