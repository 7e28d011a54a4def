"""The planner's input (PLANNER.md §1): one strict model, and the refusal of bad input.

Every problem is named by its JSON path (`items[2].sessions`, `clinic.working_days`; the whole
input is `$`), so a coordinator can fix all of them at once. JSON integers only: `true`, `7.0`
and `"7"` are refused, and so is `null` wherever a field is present.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Final

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from .rules import Service, Travel
from .schedule import beyond_calendar

MAX_CLOSED_DATES: Final = 1000
MAX_ITEMS: Final = 50
AMOUNT_PATTERN: Final = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"
CURRENCY_PATTERN: Final = r"^[A-Z]{3}$"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_AMOUNT = re.compile(AMOUNT_PATTERN)

_STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)


def _iso_date(value: object) -> date:
    """Exactly `YYYY-MM-DD`, and a day that exists (no 2027-02-30, no year 0)."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError(f"must be a date written YYYY-MM-DD, got {reprlib.repr(value)}")
    try:
        return date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        raise ValueError(f"{value} is not a date that exists") from None


_REPEATS: Final = "each weekday may appear only once"


def _no_repeats(days: list[int]) -> list[int]:
    if len(set(days)) != len(days):
        raise ValueError(_REPEATS)
    return days


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Weekday = Annotated[int, Field(ge=0, le=6)]
Amount = Annotated[str, Field(pattern=AMOUNT_PATTERN)]


def cents(amount: str) -> int:
    """An amount of the input format as integer cents: never a float."""
    if not _AMOUNT.fullmatch(amount):
        raise ValueError(f"not an amount: {amount!r}")
    whole, _, fraction = amount.partition(".")
    return int(whole) * 100 + int(fraction.ljust(2, "0"))


class ClinicDays(BaseModel):
    """When the clinic sees patients: working weekdays (Monday = 0) less its closed dates."""

    model_config = _STRICT

    working_days: Annotated[
        list[Weekday], Field(min_length=1, max_length=7), AfterValidator(_no_repeats)
    ]
    closed_dates: Annotated[list[IsoDate], Field(max_length=MAX_CLOSED_DATES)] = []


class Journey(BaseModel):
    """One person's one-way fare and how many travel (the patient and companions)."""

    model_config = _STRICT

    one_way_fare: Amount
    travellers: Annotated[int, Field(ge=1, le=10)]


class Stay(BaseModel):
    """The party's accommodation per night."""

    model_config = _STRICT

    per_night: Amount


class Patient(BaseModel):
    """What triage says about travel (SPEC §7, §8)."""

    model_config = _STRICT

    mscc_urgent: bool = False
    travel: Travel = "standard_precautions"


class PlanItem(BaseModel):
    """One step of the accepted plan: a service given `sessions` times."""

    model_config = _STRICT

    service: Service
    sessions: Annotated[int, Field(ge=1, le=100)]
    interval_days: Annotated[int, Field(ge=1, le=365)] = 1
    after_previous_days: Annotated[int, Field(ge=0, le=365)] = 1
    hospital_nights: Annotated[int, Field(ge=0, le=60)] = 0
    recovery_days: Annotated[int, Field(ge=0, le=365)] = 0


class PlanRequest(BaseModel):
    """A treatment plan accepted from one clinic, with what the trips cost (PLANNER.md §1)."""

    model_config = _STRICT

    earliest_arrival: IsoDate
    clinic: ClinicDays
    journey: Journey
    stay: Stay
    currency: Annotated[str, Field(pattern=CURRENCY_PATTERN)]
    home_stay_min_days: Annotated[int, Field(ge=1, le=365)] = 7
    patient: Patient = Patient()
    items: Annotated[list[PlanItem], Field(min_length=1, max_length=MAX_ITEMS)]

    @model_validator(mode="after")
    def _within_the_calendar(self) -> PlanRequest:
        if beyond_calendar(self):
            raise ValueError("the plan's dates would run past the year 9999")
        return self


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with the input: its JSON path and what is wrong."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def parse_request(data: object) -> PlanRequest | list[FieldError]:
    """The validated request, or every problem with `data` (parsed JSON), each by its path."""
    if isinstance(data, PlanRequest):
        return data
    try:
        return PlanRequest.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc)
    repeated = _repeated_weekdays(data)
    if repeated and not any(e.field == "clinic.working_days" for e in errors):
        # pydantic checks repeats only once every weekday is valid; name them beside the rest.
        errors.append(FieldError("clinic.working_days", repeated))
    return errors


def _repeated_weekdays(data: object) -> str:
    clinic = data.get("clinic") if isinstance(data, Mapping) else None
    days = clinic.get("working_days") if isinstance(clinic, Mapping) else None
    if not isinstance(days, list):
        return ""
    integers = [day for day in days if type(day) is int]
    return _REPEATS if len(set(integers)) != len(integers) else ""


def field_errors(exc: ValidationError) -> list[FieldError]:
    """pydantic's errors as PLANNER.md §1 names them: JSON paths and plain messages."""
    return [
        FieldError(json_path(error["loc"]), _message(error))
        for error in exc.errors(include_url=False)
    ]


def json_path(loc: tuple[int | str, ...]) -> str:
    """`('items', 2, 'sessions')` → `items[2].sessions`; the whole input is `$`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path or "$"


_MESSAGES: Final[Mapping[str, str]] = {
    "missing": "required",
    "extra_forbidden": "unknown field",
    "int_type": "must be an integer",
    "bool_type": "must be true or false",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
}


_PATTERN_MESSAGES: Final[Mapping[str, str]] = {
    AMOUNT_PATTERN: "must be an amount: 1–12 digits, then optionally a point and 1 or 2 decimals",
    CURRENCY_PATTERN: "must be three capital letters (ISO 4217 form)",
}


def _message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    given = error.get("input")
    context = error.get("ctx") or {}
    if not error["loc"]:
        return "must be a JSON object" if kind == "model_type" else str(context.get("error", ""))
    if kind != "missing" and given is None:
        return "must not be null (leave the field out to take its default)"
    if kind in _MESSAGES:
        return (
            f"{_MESSAGES[kind]}, got {_echo(given)}" if kind.endswith("type") else _MESSAGES[kind]
        )
    if kind == "value_error":
        return str(context.get("error", error["msg"]))
    if kind == "literal_error":
        return f"{_echo(given)} is not one of {context.get('expected', '')}"
    if kind == "string_pattern_mismatch":
        form = _PATTERN_MESSAGES.get(context.get("pattern", ""), "is malformed")
        return f"{form}, got {_echo(given)}"
    if kind == "too_short":
        return f"must have at least {_entries(context.get('min_length'))}"
    if kind == "too_long":
        return f"must have at most {_entries(context.get('max_length'))}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{error['msg'].replace('Input should be', 'must be')}, got {_echo(given)}"
    return f"{error['msg']} (got {_echo(given)})"


def _entries(count: object) -> str:
    return "1 entry" if count == 1 else f"{count} entries"


def _echo(value: object) -> str:
    """The refused value, shortened: a message must not grow with the input."""
    return reprlib.repr(value)
