"""Benchmark: rank 10,000 clinics for one case, against a straightforward loop over model
instances.

Run: .venv/bin/python bench/bench_matching.py [--clinics N] [--runs N]

Writes N synthetic clinics with their offerings and accreditations to a fresh SQLite file
(var/bench/matching/) and loads them once as Django model instances, as a server process holds
them. Then prints the p50/p95 of:

- the baseline: a straightforward loop over those model instances (`clinic.offerings.all()`,
  `clinic.accreditations.all()` from the prefetch), applying the same policy; it builds no
  reasons and no result records;
- `rank_clinics` on a prepared directory, preparation excluded (the target: p95 < 20 ms);
- the same, then reading the first page of ranked clinics, and then reading every ranked and
  excluded record with its reasons (records are built when read);
- `prepare_clinics` alone;
- the find-clinics page's step: `prepared_directory` (one query while the directory is
  unchanged) and ranking; and the same step just after a change to the directory, when the
  clinics are read from the database, converted and prepared again.

Each figure is also given as the baseline's p95 over its own, both measured in this run. The
core's ranking and the baseline's are asserted to agree, clinic by clinic, before any timing.
"""

from __future__ import annotations

import argparse
import random
import statistics
from datetime import date, timedelta
from decimal import Context, Decimal
from typing import Any

from benchkit import configure_django, p95, timed
from oncoroute.matching import (
    SERVICES,
    Accreditation,
    Clinic,
    ExchangeRates,
    Money,
    Need,
    Offering,
    Preferences,
    prepare_clinics,
    rank_clinics,
)
from oncoroute.matching.policy import (
    COUNTRY_MAX,
    LANGUAGE_FIRST,
    LANGUAGE_OTHER,
    OPTIONAL_MAX,
    PRICE_MAX,
    PRICE_PARTLY,
    WAITING_DAYS_TO_ZERO,
    WAITING_MAX,
)
from oncoroute.matching.vocabulary import SERVICE_ORDER

TODAY = date(2026, 6, 1)
PAGE = 20
COUNTRIES = ["DE", "TR", "IL", "ES", "KR", "IN", "CZ", "AT", "CH", "FR", "IT", "PL", "LT", "HU"]
LANGUAGES = ["en", "de", "ru", "tr", "he", "es", "fr", "ar", "ko", "uk"]
RATES = ExchangeRates(
    base="EUR",
    rates={
        "USD": Decimal("1.08"),
        "TRY": Decimal("35.2"),
        "ILS": Decimal("4.01"),
        "KRW": Decimal("1480"),
        "INR": Decimal("90.1"),
        "CZK": Decimal("25.1"),
        "CHF": Decimal("0.95"),
    },
    as_of=date(2026, 5, 29),
)
CURRENCIES = ["EUR", "USD", "TRY", "ILS", "KRW", "INR", "CZK", "CHF", "XAF"]  # XAF: no rate
NEED = Need(
    required=(frozenset({"sbrt"}), frozenset({"vertebroplasty", "kyphoplasty"})),
    optional=frozenset({"mri", "pet_ct", "pain_palliative"}),
)
PREFERENCES = Preferences(
    countries=("DE", "TR"),
    languages=("ru", "en"),
    budget=Money(Decimal("30000"), "EUR"),
    earliest_date=TODAY + timedelta(days=14),
)


def synthetic_clinics(count: int, seed: int = 4) -> list[Clinic]:
    """Clinics with every edge the policy handles: missing services, expired accreditations,
    unpublished prices and waits, a currency without a rate."""
    rng = random.Random(seed)
    services = list(SERVICES)
    clinics = []
    for number in range(count):
        currency = rng.choice(CURRENCIES) if rng.random() < 0.97 else None
        scale = RATES.rates.get(currency or "EUR", Decimal(1))
        offerings = []
        for service in services:
            if rng.random() < 0.5:
                continue
            if currency is None or rng.random() < 0.05:
                low = high = None
                priced_in = None
            else:
                low = (Decimal(rng.randrange(1000, 25000)) * scale).quantize(Decimal(1))
                high = low + (Decimal(rng.randrange(0, 5000)) * scale).quantize(Decimal(1))
                priced_in = currency
            offerings.append(
                Offering(
                    service=service,
                    price_min=low,
                    price_max=high,
                    currency=priced_in,
                    waiting_days=rng.randrange(0, 60) if rng.random() < 0.95 else None,
                )
            )
        # A curated directory: most accreditations current, some expired, a few clinics with none.
        accreditations = []
        held = 0 if rng.random() < 0.03 else rng.choice([1, 1, 2])
        for name in rng.sample(["JCI", "ISO 9001", "DKG", "ESMO-DC"], held):
            verified = TODAY - timedelta(days=rng.randrange(30, 700))
            lasts = rng.randrange(365, 1100) if rng.random() < 0.92 else rng.randrange(1, 29)
            expires = verified + timedelta(days=lasts)
            accreditations.append(Accreditation(name, "Registry desk", name, verified, expires))
        clinics.append(
            Clinic(
                id=f"c{number:05d}",
                name=f"Clinic {rng.randrange(count // 2):05d}",  # duplicate names exercise ties
                country=rng.choice(COUNTRIES),
                languages=tuple(rng.sample(LANGUAGES, rng.randrange(1, 4))),
                accreditations=tuple(accreditations),
                offerings=tuple(offerings),
            )
        )
    return clinics


def populate(clinics: list[Clinic]) -> None:
    """Write the synthetic clinics to the database as the directory's model rows."""
    from oncoroute.clinics import models

    rows = models.Clinic.objects.bulk_create(
        models.Clinic(
            slug=clinic.id,
            name=clinic.name,
            country=clinic.country,
            city="Bench",
            time_zone="UTC",
            languages=list(clinic.languages),
            commercial_relationship="None.",
        )
        for clinic in clinics
    )
    by_slug = {row.slug: row for row in rows}
    models.Offering.objects.bulk_create(
        (
            models.Offering(
                clinic=by_slug[clinic.id],
                service=offering.service,
                price_min=offering.price_min,
                price_max=offering.price_max,
                currency=offering.currency or "",
                waiting_days=offering.waiting_days,
            )
            for clinic in clinics
            for offering in clinic.offerings
        ),
        batch_size=5000,
    )
    models.Accreditation.objects.bulk_create(
        (
            models.Accreditation(
                clinic=by_slug[clinic.id],
                name=a.name,
                verified_by=a.verified_by,
                register=a.register,
                verified_on=a.verified_on,
                expires_on=a.expires_on,
            )
            for clinic in clinics
            for a in clinic.accreditations
        ),
        batch_size=5000,
    )


def baseline_rank(
    need: Need, preferences: Preferences, clinics: list[Any], rates: ExchangeRates, today: date
) -> list[tuple[str, int]]:
    """The same policy as a plain loop over clinic model instances: (slug, total) in rank order."""
    assert preferences.budget is not None
    currency = preferences.budget.currency
    budget = preferences.budget.amount
    earliest = preferences.earliest_date
    lead = max(0, (earliest - today).days) if earliest else 0

    def converted(offering: Any) -> Decimal | None:
        """The rate from the offering's price currency to the patient's, if it has a price."""
        if not offering.price_current_on(today):
            return None
        rate = rates.rate(offering.currency, currency)
        return Context(prec=10).plus(rate) if rate is not None else None

    rows = []
    for clinic in clinics:
        offerings = list(clinic.offerings.all())
        chosen: list[Any] = []
        ok = True
        for alternatives in need.required:
            found = [offering for offering in offerings if offering.service in alternatives]
            if not found:
                ok = False
                continue

            def choice_key(offering: Any) -> tuple[int, int, int, Decimal, int]:
                rate = converted(offering)
                return (
                    0 if offering.waiting_days is not None else 1,
                    offering.waiting_days or 0,
                    0 if rate is not None else 1,
                    offering.price_max * rate if rate is not None else Decimal(0),
                    SERVICE_ORDER[offering.service],
                )

            best = min(found, key=choice_key)
            if best not in chosen:
                chosen.append(best)
        valid = any(a.verified_on <= today <= a.expires_on for a in clinic.accreditations.all())
        if not ok or not valid:
            continue

        wait: int | None = 0
        for offering in chosen:
            if offering.waiting_days is None:
                wait = None
                break
            wait = max(wait, offering.waiting_days)  # type: ignore[type-var]
        waiting = (
            0
            if wait is None
            else max(0, WAITING_MAX - max(0, wait - lead) * WAITING_MAX // WAITING_DAYS_TO_ZERO)
        )

        low = high = Decimal(0)
        priced = True
        for offering in chosen:
            rate = converted(offering)
            if rate is None:
                priced = False
                continue
            low += offering.price_min * rate
            high += offering.price_max * rate
        price = 0
        if priced:
            low = low.quantize(Decimal("0.01"))
            high = high.quantize(Decimal("0.01"))
            price = PRICE_MAX if high <= budget else PRICE_PARTLY if low <= budget else 0

        language = 0
        if preferences.languages and preferences.languages[0] in clinic.languages:
            language = LANGUAGE_FIRST
        elif any(code in clinic.languages for code in preferences.languages):
            language = LANGUAGE_OTHER

        offered = [s for s in need.optional if any(o.service == s for o in offerings)]
        optional = OPTIONAL_MAX * len(offered) // len(need.optional) if need.optional else 0
        country = COUNTRY_MAX if clinic.country.code in preferences.countries else 0

        total = waiting + price + language + optional + country
        rows.append(
            (
                (
                    -total,
                    0 if wait is not None else 1,
                    wait or 0,
                    0 if priced else 1,
                    high if priced else Decimal(0),
                    clinic.name.casefold(),
                    clinic.slug,
                ),
                clinic.slug,
                total,
            )
        )
    rows.sort()
    return [(slug, total) for _, slug, total in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clinics", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    configure_django("matching")
    from oncoroute.clinics.models import Clinic as ClinicRow
    from oncoroute.clinics.revision import directory_changed
    from oncoroute.clinics.selectors import core_clinic, prepared_directory

    populate(synthetic_clinics(args.clinics))
    rows = list(
        ClinicRow.objects.filter(published=True).prefetch_related("accreditations", "offerings")
    )
    clinics = [core_clinic(row, today=TODAY) for row in rows]
    directory = prepare_clinics(clinics)

    result = rank_clinics(NEED, PREFERENCES, directory, rates=RATES, today=TODAY)
    expected = baseline_rank(NEED, PREFERENCES, rows, RATES, TODAY)
    assert [(r.clinic_id, r.total) for r in result.ranked] == expected, "rankings disagree"
    assert len(result.ranked) + len(result.excluded) == args.clinics

    def rank() -> object:
        return rank_clinics(NEED, PREFERENCES, directory, rates=RATES, today=TODAY)

    def rank_and_read_a_page() -> object:
        return rank_clinics(NEED, PREFERENCES, directory, rates=RATES, today=TODAY).ranked[:PAGE]

    def rank_and_read_everything() -> object:
        return rank_clinics(NEED, PREFERENCES, directory, rates=RATES, today=TODAY).materialized()

    def prepare() -> object:
        return prepare_clinics(clinics)

    def page_step() -> object:
        current = prepared_directory(today=TODAY)
        return rank_clinics(NEED, PREFERENCES, current, rates=RATES, today=TODAY)

    def change_then_page_step() -> object:
        directory_changed()
        return page_step()

    def baseline() -> object:
        return baseline_rank(NEED, PREFERENCES, rows, RATES, TODAY)

    few = max(5, args.runs // 5)
    timings = [
        ("rank_clinics on a prepared directory (preparation excluded)", timed(rank, args.runs)),
        (f"... and read the first {PAGE} ranked clinics", timed(rank_and_read_a_page, args.runs)),
        ("... and read every ranked and excluded record", timed(rank_and_read_everything, few)),
        ("prepare_clinics alone", timed(prepare, few)),
        ("the page's step: prepared_directory (unchanged) and rank", timed(page_step, args.runs)),
        ("a change to the directory, then the page's step", timed(change_then_page_step, few)),
    ]
    baseline_times = timed(baseline, args.runs)

    print(
        f"{args.clinics} clinics, {len(result.ranked)} ranked, {len(result.excluded)} excluded; "
        "rankings agree with the baseline"
    )
    print(
        f"  baseline loop over model instances, {len(baseline_times)} runs: "
        f"p50 {statistics.median(baseline_times):.2f} ms, p95 {p95(baseline_times):.2f} ms"
    )
    for label, times in timings:
        ratio = p95(baseline_times) / p95(times)
        print(
            f"  {label}, {len(times)} runs: p50 {statistics.median(times):.2f} ms, "
            f"p95 {p95(times):.2f} ms; baseline p95 / this p95 {ratio:.2f}"
        )
    print("target: rank_clinics on a prepared directory, p95 < 20 ms")


if __name__ == "__main__":
    main()
