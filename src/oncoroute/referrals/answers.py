"""What a clinic may answer, checked field by field: the same rules for the portal's form and the
clinics' API (whose schemas these are)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from oncoroute.referrals.models import PLAN_SERVICES

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2, allow_inf_nan=False)]
Text = Annotated[str, Field(max_length=4000)]
Specialty = Annotated[str, Field(min_length=1, max_length=80)]


class PlanItemIn(BaseModel):
    """One step of the plan (PLANNER.md §1's fields)."""

    model_config = _STRICT
    service: str
    sessions: Annotated[int, Field(ge=1, le=100)]
    interval_days: Annotated[int, Field(ge=1, le=365)] = 1
    after_previous_days: Annotated[int, Field(ge=0, le=365)] = 1
    hospital_nights: Annotated[int, Field(ge=0, le=60)] = 0
    recovery_days: Annotated[int, Field(ge=0, le=365)] = 0

    @field_validator("service")
    @classmethod
    def _known_service(cls, value: str) -> str:
        if value not in PLAN_SERVICES:
            raise ValueError(f"unknown service; one of: {', '.join(PLAN_SERVICES)}")
        return value


class OpinionIn(BaseModel):
    """The clinic's reading of the case and its plan; an opinion always proposes a plan."""

    model_config = _STRICT
    reading: Annotated[str, Field(min_length=1, max_length=6000)]
    specialties: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=80)]], Field(max_length=12)
    ]
    multidisciplinary: bool
    items: Annotated[list[PlanItemIn], Field(min_length=1, max_length=50)]
    alternatives: Text = ""
    still_needed: Text = ""


class QuoteLineIn(BaseModel):
    """A priced line; `item` is the 1-based position of the plan item it pays for."""

    model_config = _STRICT
    item: Annotated[int, Field(ge=1, le=50)]
    description: Annotated[str, Field(min_length=1, max_length=300)]
    quantity: Annotated[int, Field(ge=1, le=1000)]
    unit_price: Money


class QuoteIn(BaseModel):
    """The standard itemised quote: lines tied to plan items, what is and is not included."""

    model_config = _STRICT
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    lines: Annotated[list[QuoteLineIn], Field(min_length=1, max_length=100)]
    included: Annotated[str, Field(min_length=1, max_length=2000)]
    excluded: Annotated[str, Field(min_length=1, max_length=2000)]
    contingency: Money = Decimal("0")
    valid_until: date
    price_change_rule: Annotated[str, Field(min_length=1, max_length=1000)]


class AnswerIn(BaseModel):
    """An opinion with its quote, checked together: every line pays for an item of the plan."""

    model_config = _STRICT
    opinion: OpinionIn
    quote: QuoteIn

    # On the quote (not the whole answer) so that the refusal names its field.
    @field_validator("quote")
    @classmethod
    def _lines_match_items(cls, quote: QuoteIn, info: ValidationInfo) -> QuoteIn:
        opinion = info.data.get("opinion")
        if opinion is None:  # the opinion was refused: its own errors say why
            return quote
        count = len(opinion.items)
        for line in quote.lines:
            if line.item > count:
                raise ValueError(f"quote line for item {line.item}: the plan has {count} items")
        return quote
