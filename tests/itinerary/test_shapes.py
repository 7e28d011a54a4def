"""One plan per treatment shape of SPEC §8.1, every date worked out by hand on the calendar.

2027-03-01 is a Monday. The clinic works Monday to Friday unless a test says otherwise.
"""

from __future__ import annotations

from typing import Any

import pytest

from .builders import plan_data, worked_dict


def days(result: dict[str, Any]) -> list[str]:
    return [appointment["date"] for appointment in result["appointments"]]


def trips(result: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(t["outbound"], t["return"], t["nights"]) for t in result["trips"]]


def test_a_single_radiosurgery_session_arriving_on_a_friday() -> None:
    # Friday arrival: Saturday and Sunday are closed, so the session is Monday; out Sunday.
    result = worked_dict(
        plan_data(
            {"service": "sbrt", "sessions": 1},
            arrival="2027-03-05",
            travellers=1,
            fare="250",
            per_night="80.5",
        )
    )
    assert days(result) == ["2027-03-08"]
    assert trips(result) == [("2027-03-07", "2027-03-09", 2)]
    assert result["admissions"] == []
    assert result["summary"]["cost"] == {
        "flights": "500.00",
        "accommodation": "161.00",
        "total": "661.00",
        "currency": "EUR",
    }
    assert result["summary"]["single_stay"] == {
        "nights_away": 2,
        "one_way_flights": 2,
        "total": "661.00",
    }


@pytest.mark.parametrize(
    ("closed", "expected", "home"),
    [
        # Wednesday to Friday, the weekend skipped, then Monday and Tuesday.
        ([], ["2027-03-10", "2027-03-11", "2027-03-12", "2027-03-15", "2027-03-16"], "2027-03-17"),
        # Monday a public holiday: the fourth fraction moves to Tuesday and the fifth follows it.
        (
            ["2027-03-15"],
            ["2027-03-10", "2027-03-11", "2027-03-12", "2027-03-16", "2027-03-17"],
            "2027-03-18",
        ),
    ],
)
def test_five_daily_fractions_skip_the_weekend_and_closed_days(
    closed: list[str], expected: list[str], home: str
) -> None:
    result = worked_dict(
        plan_data({"service": "cebrt", "sessions": 5}, arrival="2027-03-09", closed=closed)
    )
    assert days(result) == expected
    assert [a["session"] for a in result["appointments"]] == [1, 2, 3, 4, 5]
    assert trips(result) == [("2027-03-09", home, (int(home[-2:]) - 9))]


@pytest.mark.parametrize(
    ("recovery_days", "home"),
    [
        # max(Wed + 2 = Fri, discharge Thu + 0, Thu + 1 = Fri): Friday.
        (0, "2027-03-05"),
        # The clinic's 3 days after Thursday's discharge are longer: Sunday.
        (3, "2027-03-07"),
    ],
)
def test_kyphoplasty_with_a_night_in_hospital(recovery_days: int, home: str) -> None:
    result = worked_dict(
        plan_data(
            {"service": "consultation", "sessions": 1},
            {
                "service": "kyphoplasty",
                "sessions": 1,
                "hospital_nights": 1,
                "recovery_days": recovery_days,
            },
            travellers=1,
            fare="300",
            per_night="100",
        )
    )
    assert days(result) == ["2027-03-02", "2027-03-03"]
    assert result["admissions"] == [{"item": 1, "from": "2027-03-03", "to": "2027-03-04"}]
    nights = int(home[-2:]) - 1
    assert trips(result) == [("2027-03-01", home, nights)]
    # Travelling alone: the night in hospital is not paid for at the hotel.
    assert result["summary"]["hospital_nights"] == 1
    assert result["summary"]["nights_away"] == nights
    assert result["summary"]["cost"]["accommodation"] == f"{(nights - 1) * 100}.00"
    assert result["summary"]["cost"]["flights"] == "600.00"


@pytest.mark.parametrize(
    ("service", "hospital_nights", "recovery_days", "home", "why"),
    [
        # A week in hospital: discharge Tue 9th, the day after it (10th) is later than 7 days.
        ("spine_stabilisation", 7, 0, "2027-03-10", "discharged 2027-03-09"),
        # Three nights: discharged Fri 5th, but the 7-day post-op no-fly period ends Tue 9th.
        ("spine_decompression", 3, 0, "2027-03-09", "SPEC §8.1 minimum: 7 days"),
        # The clinic asks 5 days after the week in hospital: Sun 14th.
        ("separation_surgery", 7, 5, "2027-03-14", "the clinic asks 5 days after discharge"),
    ],
)
def test_spinal_surgery_waits_for_discharge_and_the_post_operative_no_fly_period(
    service: str, hospital_nights: int, recovery_days: int, home: str, why: str
) -> None:
    result = worked_dict(
        plan_data(
            {
                "service": service,
                "sessions": 1,
                "hospital_nights": hospital_nights,
                "recovery_days": recovery_days,
            }
        )
    )
    assert days(result) == ["2027-03-02"]
    discharge = f"2027-03-{2 + hospital_nights:02d}"
    assert result["admissions"] == [{"item": 0, "from": "2027-03-02", "to": discharge}]
    assert trips(result) == [("2027-03-01", home, int(home[-2:]) - 1)]
    assert why in result["trips"][0]["return_reason"]


def test_separation_surgery_then_radiosurgery_goes_home_in_between() -> None:
    result = worked_dict(
        plan_data(
            {
                "service": "separation_surgery",
                "sessions": 1,
                "hospital_nights": 7,
                "recovery_days": 5,
            },
            # Radiosurgery two weeks after discharge (Tue 9th): Tue 23rd.
            {"service": "sbrt", "sessions": 1, "after_previous_days": 14},
            fare="400.00",
            per_night="120.00",
        )
    )
    assert days(result) == ["2027-03-02", "2027-03-23"]
    # Home on the 14th; back out on the 22nd: 8 days at home ≥ 7, so two trips.
    assert trips(result) == [("2027-03-01", "2027-03-14", 13), ("2027-03-22", "2027-03-24", 2)]
    summary = result["summary"]
    assert (summary["trips"], summary["one_way_flights"], summary["nights_away"]) == (2, 4, 15)
    assert summary["hospital_nights"] == 7
    # 400 × 2 travellers × 2 × 2 trips; 15 nights × 120 (a companion keeps the room).
    assert summary["cost"] == {
        "flights": "3200.00",
        "accommodation": "1800.00",
        "total": "5000.00",
        "currency": "EUR",
    }
    # One stay: 1 March to 24 March is 23 nights; 1600 + 23 × 120 = 4360.
    assert summary["single_stay"] == {"nights_away": 23, "one_way_flights": 2, "total": "4360.00"}


def test_radionuclide_cycles_six_weeks_apart_are_one_trip_each() -> None:
    result = worked_dict(
        plan_data(
            {"service": "lu177_psma", "sessions": 4, "interval_days": 42},
            # The third cycle's Tuesday is closed: Wednesday, and the fourth counts from it.
            closed=["2027-05-25"],
            fare="150",
            per_night="90",
        )
    )
    assert days(result) == ["2027-03-02", "2027-04-13", "2027-05-26", "2027-07-07"]
    assert trips(result) == [
        ("2027-03-01", "2027-03-03", 2),
        ("2027-04-12", "2027-04-14", 2),
        ("2027-05-25", "2027-05-27", 2),
        ("2027-07-06", "2027-07-08", 2),
    ]
    summary = result["summary"]
    assert summary["cost"]["flights"] == "2400.00"  # 150 × 2 × 2 × 4 trips
    assert summary["cost"]["total"] == "3120.00"  # + 8 nights × 90
    # Staying from 1 March to 8 July instead: 129 nights; 600 + 129 × 90.
    assert summary["single_stay"] == {"nights_away": 129, "one_way_flights": 2, "total": "12210.00"}


@pytest.mark.parametrize(("home_stay_min_days", "trip_count"), [(6, 2), (7, 1)])
def test_going_home_between_sessions_needs_enough_days_at_home(
    home_stay_min_days: int, trip_count: int
) -> None:
    # Tue 2nd, then Wed 10th: home Wed 3rd, out again Tue 9th, 6 days at home.
    result = worked_dict(
        plan_data(
            {"service": "ra223", "sessions": 2, "interval_days": 8},
            home_stay_min_days=home_stay_min_days,
        )
    )
    assert days(result) == ["2027-03-02", "2027-03-10"]
    expected = {
        2: [("2027-03-01", "2027-03-03", 2), ("2027-03-09", "2027-03-11", 2)],
        1: [("2027-03-01", "2027-03-11", 10)],
    }
    assert trips(result) == expected[trip_count]


def test_a_long_no_fly_window_still_counts_after_a_later_shorter_one() -> None:
    result = worked_dict(
        plan_data(
            {"service": "spine_decompression", "sessions": 1, "hospital_nights": 1},
            {"service": "sbrt", "sessions": 1, "after_previous_days": 1},
        )
    )
    # Surgery Tue 2nd (no flight before Tue 9th); SBRT Thu 4th (Fri 5th alone).
    assert days(result) == ["2027-03-02", "2027-03-04"]
    assert trips(result) == [("2027-03-01", "2027-03-09", 8)]
    assert result["trips"][0]["return_reason"].startswith("spinal decompression surgery on")


def test_the_next_session_waits_for_discharge_but_may_be_on_its_day() -> None:
    result = worked_dict(
        plan_data({"service": "embolisation", "sessions": 2, "hospital_nights": 2})
    )
    # Tue 2nd, discharged Thu 4th: interval 1 would allow Wed 3rd, the discharge allows Thu.
    assert days(result) == ["2027-03-02", "2027-03-04"]
    assert result["admissions"] == [
        {"item": 0, "from": "2027-03-02", "to": "2027-03-04"},
        {"item": 0, "from": "2027-03-04", "to": "2027-03-06"},
    ]
    # Out Mon 1st; home max(Thu + 2, Sat + 1) = Sun 7th.
    assert trips(result) == [("2027-03-01", "2027-03-07", 6)]
    assert result["summary"]["hospital_nights"] == 4


def test_the_next_item_may_start_on_the_day_the_previous_one_ends() -> None:
    result = worked_dict(
        plan_data(
            {"service": "mri", "sessions": 1},
            {"service": "consultation", "sessions": 1, "after_previous_days": 0},
        )
    )
    assert days(result) == ["2027-03-02", "2027-03-02"]
    # Nothing in SPEC §8.1 holds a patient after an MRI and a consultation: home the same day.
    assert trips(result) == [("2027-03-01", "2027-03-02", 1)]
