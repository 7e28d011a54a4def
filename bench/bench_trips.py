"""The itinerary pages with 20 trips: the family's itinerary and the coordinator's trip plan.

On a fresh SQLite file, a case whose patient accepted a plan of 20 radium-223 cycles six weeks
apart (each cycle a trip of its own), planned through the trips services; then, through the
real views, each page's p95 in ms as a ratio to the p95 of a plain page measured in this run
through the same stack (the sign-in page), and its SQL queries with 1 and with 20 trips.

    .venv/bin/python bench/bench_trips.py [--requests 60]
"""

from __future__ import annotations

import argparse
import base64
import os
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from benchkit import configure_django, p95, timed

TRIPS = 20


def answer(cycles: int) -> Any:
    from oncoroute.referrals.answers import AnswerIn

    return AnswerIn.model_validate(
        {
            "opinion": {
                "reading": "Bone-only disease; radium-223 every six weeks.",
                "specialties": ["nuclear medicine"],
                "multidisciplinary": True,
                "items": [{"service": "ra223", "sessions": cycles, "interval_days": 42}],
            },
            "quote": {
                "currency": "EUR",
                "lines": [
                    {"item": 1, "description": "Cycle", "quantity": cycles, "unit_price": "6000"}
                ],
                "included": "Each cycle and its blood tests.",
                "excluded": "Flights, hotel.",
                "contingency": "0",
                "valid_until": str(date.today() + timedelta(days=60)),
                "price_change_rule": "Fixed for 60 days.",
            },
        }
    )


def staff(email: str) -> Any:
    from allauth.mfa.totp.internal.auth import TOTP

    from oncoroute.accounts.roles import Role
    from oncoroute.accounts.services import user_create

    user = user_create(email=email, role=Role.COORDINATOR)
    TOTP.activate(user, base64.b32encode(os.urandom(20)).decode())
    return user


def planned_case(cycles: int, coordinator: Any, clinic: Any) -> Any:
    """A case whose patient accepted `cycles` cycles, its trips planned."""
    from django.utils import timezone

    from oncoroute.cases.models import Case, Consent
    from oncoroute.cases.services import CaseRequest, case_submit
    from oncoroute.cases.sharing import consent_give
    from oncoroute.cases.workflow import CaseState
    from oncoroute.referrals.services import answer_submit, referral_send
    from oncoroute.trips.services import JourneyFigures, trip_plan_save

    request = CaseRequest(
        submission_token=uuid.uuid4(), full_name=f"Bench Family {cycles}",
        email=f"family-{cycles}@example.com", phone="+905321234567", country="RU",
        language="ru", writer_role="patient", primary_cancer="prostate",
        spine_regions=["lumbar"], wants=["online_consultation"],
    )  # fmt: skip
    case, _ = case_submit(request=request, source_address="198.51.100.7")
    consent_give(case=case, actor=None, purpose=Consent.Purpose.CLINIC_SHARING, clinic=clinic)
    referral = referral_send(
        case=case, clinic=clinic, actor=coordinator, question="Radium-223?",
        deadline=timezone.now() + timedelta(days=7),
    )  # fmt: skip
    quote = answer_submit(referral=referral, author=None, answer=answer(cycles))
    quote.accepted_at = timezone.now()
    quote.save(update_fields=["accepted_at"])
    Case.objects.filter(pk=case.pk).update(state=CaseState.PLANNING_TRIP)
    figures = JourneyFigures(
        earliest_arrival=date.today() + timedelta(days=14), one_way_fare=Decimal("250"),
        travellers=2, per_night=Decimal("90"),
    )  # fmt: skip
    plan = trip_plan_save(case=case, actor=coordinator, figures=figures)
    assert plan.trips.count() == cycles, plan.trips.count()
    return case


def page(client: Any, url: str) -> Any:
    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return get


def queries(get: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        get()
    return len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    configure_django("trips")
    from django.test import Client
    from django.urls import reverse

    from oncoroute.clinics.models import Clinic
    from oncoroute.clinics.services import exchange_rates_set

    exchange_rates_set(
        base="EUR", as_of=date.today(), rates={"RUB": Decimal(100)}, source="bench rates"
    )
    clinic = Clinic.objects.create(
        slug="bench-clinic", name="Bench Clinic", country="TR", city="Istanbul",
        time_zone="Europe/Istanbul", languages=["en"], commercial_relationship="Bench figures.",
    )  # fmt: skip
    coordinator = staff("coordinator@bench.example")
    small, large = planned_case(1, coordinator, clinic), planned_case(TRIPS, coordinator, clinic)

    plain = page(Client(), reverse("account_login"))
    plain()
    baseline = p95(timed(plain, args.requests))
    print(f"baseline: the sign-in page, p95 {baseline:.1f} ms")
    for label, name, who in (
        ("the family's itinerary", "patient_itinerary", None),
        ("the coordinator's trip plan", "trips_plan", coordinator),
    ):
        pages = []
        for case in (small, large):
            client = Client()
            client.force_login(who or case.patient)
            pages.append(page(client, reverse(name, args=[case.reference])))
        pages[1]()
        ms = p95(timed(pages[1], args.requests))
        print(f"{label}: p95 {ms:.1f} ms with {TRIPS} trips, {ms / baseline:.2f}x the sign-in page")
        print(f"  SQL queries: {queries(pages[0])} with 1 trip, {queries(pages[1])} with {TRIPS}")


if __name__ == "__main__":
    main()
