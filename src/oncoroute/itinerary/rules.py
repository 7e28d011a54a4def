"""Fitness to fly after a session (SPEC §8.1): the minimum per service and the earliest flight.

The service ids are the matching vocabulary's plus `consultation` and `biopsy`. They are written
out here rather than imported because a pure core may not reach into another core (SPEC §8.1 is
the one source; tests/itinerary checks the table against it).
"""

from __future__ import annotations

from datetime import date
from types import MappingProxyType
from typing import Final, Literal, get_args

RULES_VERSION: Final = "itinerary-2027.1"

Service = Literal[
    "spine_decompression",
    "spine_stabilisation",
    "separation_surgery",
    "kyphoplasty",
    "vertebroplasty",
    "embolisation",
    "biopsy",
    "sbrt",
    "cebrt",
    "lu177_psma",
    "lu177_dotatate",
    "ra223",
    "consultation",
    "mri",
    "ct",
    "pet_ct",
    "medical_oncology",
    "pain_palliative",
]
SERVICES: Final[tuple[str, ...]] = get_args(Service)

Travel = Literal[
    "standard_precautions",
    "specialist_clearance_required",
    "do_not_travel_seek_local_emergency_care",
]
TRAVEL_VALUES: Final[tuple[str, ...]] = get_args(Travel)

# SPEC §8.1: minimum days from the procedure day to the first flight.
MIN_DAYS_BEFORE_FLIGHT: Final = MappingProxyType(
    {
        "spine_decompression": 7,
        "spine_stabilisation": 7,
        "separation_surgery": 7,
        "kyphoplasty": 2,
        "vertebroplasty": 2,
        "embolisation": 2,
        "biopsy": 1,
        "sbrt": 1,
        "cebrt": 1,
        "lu177_psma": 1,
        "lu177_dotatate": 1,
        "ra223": 1,
        "consultation": 0,
        "mri": 0,
        "ct": 0,
        "pet_ct": 0,
        "medical_oncology": 0,
        "pain_palliative": 0,
    }
)

SERVICE_LABELS: Final = MappingProxyType(
    {
        "spine_decompression": "spinal decompression surgery",
        "spine_stabilisation": "spinal stabilisation surgery",
        "separation_surgery": "separation surgery",
        "kyphoplasty": "kyphoplasty",
        "vertebroplasty": "vertebroplasty",
        "embolisation": "embolisation",
        "biopsy": "bone biopsy",
        "sbrt": "SBRT",
        "cebrt": "conventional EBRT",
        "lu177_psma": "¹⁷⁷Lu-PSMA therapy",
        "lu177_dotatate": "¹⁷⁷Lu-DOTATATE therapy",
        "ra223": "radium-223 therapy",
        "consultation": "consultation",
        "mri": "MRI",
        "ct": "CT",
        "pet_ct": "PET-CT",
        "medical_oncology": "medical oncology visit",
        "pain_palliative": "pain and palliative care visit",
    }
)


def min_days_before_flight(service: str) -> int:
    """SPEC §8.1's minimum; an unknown service is an error, never a minimum of 0."""
    try:
        return MIN_DAYS_BEFORE_FLIGHT[service]
    except KeyError:
        raise ValueError(f"unknown service {service!r}") from None


def earliest_flight(service: str, day: int, hospital_nights: int, recovery_days: int) -> int:
    """The first day the patient may fly after a session on `day` (all days as ordinals).

    SPEC §8.1: max(s + minimum, d + r, d + 1 if admitted else s), with d the discharge day.
    """
    discharge = day + hospital_nights
    after_discharge = discharge + 1 if hospital_nights > 0 else day
    return max(day + min_days_before_flight(service), discharge + recovery_days, after_discharge)


def earliest_flight_day(service: str, day: date, hospital_nights: int, recovery_days: int) -> date:
    """`earliest_flight` on dates: the first day the patient may fly after a session on `day`."""
    ordinal = earliest_flight(service, day.toordinal(), hospital_nights, recovery_days)
    return date.fromordinal(ordinal)


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def flight_reason(
    *, service: str, day: str, discharge: str, hospital_nights: int, recovery_days: int
) -> str:
    """Why a trip returns when it does, in words: the session whose no-fly window ends last."""
    label = SERVICE_LABELS[service]
    minimum = _days(min_days_before_flight(service))
    if hospital_nights:
        reason = f"{label} on {day}, discharged {discharge}"
        clinic = f"the clinic asks {_days(recovery_days)} after discharge"
    else:
        reason = f"{label} on {day}"
        clinic = f"the clinic asks {_days(recovery_days)} after the session"
    if recovery_days:
        return f"{reason}; {clinic} (SPEC §8.1 minimum: {minimum} after the procedure)"
    if hospital_nights:
        return f"{reason}; not before the day after discharge (SPEC §8.1 minimum: {minimum})"
    return f"{reason}; SPEC §8.1 minimum: {minimum}"
