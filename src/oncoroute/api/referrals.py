"""The clinics' API: a clinic's own system, holding one of its clinic's tokens, lists the
clinic's referrals, reads one de-identified, makes the clinic's moves and posts an answer.

The same rules as the portal's pages: only the token's clinic's referrals (any other is a 404),
the same services, the same answer schema (`referrals.answers.AnswerIn`), nothing identifying
the patient. The referral's timeline and the audit trail name the token, not a person.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import ConfigDict, ValidationInfo, field_validator

from oncoroute.accounts.roles import Role
from oncoroute.api.auth import clinic_token_auth, clinic_token_throttle
from oncoroute.api.errors import error_response
from oncoroute.referrals import selectors, services
from oncoroute.referrals.answers import AnswerIn
from oncoroute.referrals.models import ClinicApiToken, Referral
from oncoroute.referrals.portal import deidentified_referral
from oncoroute.referrals.workflow import (
    CLINIC,
    FHIR_TASK_STATUS,
    MOVES,
    MoveNotAllowed,
    ReferralStatus,
    moves_from,
)

router = Router(tags=["clinic referrals"], auth=clinic_token_auth, throttle=clinic_token_throttle)

# The moves a clinic's system makes here; opening is reading, answering is posting an answer.
ClinicMove = Literal["accepted", "records_requested", "declined", "referred_onward"]
NEEDS_REASON = frozenset(
    new for (_, new), rule in MOVES.items() if rule.needs_reason and rule.roles >= CLINIC
)
ReferralId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The referral's number (R-…)")]

_TOKEN_ERRORS = {
    401: error_response(
        "No `Authorization: Bearer` token, or one that is unknown, revoked or expired."
    ),
    429: error_response(
        "Past the token's calls per minute (CLINIC_API_REQUESTS_PER_MINUTE); `Retry-After` "
        "says in how many seconds the next minute starts."
    ),
}
_CONFLICT = {
    409: error_response("The referral's status does not allow this (e.g. it was withdrawn).")
}


class ReferralOut(Schema):
    id: int = Field(description="The referral's number, as in R-12")
    status: ReferralStatus
    fhir_task_status: str = Field(description="The FHIR R4 Task.status this status maps to")
    question: str = Field(description="The coordinators' question to the clinic")
    sent_at: datetime
    deadline: datetime
    overdue: bool = Field(description="Past the deadline while the clinic still owes an answer")


class DeidentifiedCaseOut(Schema):
    pseudonym: str = Field(description="A stable id of the case that reveals nothing of it")
    age_band: str | None
    sex: str | None
    primary_cancer: str
    spine_regions: list[str]
    triage: dict[str, Any] = Field(description="The triage summary: scores, bands, therapy ids")
    country_of_residence: str
    question: str


class MoveOption(Schema):
    to: str
    label: str
    needs_reason: bool


class ReferralCaseOut(ReferralOut):
    reason: str = Field(description="Why it was declined, referred onward or withdrawn")
    case: DeidentifiedCaseOut | None = Field(
        description="The de-identified case; null once withdrawn (the consent no longer covers it)"
    )
    moves: list[MoveOption] = Field(
        description="The moves the clinic can make now by …/moves (answering is …/answers)"
    )


class MoveIn(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    to: ClinicMove
    reason: str = Field(
        "",
        max_length=2000,
        validate_default=True,
        description="Needed to decline, to ask for records (which ones) and to refer onward "
        "(to which centre, and why)",
    )

    @field_validator("reason")
    @classmethod
    def _reason_when_needed(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("to") in NEEDS_REASON and not value:
            raise ValueError("a reason is needed for this move")
        return value


class AnswerOut(Schema):
    referral: ReferralOut
    opinion_id: int
    quote_version: int
    currency: str
    subtotal: Decimal = Field(description="Exact: the sum of quantity × unit price")
    contingency: Decimal
    total: Decimal = Field(description="Exact: subtotal plus contingency")


def _token(request: HttpRequest) -> ClinicApiToken:
    token = getattr(request, "auth", None)
    assert isinstance(token, ClinicApiToken)  # noqa: S101 - the router's auth guarantees it
    return token


def _referral_out(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "status": referral.status,
        "fhir_task_status": FHIR_TASK_STATUS[referral.status],
        "question": referral.question,
        "sent_at": referral.sent_at,
        "deadline": referral.deadline,
        "overdue": referral.is_overdue(),
    }


def _referral_case_out(referral: Referral) -> dict[str, Any]:
    withdrawn = referral.status == ReferralStatus.WITHDRAWN
    return {
        **_referral_out(referral),
        "reason": referral.reason,
        "case": None if withdrawn else deidentified_referral(referral),
        "moves": [
            {"to": to.value, "label": str(move.label), "needs_reason": move.needs_reason}
            for to, move in moves_from(referral.status, Role.CLINIC_DOCTOR)
        ],
    }


@router.get(
    "/clinic/referrals",
    response=list[ReferralOut],
    summary="The clinic's referrals",
    description=(
        "Every referral sent to the token's clinic, the nearest deadline first, with its status "
        "and the FHIR Task.status it maps to. Paged by `limit` and `offset`. For a clinic's own "
        "system: `Authorization: Bearer <token>`; a token sees its own clinic's referrals only."
    ),
    openapi_extra={"responses": _TOKEN_ERRORS},
)
@paginate(LimitOffsetPagination)
def clinic_referral_list(request: HttpRequest) -> Any:
    return [_referral_out(r) for r in selectors.token_referrals(token=_token(request))]


@router.get(
    "/clinic/referrals/{referral_id}",
    response=ReferralCaseOut,
    summary="One referral, de-identified",
    description=(
        "The referral with its de-identified case (age band, sex, primary cancer category, spine "
        "regions, triage summary, country of residence, the question) and the moves the clinic "
        "can make. Never the patient's name, contact or case reference. Reading a referral for "
        "the first time marks it opened. Another clinic's referral is a 404."
    ),
    openapi_extra={"responses": _TOKEN_ERRORS},
)
def clinic_referral_read(request: HttpRequest, referral_id: ReferralId) -> dict[str, Any]:
    token = _token(request)
    referral = selectors.referral_for_token(token=token, referral_id=referral_id)
    referral = services.referral_open(referral=referral, token=token)
    return _referral_case_out(referral)


@router.post(
    "/clinic/referrals/{referral_id}/moves",
    response=ReferralCaseOut,
    summary="Accept, decline, ask for records or refer onward",
    description=(
        "Moves the referral along the clinic's edges of the referral workflow "
        "(docs/referrals.md). Declining, asking for records and referring onward need a "
        "`reason`. A move the status does not allow is a 409."
    ),
    openapi_extra={"responses": {**_TOKEN_ERRORS, **_CONFLICT}},
)
def clinic_referral_move(
    request: HttpRequest, referral_id: ReferralId, move: MoveIn
) -> dict[str, Any]:
    token = _token(request)
    referral = selectors.referral_for_token(token=token, referral_id=referral_id)
    try:
        referral = services.referral_move(
            referral=referral, actor=None, to=move.to, reason=move.reason, token=token
        )
    except MoveNotAllowed as refused:
        raise HttpError(409, str(refused)) from None
    return _referral_case_out(referral)


@router.post(
    "/clinic/referrals/{referral_id}/answers",
    response={201: AnswerOut},
    summary="Answer with an opinion and a quote",
    description=(
        "The clinic's structured answer, the same as the portal's form: an opinion with its plan "
        "in the trip planner's vocabulary, and an itemised quote whose lines pay for the plan's "
        "items (1-based). Each answer is the next quote version; the referral becomes answered. "
        "Refused field by field (422): a negative price, a currency without a stored exchange "
        "rate, a service outside the vocabulary, a line for an item the plan lacks, a quote no "
        "longer valid. Nothing reaches the patient before a coordinator releases it."
    ),
    openapi_extra={"responses": {**_TOKEN_ERRORS, **_CONFLICT}},
)
def clinic_referral_answer(
    request: HttpRequest, referral_id: ReferralId, answer: AnswerIn
) -> Status[dict[str, Any]]:
    token = _token(request)
    referral = selectors.referral_for_token(token=token, referral_id=referral_id)
    try:
        quote = services.answer_submit(referral=referral, author=None, answer=answer, token=token)
    except services.AnswerRefused as refused:
        loc = ("body", "answer", *refused.field.split("."))
        error = {"loc": loc, "msg": refused.message, "type": "value_error"}
        raise ValidationError([error]) from None
    except MoveNotAllowed as refused:
        raise HttpError(409, str(refused)) from None
    referral.refresh_from_db()
    return Status(
        201,
        {
            "referral": _referral_out(referral),
            "opinion_id": quote.opinion_id,
            "quote_version": quote.version,
            "currency": quote.currency,
            "subtotal": quote.subtotal,
            "contingency": quote.contingency,
            "total": quote.total,
        },
    )
