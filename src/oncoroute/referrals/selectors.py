"""Reads on referrals: a clinic's list, one referral for its clinic's doctor, a case's
referrals with their answers, and what the patient may read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.http import Http404

from oncoroute import itinerary
from oncoroute.accounts.models import User
from oncoroute.cases.models import Case, Consent
from oncoroute.clinics.models import Clinic
from oncoroute.clinics.selectors import case_shortlists, clinic_open_days, exchange_rates_latest
from oncoroute.matching import ExchangeRates, service_label
from oncoroute.privacy.audit import Action, audit_denied, audit_record
from oncoroute.referrals.acceptance import acceptance_refusal
from oncoroute.referrals.models import ClinicApiToken, Opinion, PlanItem, Quote, Referral
from oncoroute.referrals.workflow import CLOSED_STATUSES

CENT = Decimal("0.01")
# A referral's answers as the pages show them, in a fixed number of queries however many there
# are: each opinion with its plan and its quotes' lines, and the quotes with their opinion's plan.
_ANSWERS = (
    Prefetch("opinions", queryset=Opinion.objects.prefetch_related("items", "quotes__lines")),
    Prefetch(
        "quotes",
        queryset=Quote.objects.select_related("opinion").prefetch_related(
            "lines", "opinion__items"
        ),
    ),
)


def clinic_referrals(*, user: User) -> QuerySet[Referral]:
    """The referrals of the doctor's own clinic, the most pressing deadline first, each with its
    case's data key (the question is sealed with it)."""
    if user.clinic_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(clinic_id=user.clinic_id).select_related(
        "clinic", "case__data_key"
    )


def referral_for_doctor(*, user: User, referral_id: int) -> Referral:
    """One referral of the doctor's clinic, else a 404 (and an audited refusal)."""
    referral = (
        clinic_referrals(user=user)
        .select_related("case", "case__data_key")
        .prefetch_related(*_ANSWERS, "events")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        audit_denied(actor=user, object_type="referrals.referral", object_id=str(referral_id))
        raise Http404("No such referral.")
    audit_record(actor=user, action=Action.READ, obj=referral)
    return referral


def token_referrals(*, token: ClinicApiToken) -> QuerySet[Referral]:
    """The referrals of the token's clinic, for its own system, the nearest deadline first."""
    return Referral.objects.filter(clinic_id=token.clinic_id).select_related(
        "case", "case__data_key"
    )


def referral_for_token(*, token: ClinicApiToken, referral_id: int) -> Referral:
    """One referral of the token's clinic, else a 404 (and an audited refusal); the audit trail
    names the token, since no person signed in."""
    referral = token_referrals(token=token).filter(pk=referral_id).first()
    if referral is None:
        audit_denied(
            actor=None, object_type="referrals.referral", object_id=str(referral_id),
            detail={"api_token": token.pk},
        )  # fmt: skip
        raise Http404("No such referral.")
    audit_record(actor=None, action=Action.READ, obj=referral, detail={"api_token": token.pk})
    return referral


def case_referrals(*, case: Case) -> QuerySet[Referral]:
    """Every referral of a case with its answers and timeline, for the coordinator; each holds
    this very case, so their sealed fields open with its data key."""
    return (
        case.referrals.all()
        .select_related("clinic")
        .prefetch_related(*_ANSWERS, "events__actor")
        .order_by("sent_at", "pk")
    )


def released_opinions(*, case: Case) -> QuerySet[Opinion]:
    """The clinics' answers a coordinator released to the patient, newest first."""
    return (
        Opinion.objects.filter(referral__case=case, released_at__isnull=False)
        .select_related("referral__clinic")
        .prefetch_related("items", "quotes__lines")
    )


@dataclass(frozen=True)
class QuoteCompared:
    """A referral's latest quote beside the others: its total, and the same total in the
    patient's currency at the dated rate matching uses."""

    referral: Referral
    quote: Quote
    converted: Decimal | None
    currency: str
    rate_date: date | None


def quotes_compared(*, referrals: Iterable[Referral], currency: str) -> list[QuoteCompared]:
    """The latest quote of each referral (prefetched by `case_referrals`), cheapest first in the
    patient's currency; a quote without a rate for its currency comes last, unconverted."""
    rates = exchange_rates_latest()
    rows = []
    for referral in referrals:
        quote = max(referral.quotes.all(), key=lambda q: q.version, default=None)
        if quote is None:
            continue
        rows.append(_compared(referral, quote, currency, rates))
    return sorted(rows, key=lambda row: (row.converted is None, row.converted or 0))


def _compared(
    referral: Referral, quote: Quote, currency: str, rates: ExchangeRates | None
) -> QuoteCompared:
    rate = rates.rate(quote.currency, currency) if rates else None
    converted = (quote.total * rate).quantize(CENT) if rate is not None else None
    return QuoteCompared(referral, quote, converted, currency, rates.as_of if rates else None)


def days_away_estimate(items: Iterable[PlanItem]) -> int:
    """The days a plan keeps the patient at the clinic by its own figures: each step starts
    `after_previous_days` after the previous one began and lasts its sessions at their interval,
    its hospital nights and its recovery before flying; travel days are not counted."""
    start = end = 0
    for index, item in enumerate(sorted(items, key=lambda item: item.position)):
        if index:
            start += item.after_previous_days
        span = (item.sessions - 1) * item.interval_days + item.hospital_nights
        end = max(end, start + span + item.recovery_days)
    return end + 1


def plan_items_data(items: Iterable[PlanItem]) -> list[dict[str, Any]]:
    """An opinion's plan in the itinerary core's words (PLANNER.md §1 `items`)."""
    return [
        {
            "service": item.service,
            "sessions": item.sessions,
            "interval_days": item.interval_days,
            "after_previous_days": item.after_previous_days,
            "hospital_nights": item.hospital_nights,
            "recovery_days": item.recovery_days,
        }
        for item in sorted(items, key=lambda item: item.position)
    ]


# The answers are compared as if the patient could land this many days from today.
AWAY_ESTIMATE_LEAD_DAYS = 14


@dataclass(frozen=True)
class AwayEstimate:
    """How long a plan keeps the patient away, worked by the itinerary core on the clinic's open
    days: the nights away over all trips, and how many trips."""

    nights: int
    trips: int
    arriving: date


def away_estimate(opinion: Opinion, *, today: date) -> AwayEstimate | None:
    """The plan's trips if the patient could arrive two weeks from today; None when the plan
    cannot be worked (its items outside the planner's table)."""
    clinic = opinion.referral.clinic
    arriving = today + timedelta(days=AWAY_ESTIMATE_LEAD_DAYS)
    days = clinic_open_days(clinic, start=arriving, end=arriving + timedelta(days=2 * 366))
    request = itinerary.parse_request(
        {
            "earliest_arrival": arriving.isoformat(),
            "clinic": {
                "working_days": list(days.working_days),
                "closed_dates": [d.isoformat() for d in days.closed_dates][:1000],
            },
            "journey": {"one_way_fare": "0", "travellers": 1},
            "stay": {"per_night": "0"},
            "currency": "EUR",
            "items": plan_items_data(opinion.items.all()),
        }
    )
    if isinstance(request, list):
        return None
    summary = itinerary.plan_trips(request).summary
    return AwayEstimate(summary.nights_away, summary.trips, arriving) if summary else None


@dataclass(frozen=True)
class AnswerCompared:
    """One clinic's released answer as the patient compares it: the newest released opinion of
    the referral, its latest quote converted, whether that quote may be accepted now (else
    `refusal` says why), and the days away by the clinic's own figures."""

    opinion: Opinion
    compared: QuoteCompared | None
    days_away: int
    refusal: str
    away: AwayEstimate | None = None

    @property
    def quote(self) -> Quote | None:
        return self.compared.quote if self.compared else None


def patient_answers(*, case: Case, currency: str, today: date) -> list[AnswerCompared]:
    """The clinics' answers a coordinator released, one per referral (its newest released
    opinion), cheapest first in the patient's currency; never an unreleased one."""
    rates = exchange_rates_latest()
    newest: dict[int, Opinion] = {}
    for opinion in released_opinions(case=case).select_related("referral__case"):
        newest.setdefault(opinion.referral_id, opinion)
    latest_versions = {
        row["referral_id"]: row["version__max"]
        for row in Quote.objects.filter(referral__case=case)
        .values("referral_id")
        .annotate(Max("version"))
    }
    rows = []
    for opinion in newest.values():
        quote = max(opinion.quotes.all(), key=lambda q: q.version, default=None)
        compared = _compared(opinion.referral, quote, currency, rates) if quote else None
        refusal = (
            acceptance_refusal(
                quote=quote,
                opinion=opinion,
                latest_version=latest_versions.get(opinion.referral_id, 0),
                today=today,
            )
            if quote
            else ""
        )
        items = opinion.items.all()
        away = away_estimate(opinion, today=today)
        rows.append(AnswerCompared(opinion, compared, days_away_estimate(items), refusal, away))
    return sorted(
        rows,
        key=lambda row: (
            row.compared is None or row.compared.converted is None,
            row.compared.converted if row.compared and row.compared.converted else 0,
        ),
    )


@dataclass(frozen=True)
class OfferShown:
    """One service of a clinic as it publishes it: the price range (None when unpublished or
    past its valid-until date) and the typical wait."""

    service: str
    label: str
    low: Decimal | None
    high: Decimal | None
    currency: str
    waiting_days: int | None


@dataclass(frozen=True)
class ClinicChoice:
    """A clinic the patient may let see the case: what the page tells about it, the patient's
    active consent for it, and the case's referral to it."""

    clinic: Clinic
    offers: list[OfferShown]
    shortlisted: bool
    consent: Consent | None
    referral: Referral | None

    @property
    def allowed(self) -> bool:
        return self.consent is not None

    @property
    def sent(self) -> bool:
        """The case went to this clinic and the referral is still open."""
        return self.referral is not None and self.referral.status not in CLOSED_STATUSES


def _offers(clinic: Clinic, today: date) -> list[OfferShown]:
    shown = []
    for offering in clinic.offerings_in_order:
        priced = offering.price_current_on(today)
        shown.append(
            OfferShown(
                service=offering.service,
                label=service_label(offering.service),
                low=offering.price_min if priced else None,
                high=offering.price_max if priced else None,
                currency=offering.currency if priced else "",
                waiting_days=offering.waiting_days,
            )
        )
    return shown


def patient_clinic_choices(*, case: Case, today: date) -> list[ClinicChoice]:
    """The published clinics of the case's latest shortlist in its order, then every other
    clinic the patient still lets see the case (so that it can be withdrawn); each with its
    published prices and waits, the active consent and the referral."""
    shortlist = case_shortlists(case=case).first()
    shortlisted = [item.clinic_id for item in shortlist.items.all()] if shortlist else []
    consents: dict[int, Consent] = {}
    for consent in case.consents.filter(
        purpose=Consent.Purpose.CLINIC_SHARING, withdrawn_at__isnull=True
    ).order_by("given_at", "pk"):
        assert consent.clinic_id is not None  # noqa: S101 (a constraint of Consent)
        consents[consent.clinic_id] = consent
    clinics = Clinic.objects.filter(pk__in=[*shortlisted, *consents]).prefetch_related("offerings")
    found = {clinic.pk: clinic for clinic in clinics}
    referrals = {referral.clinic_id: referral for referral in Referral.objects.filter(case=case)}
    wanted = [pk for pk in shortlisted if pk in found and found[pk].published]
    wanted += [pk for pk in consents if pk not in wanted]
    return [
        ClinicChoice(
            clinic=found[pk],
            offers=_offers(found[pk], today),
            shortlisted=pk in shortlisted,
            consent=consents.get(pk),
            referral=referrals.get(pk),
        )
        for pk in wanted
    ]
