"""PLANNER.md §1: bad input is refused as a whole, every problem named by its JSON path."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from oncoroute.itinerary import FieldError, PlanRequest, parse_request

from .builders import WORKED_EXAMPLE


def refused(data: object) -> list[FieldError]:
    result = parse_request(data)
    assert isinstance(result, list), "accepted"
    return result


def changed(path: str, value: Any) -> dict[str, Any]:
    """The worked example with one field set (`value` MISSING deletes it); `items.0.sessions`."""
    data = copy.deepcopy(WORKED_EXAMPLE)
    *parents, last = path.split(".")
    target: Any = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    key: Any = int(last) if last.isdigit() else last
    if value is MISSING:
        del target[key]
    else:
        target[key] = value
    return data


MISSING = object()


def paths(data: object) -> list[str]:
    return [error.field for error in refused(data)]


@pytest.mark.parametrize("data", [None, [], "plan", 7, True])
def test_anything_but_an_object_is_refused_as_a_whole(data: object) -> None:
    assert paths(data) == ["$"]


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("earliest_arrival", "earliest_arrival"),
        ("clinic", "clinic"),
        ("clinic.working_days", "clinic.working_days"),
        ("journey", "journey"),
        ("journey.one_way_fare", "journey.one_way_fare"),
        ("journey.travellers", "journey.travellers"),
        ("stay", "stay"),
        ("stay.per_night", "stay.per_night"),
        ("currency", "currency"),
        ("items", "items"),
        ("items.2.service", "items[2].service"),
        ("items.0.sessions", "items[0].sessions"),
    ],
)
def test_a_missing_required_field_is_named(path: str, named: str) -> None:
    assert [(e.field, e.message) for e in refused(changed(path, MISSING))] == [(named, "required")]


@pytest.mark.parametrize(
    "path",
    [
        "home_stay_min_days",
        "patient",
        "patient.mscc_urgent",
        "patient.travel",
        "clinic.closed_dates",
        "items.1.hospital_nights",
        "items.1.recovery_days",
        "items.2.interval_days",
        "items.2.after_previous_days",
    ],
)
def test_an_optional_field_left_out_takes_its_default(path: str) -> None:
    assert isinstance(parse_request(changed(path, MISSING)), PlanRequest)


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("surprise", "surprise"),
        ("clinic.surprise", "clinic.surprise"),
        ("journey.surprise", "journey.surprise"),
        ("stay.surprise", "stay.surprise"),
        ("patient.surprise", "patient.surprise"),
        ("items.1.surprise", "items[1].surprise"),
    ],
)
def test_an_unknown_field_at_any_level_is_named(path: str, named: str) -> None:
    errors = refused(changed(path, 1))
    assert [(e.field, e.message) for e in errors] == [(named, "unknown field")]


INTEGER_FIELDS = [
    ("journey.travellers", "journey.travellers", 1, 10),
    ("home_stay_min_days", "home_stay_min_days", 1, 365),
    ("items.2.sessions", "items[2].sessions", 1, 100),
    ("items.2.interval_days", "items[2].interval_days", 1, 365),
    ("items.2.after_previous_days", "items[2].after_previous_days", 0, 365),
    ("items.1.hospital_nights", "items[1].hospital_nights", 0, 60),
    ("items.1.recovery_days", "items[1].recovery_days", 0, 365),
]


@pytest.mark.parametrize(("path", "named", "low", "high"), INTEGER_FIELDS)
@pytest.mark.parametrize("kind", ["below", "above", "true", "float", "string", "null"])
def test_an_integer_field_takes_only_a_json_integer_in_its_range(
    path: str, named: str, low: int, high: int, kind: str
) -> None:
    value = {
        "below": low - 1,
        "above": high + 1,
        "true": True,
        "float": float(low),
        "string": str(low),
        "null": None,
    }[kind]
    assert paths(changed(path, value)) == [named]


@pytest.mark.parametrize(("path", "named", "low", "high"), INTEGER_FIELDS)
def test_an_integer_field_takes_both_ends_of_its_range(
    path: str, named: str, low: int, high: int
) -> None:
    for value in (low, high):
        data = changed(path, value)
        data["earliest_arrival"] = "2027-02-08"
        assert isinstance(parse_request(data), PlanRequest), (path, value)


@pytest.mark.parametrize(
    ("days", "named"),
    [
        ([], "clinic.working_days"),
        ([0, 0], "clinic.working_days"),
        ([1, 2, 1], "clinic.working_days"),
        ([7], "clinic.working_days[0]"),
        ([0, -1], "clinic.working_days[1]"),
        ([True], "clinic.working_days[0]"),
        ([0.0], "clinic.working_days[0]"),
        (["1"], "clinic.working_days[0]"),
        ([None], "clinic.working_days[0]"),
        ("0,1,2", "clinic.working_days"),
        (None, "clinic.working_days"),
    ],
)
def test_working_days_are_weekdays_at_least_one_no_repeats(days: object, named: str) -> None:
    assert paths(changed("clinic.working_days", days)) == [named]


def test_a_repeat_is_named_beside_a_bad_weekday() -> None:
    assert sorted(paths(changed("clinic.working_days", [1, 1, 9]))) == [
        "clinic.working_days",
        "clinic.working_days[2]",
    ]


BAD_DATES = [
    "2027-2-08",
    "2027-02-8",
    "27-02-08",
    "2027/02/08",
    "20270208",
    "2027-02-08T00:00",
    "2027-02-08 ",
    " 2027-02-08",
    "2027-02-08\n",
    "2027-W06-1",
    "٢٠٢٧-٠٢-٠٨",  # Arabic-Indic digits are digits to Python, not to YYYY-MM-DD
    "2027-02-29",  # not a leap year
    "2027-13-01",
    "2027-00-10",
    "0000-01-01",
    "",
    20270208,
    None,
]


@pytest.mark.parametrize("value", BAD_DATES)
def test_a_date_must_be_exactly_yyyy_mm_dd_and_exist(value: object) -> None:
    assert paths(changed("earliest_arrival", value)) == ["earliest_arrival"]
    assert paths(changed("clinic.closed_dates", ["2027-02-15", value])) == [
        "clinic.closed_dates[1]"
    ]


def test_a_leap_day_that_exists_is_a_date() -> None:
    assert isinstance(parse_request(changed("earliest_arrival", "2028-02-29")), PlanRequest)


def test_closed_dates_hold_at_most_1000() -> None:
    many = ["2030-01-01"] * 1000
    assert isinstance(parse_request(changed("clinic.closed_dates", many)), PlanRequest)
    assert paths(changed("clinic.closed_dates", [*many, "2030-01-02"])) == ["clinic.closed_dates"]
    assert paths(changed("clinic.closed_dates", "2027-02-15")) == ["clinic.closed_dates"]


@pytest.mark.parametrize("value", ["320", "320.5", "320.00", "0", "999999999999.99"])
def test_an_amount_of_1_to_12_digits_and_up_to_2_decimals_is_accepted(value: str) -> None:
    assert isinstance(parse_request(changed("journey.one_way_fare", value)), PlanRequest)
    assert isinstance(parse_request(changed("stay.per_night", value)), PlanRequest)


@pytest.mark.parametrize(
    "value",
    [
        "320.000",
        "1234567890123",
        "320.",
        ".5",
        "-1",
        "+1",
        "3e2",
        " 320",
        "320 ",
        "320\n",
        "1,5",
        "٣٢٠",
        "",
        "NaN",
        320,
        320.0,
        None,
    ],
)
def test_an_amount_in_any_other_form_is_refused(value: object) -> None:
    assert paths(changed("journey.one_way_fare", value)) == ["journey.one_way_fare"]
    assert paths(changed("stay.per_night", value)) == ["stay.per_night"]


@pytest.mark.parametrize("value", ["eur", "EURO", "EU", "", "E1R", "EUR\n", 978, None])
def test_a_currency_is_three_capital_letters(value: object) -> None:
    assert paths(changed("currency", value)) == ["currency"]


def test_a_currency_is_not_checked_against_a_list() -> None:
    assert isinstance(parse_request(changed("currency", "XYZ")), PlanRequest)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("patient.mscc_urgent", 0),
        ("patient.mscc_urgent", "false"),
        ("patient.mscc_urgent", None),
        ("patient.travel", "fit"),
        ("patient.travel", None),
        ("patient", None),
        ("patient", []),
    ],
)
def test_the_patient_block_takes_only_its_values(path: str, value: object) -> None:
    assert paths(changed(path, value)) == [path]


@pytest.mark.parametrize(
    "service",
    ["surgical_stabilization", "vertebral_augmentation", "SBRT", "sbrt ", "", 1, None],
)
def test_a_service_outside_spec_8_1s_table_is_refused(service: object) -> None:
    assert paths(changed("items.2.service", service)) == ["items[2].service"]


def test_items_hold_1_to_50_steps() -> None:
    step = {"service": "mri", "sessions": 1}
    assert paths(changed("items", [])) == ["items"]
    assert paths(changed("items", [step] * 51)) == ["items"]
    assert isinstance(parse_request(changed("items", [step] * 50)), PlanRequest)
    assert paths(changed("items", step)) == ["items"]
    assert paths(changed("items", [step, "mri"])) == ["items[1]"]


@pytest.mark.parametrize(
    ("arrival", "items"),
    [
        ("9999-12-31", [{"service": "consultation", "sessions": 1}]),
        # The session fits on Thursday 30th; the flight home two days later does not.
        ("9999-12-29", [{"service": "kyphoplasty", "sessions": 1}]),
        ("9999-01-01", [{"service": "ra223", "sessions": 100, "interval_days": 365}]),
    ],
)
def test_a_plan_running_past_the_year_9999_is_refused_as_a_whole(
    arrival: str, items: list[dict[str, Any]]
) -> None:
    data = {**changed("earliest_arrival", arrival), "items": items}
    assert [(e.field, e.message) for e in refused(data)] == [
        ("$", "the plan's dates would run past the year 9999")
    ]


def test_a_plan_ending_on_the_last_day_of_9999_is_accepted() -> None:
    # Thursday 30 December 9999: an MRI, home the same day.
    data = {
        **changed("earliest_arrival", "9999-12-29"),
        "items": [{"service": "mri", "sessions": 1}],
    }
    assert isinstance(parse_request(data), PlanRequest)
    data["items"] = [{"service": "sbrt", "sessions": 1}]  # home Friday the 31st
    assert isinstance(parse_request(data), PlanRequest)


def test_every_problem_is_named_at_once() -> None:
    data = {
        "earliest_arrival": "2027-02-30",
        "clinic": {"working_days": [0, 8], "closed_dates": ["tomorrow"], "open": True},
        "journey": {"one_way_fare": 320, "travellers": 0},
        "stay": {"per_night": "95.999"},
        "currency": "eur",
        "home_stay_min_days": None,
        "patient": {"mscc_urgent": "no"},
        "items": [
            {"service": "sbrt", "sessions": 5},
            {"service": "surgical_stabilization", "sessions": 1.0, "hospital_nights": 61},
        ],
        "notes": "",
    }
    assert sorted(paths(data)) == sorted(
        [
            "earliest_arrival",
            "clinic.working_days[1]",
            "clinic.closed_dates[0]",
            "clinic.open",
            "journey.one_way_fare",
            "journey.travellers",
            "stay.per_night",
            "currency",
            "home_stay_min_days",
            "patient.mscc_urgent",
            "items[1].service",
            "items[1].sessions",
            "items[1].hospital_nights",
            "notes",
        ]
    )


def test_each_problem_reads_as_path_colon_message() -> None:
    errors = refused(changed("items.2.sessions", 101))
    assert [str(error) for error in errors] == [
        "items[2].sessions: must be less than or equal to 100, got 101"
    ]


def test_a_refused_value_is_echoed_short() -> None:
    (error,) = refused(changed("currency", "X" * 100_000))
    assert len(error.message) < 200
