"""PLANNER.md §3: the worked example of §1, reproduced to the last key."""

from __future__ import annotations

from .builders import WORKED_EXAMPLE, worked_dict

SBRT_DAYS = ["2027-02-25", "2027-02-26", "2027-03-01", "2027-03-02", "2027-03-03"]


def test_the_worked_example_gives_the_object_of_section_3() -> None:
    result = worked_dict(WORKED_EXAMPLE)
    trips = result.pop("trips")
    assert result == {
        "rules_version": "itinerary-2027.1",
        "blocked": None,
        "needs_clearance": False,
        "appointments": [
            {"item": 0, "service": "consultation", "session": 1, "date": "2027-02-09"},
            {"item": 1, "service": "kyphoplasty", "session": 1, "date": "2027-02-10"},
            *(
                {"item": 2, "service": "sbrt", "session": number, "date": day}
                for number, day in enumerate(SBRT_DAYS, start=1)
            ),
        ],
        "admissions": [{"item": 1, "from": "2027-02-10", "to": "2027-02-11"}],
        "summary": {
            "trips": 2,
            "one_way_flights": 4,
            "nights_away": 13,
            "hospital_nights": 1,
            "first_session": "2027-02-09",
            "last_session": "2027-03-03",
            "home": "2027-03-04",
            "cost": {
                "flights": "2560.00",
                "accommodation": "1235.00",
                "total": "3795.00",
                "currency": "EUR",
            },
            "single_stay": {"nights_away": 24, "one_way_flights": 2, "total": "3560.00"},
        },
    }
    reasons = [trip.pop("return_reason") for trip in trips]
    assert trips == [
        {"outbound": "2027-02-08", "return": "2027-02-13", "nights": 5},
        {"outbound": "2027-02-24", "return": "2027-03-04", "nights": 8},
    ]
    # Free text (§3), but it names the session that sets the day home.
    assert reasons[0].startswith("kyphoplasty on 2027-02-10, discharged 2027-02-11")
    assert reasons[1].startswith("SBRT on 2027-03-03")


def test_the_section_3_return_reasons_are_the_ones_planner_md_prints() -> None:
    reasons = [trip["return_reason"] for trip in worked_dict(WORKED_EXAMPLE)["trips"]]
    assert reasons == [
        "kyphoplasty on 2027-02-10, discharged 2027-02-11; the clinic asks 2 days after "
        "discharge (SPEC §8.1 minimum: 2 days after the procedure)",
        "SBRT on 2027-03-03; SPEC §8.1 minimum: 1 day",
    ]


def test_the_same_plan_always_gives_the_same_itinerary() -> None:
    assert worked_dict(WORKED_EXAMPLE) == worked_dict(WORKED_EXAMPLE)
