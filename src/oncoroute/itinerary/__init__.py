"""The trip planner: an accepted treatment plan becomes trips, dates and costs (PLANNER.md).

No Django. `parse_request(data)` validates parsed JSON into a `PlanRequest` or returns every
`FieldError`; `plan_trips(request)` works the plan into an `Itinerary`, whose `to_dict()` is the
PLANNER.md §3 object. The same plan always gives the same itinerary.
"""

from __future__ import annotations

from .planner import DO_NOT_TRAVEL, plan_trips
from .request import (
    ClinicDays,
    FieldError,
    Journey,
    Patient,
    PlanItem,
    PlanRequest,
    Stay,
    parse_request,
)
from .result import (
    Admission,
    Appointment,
    Blocked,
    Cost,
    Itinerary,
    SingleStay,
    Summary,
    Trip,
)
from .rules import (
    MIN_DAYS_BEFORE_FLIGHT,
    RULES_VERSION,
    SERVICE_LABELS,
    SERVICES,
    TRAVEL_VALUES,
    earliest_flight_day,
    min_days_before_flight,
)

__all__ = [
    "DO_NOT_TRAVEL",
    "MIN_DAYS_BEFORE_FLIGHT",
    "RULES_VERSION",
    "SERVICES",
    "SERVICE_LABELS",
    "TRAVEL_VALUES",
    "Admission",
    "Appointment",
    "Blocked",
    "ClinicDays",
    "Cost",
    "FieldError",
    "Itinerary",
    "Journey",
    "Patient",
    "PlanItem",
    "PlanRequest",
    "SingleStay",
    "Stay",
    "Summary",
    "Trip",
    "earliest_flight_day",
    "min_days_before_flight",
    "parse_request",
    "plan_trips",
]
