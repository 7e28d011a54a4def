"""The clinic directory (open to anyone) and clinic matching for a case (coordinators)."""

from __future__ import annotations

import reprlib
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django_countries import countries
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import TypeAdapter, field_validator

from oncoroute.api.errors import error_response
from oncoroute.cases.selectors import case_for_coordinator
from oncoroute.clinics import selectors
from oncoroute.clinics.models import Clinic
from oncoroute.matching import SERVICES, THERAPY_TO_SERVICES, MatchResult
from oncoroute.triage.selectors import latest_triage

router = Router(tags=["clinics"])
_MATCH_RESULT = TypeAdapter(MatchResult)
# As the matching form and the price columns: 14 digits, 2 of them decimals.
_BUDGET_MAX = Decimal("999999999999.99")


def _country(value: str | None) -> str | None:
    if value is not None and (len(value) != 2 or value not in dict(countries)):
        raise ValueError("must be an ISO 3166-1 alpha-2 country code in capitals, e.g. TR")
    return value


def _services(values: list[str]) -> list[str]:
    if unknown := [v for v in values if v not in SERVICES]:
        raise ValueError(
            f"unknown service {reprlib.repr(unknown[0])}; known: {', '.join(SERVICES)}"
        )
    return values


class DirectoryFilters(Schema):
    country: str | None = Field(None, description="ISO 3166-1 alpha-2, e.g. TR")
    service: str | None = Field(None, description="A service id of the vocabulary, e.g. sbrt")

    @field_validator("country")
    @classmethod
    def known_country(cls, value: str | None) -> str | None:
        return _country(value)

    @field_validator("service")
    @classmethod
    def known_service(cls, value: str | None) -> str | None:
        return _services([value])[0] if value is not None else None


class CredentialOut(Schema):
    kind: str
    name: str
    verified_by: str
    register_name: str = Field(description="The register the credential was checked against")
    verified_on: date
    expires_on: date
    valid_today: bool


class PriceOut(Schema):
    min: Decimal
    max: Decimal
    currency: str
    includes: str
    valid_until: date | None


class ServiceOut(Schema):
    service: str
    label: str
    detail: str
    tracers: list[str]
    price: PriceOut | None = Field(description="Only when the clinic published a current price")
    waiting_days: int | None


class ClinicOut(Schema):
    slug: str
    name: str
    country: str
    city: str
    time_zone: str
    languages: list[str]
    url: str
    demo_figures: bool
    commercial_relationship: str
    accreditations: list[CredentialOut]
    services: list[ServiceOut]


def _clinic_out(clinic: Clinic, today: date) -> dict[str, Any]:
    services = []
    for offering in clinic.offerings_in_order:
        price = None
        if offering.price_current_on(today):
            price = {
                "min": offering.price_min,
                "max": offering.price_max,
                "currency": offering.currency,
                "includes": offering.price_includes,
                "valid_until": offering.price_valid_until,
            }
        services.append(
            {
                "service": offering.service,
                "label": offering.get_service_display(),
                "detail": offering.detail,
                "tracers": offering.tracers,
                "price": price,
                "waiting_days": offering.waiting_days,
            }
        )
    return {
        "slug": clinic.slug,
        "name": clinic.name,
        "country": str(clinic.country),
        "city": clinic.city,
        "time_zone": clinic.time_zone,
        "languages": clinic.languages,
        "url": reverse("clinic_detail", args=[clinic.slug]),
        "demo_figures": clinic.demo_figures,
        "commercial_relationship": clinic.commercial_relationship,
        "accreditations": [
            {
                "kind": a.kind,
                "name": a.name,
                "verified_by": a.verified_by,
                "register_name": a.register,
                "verified_on": a.verified_on,
                "expires_on": a.expires_on,
                "valid_today": a.is_valid_on(today),
            }
            for a in clinic.accreditations.all()
        ],
        "services": services,
    }


@router.get(
    "/clinics",
    auth=None,
    response=list[ClinicOut],
    summary="The public clinic directory",
    description=(
        "Every published clinic with its credentials (who verified them, against which "
        "register, until when), languages, services and typical waits. Prices appear only where "
        "the clinic published a current one. Filter by `country` (ISO 3166-1 alpha-2) and "
        "`service` (a vocabulary id); an unknown value gets a 422 naming the parameter. Open to "
        "anyone."
    ),
)
def clinic_directory(
    request: HttpRequest, filters: Query[DirectoryFilters]
) -> list[dict[str, Any]]:
    clinics = selectors.public_directory(
        country=filters.country or "", service=filters.service or ""
    )
    today = timezone.localdate()
    return [_clinic_out(clinic, today) for clinic in clinics]


class MatchQuery(Schema):
    therapies: list[str] = Field(
        default_factory=list,
        max_length=len(THERAPY_TO_SERVICES),
        description="Therapy ids; default: the latest triage's eligible ones",
    )
    services: list[str] = Field(
        default_factory=list,
        max_length=len(SERVICES),
        description="Required service ids, when no therapy is given",
    )
    optional: list[str] = Field(
        default_factory=list, max_length=len(SERVICES), description="Optional service ids"
    )
    budget: Decimal | None = Field(
        None,
        ge=0,
        le=_BUDGET_MAX,
        decimal_places=2,
        description="In `currency`; at most 999999999999.99, with at most two decimals",
    )
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")

    @field_validator("therapies")
    @classmethod
    def known_therapies(cls, values: list[str]) -> list[str]:
        if unknown := [v for v in values if v not in THERAPY_TO_SERVICES]:
            raise ValueError(f"unknown therapy {reprlib.repr(unknown[0])}")
        return values

    @field_validator("services", "optional")
    @classmethod
    def known_services(cls, values: list[str]) -> list[str]:
        return _services(values)


@router.get(
    "/cases/{reference}/clinic-matches",
    response=MatchResult,
    summary="Rank the directory for one case",
    description=(
        "The published clinics ranked for the case with points and a reason per criterion, "
        "and the excluded ones with their reasons (policy `RANKING_POLICY`). The need comes "
        "from `therapies`, else `services`, else the latest triage's eligible therapies; "
        "countries and language from the case. Coordinators only."
    ),
    openapi_extra={
        "responses": {
            503: error_response("No exchange rates are stored: prices cannot be compared.")
        }
    },
)
def case_clinic_matches(
    request: HttpRequest, reference: str, query: Query[MatchQuery]
) -> HttpResponse:
    case = case_for_coordinator(user=request.user, reference=reference)  # type: ignore[arg-type]
    therapies = tuple(query.therapies)
    if not therapies and not query.services:
        snapshot = latest_triage(case=case)
        therapies = tuple(t for t, _ in selectors.triage_therapies(snapshot=snapshot))
    match_request = selectors.MatchRequest(
        therapies=therapies,
        required_services=tuple(query.services),
        optional_services=tuple(query.optional),
        budget=query.budget,
        currency=query.currency or "",
    )
    try:
        result = selectors.case_clinic_matches(
            case=case, request=match_request, today=timezone.localdate()
        )
    except selectors.NoExchangeRates as error:
        raise HttpError(503, str(error)) from None
    # Serialised by pydantic itself: the core's records hold frozensets and Decimals, which
    # Django's JSON encoder does not know.
    return HttpResponse(
        _MATCH_RESULT.dump_json(result.materialized()), content_type="application/json"
    )
