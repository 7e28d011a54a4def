"""The clinic portal's referral list and the coordinator's case page, over 5,000 referrals.

On a fresh SQLite file, writes 5,000 referrals of 250 cases to 20 clinics (one in five answered
with an opinion and a quote), then, through the real views:

- the portal's list of a clinic with 20 referrals of its own;
- the coordinator's page of a case sent to 20 clinics, two in three answered with an opinion and
  a two-line quote, the others declined (every answer, the quotes side by side);

and prints each page's p95 in ms, as a ratio to the p95 of two plain pages measured in this run
through the same stack (the sign-in page, and the public landing page with its request form),
and its SQL queries per page with 1 and with 20 referrals, which must be equal.

    .venv/bin/python bench/bench_referrals.py [--referrals 5000] [--requests 60]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import sys
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from benchkit import ROOT, configure_django, p95, timed

BACKGROUND_CLINICS = 20
SHOWN = 20
REQUESTS = 60


def make_clinic(slug: str) -> Any:
    from oncoroute.clinics.models import Clinic

    return Clinic.objects.create(
        slug=slug,
        name=f"Clinic {slug}",
        country="TR",
        city="Istanbul",
        time_zone="Europe/Istanbul",
        languages=["en"],
        commercial_relationship="Bench figures.",
    )


def make_cases(prefix: str, count: int) -> list[Any]:
    from django.utils import timezone

    from oncoroute.cases.models import Case
    from oncoroute.cases.vocabulary import Urgency, queue_rank

    now = timezone.now()
    cases = [
        Case(
            reference=f"OR-BENCH-{prefix}-{n:05d}",
            full_name=f"Referred Patient {prefix} {n}",
            email=f"referred-{prefix}-{n}@example.com",
            country="KZ",
            language="ru",
            writer_role="patient",
            primary_cancer="breast",
            spine_regions=["thoracic"],
            urgency=Urgency.ROUTINE,
            queue_rank=queue_rank(urgency=Urgency.ROUTINE, sins_band=""),
            created_at=now - timedelta(hours=n % 72),
        )
        for n in range(count)
    ]
    return Case.objects.bulk_create(cases, batch_size=500)


def fill_background(total: int) -> None:
    """`total` referrals of total/20 cases to 20 clinics, written in bulk, with their consents,
    shares and first events; one in five answered with an opinion and a two-line quote."""
    from django.utils import timezone

    from oncoroute.cases.models import CaseShare, Consent
    from oncoroute.cases.sharing import SHARING_TEXTS
    from oncoroute.referrals.models import (
        Opinion,
        PlanItem,
        Quote,
        QuoteLine,
        Referral,
        ReferralEvent,
    )
    from oncoroute.referrals.workflow import ReferralStatus

    now = timezone.now()
    clinics = [make_clinic(f"background-{n}") for n in range(BACKGROUND_CLINICS)]
    cases = make_cases("BG", total // len(clinics))
    pairs = [(case, clinic) for case in cases for clinic in clinics]
    text = hashlib.sha256(SHARING_TEXTS["ru"].encode()).hexdigest()
    consents = Consent.objects.bulk_create(
        Consent(
            case=case,
            purpose=Consent.Purpose.CLINIC_SHARING,
            clinic=clinic,
            country="TR",
            text_version="clinic-sharing-2026-11",
            text_sha256=text,
            language="ru",
            given_at=now,
        )
        for case, clinic in pairs
    )
    shares = CaseShare.objects.bulk_create(
        CaseShare(case=case, clinic=clinic, consent=consent)
        for (case, clinic), consent in zip(pairs, consents, strict=True)
    )
    statuses = list(ReferralStatus)
    referrals = Referral.objects.bulk_create(
        (
            Referral(
                share=share,
                case=case,
                clinic=clinic,
                status=statuses[n % len(statuses)],
                question="Is SBRT suitable, or surgery first?",
                deadline=now + timedelta(days=n % 14 - 4),
                sent_at=now - timedelta(days=5),
            )
            for n, ((case, clinic), share) in enumerate(zip(pairs, shares, strict=True))
        ),
        batch_size=1000,
    )
    ReferralEvent.objects.bulk_create(
        (ReferralEvent(referral=r, kind=ReferralEvent.Kind.SENT) for r in referrals),
        batch_size=1000,
    )
    answered = [r for n, r in enumerate(referrals) if n % 5 == 0]
    opinions = Opinion.objects.bulk_create(
        Opinion(
            referral=r,
            reading="Unstable lesion; stabilise, then SBRT.",
            specialties=["spine surgery"],
            multidisciplinary=True,
        )
        for r in answered
    )
    items = PlanItem.objects.bulk_create(
        PlanItem(opinion=o, position=p, service=s, sessions=1 if p == 1 else 5)
        for o in opinions
        for p, s in ((1, "spine_stabilisation"), (2, "sbrt"))
    )
    quotes = Quote.objects.bulk_create(
        Quote(
            referral=o.referral,
            opinion=o,
            version=1,
            currency="EUR",
            included="Surgery, SBRT.",
            excluded="Flights.",
            valid_until=date.today() + timedelta(days=60),
            price_change_rule="Fixed for 60 days.",
        )
        for o in opinions
    )
    QuoteLine.objects.bulk_create(
        (
            QuoteLine(
                quote=q,
                plan_item=item,
                description=item.service,
                quantity=item.sessions,
                unit_price=Decimal("1200.00"),
            )
            for q, pair in zip(quotes, zip(items[::2], items[1::2], strict=True), strict=True)
            for item in pair
        ),
        batch_size=1000,
    )


def answer_in(currency: str = "EUR") -> Any:
    from oncoroute.referrals.answers import AnswerIn

    return AnswerIn.model_validate(
        {
            "opinion": {
                "reading": "Unstable T8 lesion; stabilise, then SBRT.",
                "specialties": ["spine surgery", "radiation oncology"],
                "multidisciplinary": True,
                "items": [
                    {"service": "spine_stabilisation", "sessions": 1, "hospital_nights": 5},
                    {"service": "sbrt", "sessions": 5, "after_previous_days": 14},
                ],
            },
            "quote": {
                "currency": currency,
                "lines": [
                    {
                        "item": 1,
                        "description": "Stabilisation",
                        "quantity": 1,
                        "unit_price": "18500.00",
                    },
                    {
                        "item": 2,
                        "description": "SBRT fraction",
                        "quantity": 5,
                        "unit_price": "1200.10",
                    },
                ],
                "included": "Surgery, five nights, SBRT.",
                "excluded": "Flights, hotel.",
                "contingency": "2000.00",
                "valid_until": str(date.today() + timedelta(days=60)),
                "price_change_rule": "Fixed for 60 days.",
            },
        }
    )


def staff(email: str, role: Any, clinic: Any = None) -> Any:
    from allauth.mfa.totp.internal.auth import TOTP

    from oncoroute.accounts.services import user_create

    user = user_create(email=email, role=role)
    user.clinic = clinic
    user.save()
    TOTP.activate(user, base64.b32encode(os.urandom(20)).decode())  # staff must have one
    return user


def refer(case: Any, clinic: Any, coordinator: Any, doctor: Any, n: int) -> None:
    """Through the services, as on the pages: consent, send, then the clinic's answer (two in
    three) or its decline."""
    from django.utils import timezone

    from oncoroute.cases.models import Consent
    from oncoroute.cases.sharing import consent_give
    from oncoroute.referrals.services import answer_submit, referral_move, referral_send

    consent_give(case=case, actor=None, purpose=Consent.Purpose.CLINIC_SHARING, clinic=clinic)
    referral = referral_send(
        case=case,
        clinic=clinic,
        actor=coordinator,
        question="Is SBRT suitable, or surgery first?",
        deadline=timezone.now() + timedelta(days=7),
    )
    if n % 3 == 2:
        referral_move(referral=referral, actor=doctor, to="declined", reason="Not our field.")
    else:
        answer_submit(referral=referral, author=doctor, answer=answer_in())


def page(client: Any, url: str) -> Any:
    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return get


def queries(get: Any) -> int:
    sys.path.insert(0, str(ROOT))
    from tests.query_count import count_queries

    get()
    with count_queries() as counter:
        get()
    return counter.count


def measure(name: str, get: Any, grow: Any, baselines: dict[str, float], requests: int) -> bool:
    """Query count with one referral, then with SHOWN; p95 with SHOWN. True if the count held."""
    grow(0, 1)
    one = queries(get)
    grow(1, SHOWN)
    many = queries(get)
    ms = p95(timed(get, requests))
    ratios = ", ".join(f"{ms / base:.2f} to the {page}" for page, base in baselines.items())
    indent = " " * len(name)
    print(f"{name}: p95 {ms:.1f} ms with {SHOWN} referrals")
    print(f"{indent}  ratio of p95s: {ratios}")
    print(f"{indent}  SQL queries per page: {one} with 1 referral, {many} with {SHOWN}")
    return one == many


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--referrals", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    args = parser.parse_args()
    configure_django("referrals")

    from django.test import Client
    from django.utils import timezone

    from oncoroute.accounts.roles import Role
    from oncoroute.clinics.services import exchange_rates_set
    from oncoroute.referrals.models import Referral

    exchange_rates_set(
        base="EUR", as_of=timezone.localdate(), rates={"USD": Decimal("1.08")}, source="bench"
    )
    fill_background(args.referrals)
    coordinator = staff("bench-coordinator@example.com", Role.COORDINATOR)
    portal_clinic = make_clinic("portal")
    doctor = staff("bench-doctor@example.com", Role.CLINIC_DOCTOR, portal_clinic)
    portal_cases = make_cases("PORTAL", SHOWN)
    [case] = make_cases("CASE", 1)
    answering = [make_clinic(f"answering-{n}") for n in range(SHOWN)]
    doctors = [
        staff(f"doctor-{n}@example.com", Role.CLINIC_DOCTOR, c) for n, c in enumerate(answering)
    ]

    anonymous, doctor_client, coordinator_client = Client(), Client(), Client()
    doctor_client.force_login(doctor)
    coordinator_client.force_login(coordinator)
    print(f"{Referral.objects.count()} referrals in the database, and the measured pages' own")
    baselines = {}
    for label, url in (("sign-in page", "/accounts/login/"), ("landing page", "/")):
        plain = page(anonymous, url)
        plain()
        baselines[label] = p95(timed(plain, args.requests))
        print(f"baseline: the {label} (GET {url}), p95 {baselines[label]:.1f} ms")

    def grow_portal(start: int, stop: int) -> None:
        for n in range(start, stop):
            refer(portal_cases[n], portal_clinic, coordinator, doctor, n)

    def grow_case(start: int, stop: int) -> None:
        for n in range(start, stop):
            refer(case, answering[n], coordinator, doctors[n], n)

    portal = page(doctor_client, "/portal/")
    case_page = page(coordinator_client, f"/coordinator/cases/{case.reference}/")
    steady = measure("portal referral list", portal, grow_portal, baselines, args.requests)
    steady &= measure("coordinator case page", case_page, grow_case, baselines, args.requests)
    if not steady:
        sys.exit("a page's query count grows with the number of referrals")


if __name__ == "__main__":
    main()
