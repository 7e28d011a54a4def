"""SPEC §8.1's table and formula, and rule 8 (travel refused or conditional)."""

from __future__ import annotations

from datetime import date

import pytest

from oncoroute.itinerary import MIN_DAYS_BEFORE_FLIGHT, SERVICES, min_days_before_flight
from oncoroute.itinerary.rules import earliest_flight

from .builders import WORKED_EXAMPLE, plan_data, worked, worked_dict

# SPEC §8.1, row by row.
SPEC_MINIMUM_DAYS = {
    **dict.fromkeys(("spine_decompression", "spine_stabilisation", "separation_surgery"), 7),
    **dict.fromkeys(("kyphoplasty", "vertebroplasty"), 2),
    "embolisation": 2,
    "biopsy": 1,
    **dict.fromkeys(("sbrt", "cebrt"), 1),
    **dict.fromkeys(("lu177_psma", "lu177_dotatate", "ra223"), 1),
    **dict.fromkeys(("consultation", "mri", "ct", "pet_ct", "medical_oncology"), 0),
    "pain_palliative": 0,
}


def test_the_minimum_days_are_spec_8_1s_for_its_18_services() -> None:
    assert dict(MIN_DAYS_BEFORE_FLIGHT) == SPEC_MINIMUM_DAYS
    assert sorted(SERVICES) == sorted(SPEC_MINIMUM_DAYS)
    assert len(SERVICES) == 18


@pytest.mark.parametrize("therapy", ["surgical_stabilization", "vertebral_augmentation", ""])
def test_an_unknown_service_is_an_error_never_a_minimum_of_zero(therapy: str) -> None:
    with pytest.raises(ValueError, match="unknown service"):
        min_days_before_flight(therapy)


S = date(2027, 3, 2).toordinal()


@pytest.mark.parametrize(
    ("service", "nights", "recovery", "days_after"),
    [
        ("consultation", 0, 0, 0),  # same day
        ("consultation", 1, 0, 2),  # the day after discharge
        ("sbrt", 0, 0, 1),
        ("sbrt", 0, 4, 4),  # the clinic's recovery counts from the session
        ("kyphoplasty", 1, 0, 2),
        ("kyphoplasty", 1, 2, 3),  # from discharge
        ("spine_stabilisation", 10, 0, 11),
        ("spine_stabilisation", 2, 0, 7),
        ("spine_stabilisation", 2, 6, 8),
    ],
)
def test_the_earliest_flight_is_the_latest_of_the_three_terms(
    service: str, nights: int, recovery: int, days_after: int
) -> None:
    assert earliest_flight(service, S, nights, recovery) == S + days_after


@pytest.mark.parametrize(
    "patient",
    [
        {"mscc_urgent": True},
        {"travel": "do_not_travel_seek_local_emergency_care"},
        {"mscc_urgent": True, "travel": "specialist_clearance_required"},
    ],
)
def test_travel_refused_means_no_trips_and_no_summary(patient: dict[str, object]) -> None:
    result = worked_dict({**WORKED_EXAMPLE, "patient": patient})
    assert result["blocked"]["rule"] == "do_not_travel"
    assert "emergency care locally" in result["blocked"]["advice"]
    assert result["needs_clearance"] is False
    assert (result["appointments"], result["admissions"], result["trips"]) == ([], [], [])
    assert result["summary"] is None


def test_specialist_clearance_plans_the_trips_and_says_they_need_it() -> None:
    cleared = worked({**WORKED_EXAMPLE, "patient": {"travel": "specialist_clearance_required"}})
    plain = worked(WORKED_EXAMPLE)
    assert cleared.needs_clearance is True
    assert plain.needs_clearance is False
    assert cleared.trips == plain.trips
    assert cleared.blocked is None


def test_the_patient_block_takes_its_defaults() -> None:
    data = plan_data()
    assert "patient" not in data
    result = worked_dict(data)
    assert (result["blocked"], result["needs_clearance"]) == (None, False)
    assert len(result["trips"]) == 1
