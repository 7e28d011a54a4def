"""Matching on hand-built directories: exact orders, points and reasons."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from oncoroute.matching import (
    Accreditation,
    Clinic,
    Exclusion,
    MatchResult,
    Money,
    Need,
    Note,
    Offering,
    Preferences,
    PriceEstimate,
    RateUsed,
    prepare_clinics,
    rank_clinics,
)

from .builders import JCI, RATES, TODAY, clinic, offer

SBRT = Need(required=(frozenset({"sbrt"}),))


def rank(
    need: Need,
    clinics: list[Clinic],
    preferences: Preferences | None = None,
    *,
    require_accreditation: bool = True,
) -> MatchResult:
    return rank_clinics(
        need,
        preferences or Preferences(),
        clinics,
        rates=RATES,
        today=TODAY,
        require_accreditation=require_accreditation,
    )


def order(result: MatchResult) -> list[str]:
    return [ranked.clinic_id for ranked in result.ranked]


def points(result: MatchResult, clinic_id: str) -> dict[str, int]:
    ranked = next(r for r in result.ranked if r.clinic_id == clinic_id)
    return {score.criterion: score.points for score in ranked.criteria}


def reason(result: MatchResult, clinic_id: str, criterion: str) -> str:
    ranked = next(r for r in result.ranked if r.clinic_id == clinic_id)
    return next(s.reason for s in ranked.criteria if s.criterion == criterion)


def test_a_clinic_missing_a_required_service_is_excluded_with_the_reason() -> None:
    need = Need(required=(frozenset({"sbrt"}), frozenset({"mri"})))
    result = rank(
        need, [clinic("a", offer("sbrt"), offer("mri")), clinic("b", offer("sbrt"), offer("ct"))]
    )

    assert order(result) == ["a"]
    assert result.excluded == (
        Exclusion("b", "Clinic b", (Note("missing_service", "does not offer MRI"),)),
    )


def test_every_missing_service_and_failed_filter_is_listed() -> None:
    expired = Accreditation("JCI", "Registry desk", "JCI list", date(2023, 3, 1), date(2026, 3, 1))
    need = Need(required=(frozenset({"sbrt"}), frozenset({"vertebroplasty", "kyphoplasty"})))
    result = rank(need, [clinic("a", offer("mri"), accreditations=(expired,))])

    assert result.ranked == ()
    assert [note.message for note in result.excluded[0].reasons] == [
        "does not offer Vertebroplasty or Balloon kyphoplasty",
        "does not offer Stereotactic radiosurgery / SBRT",
        "accreditation JCI expired on 1 Mar 2026",
    ]


def test_either_service_of_an_any_of_requirement_satisfies_it() -> None:
    need = Need.from_therapies(["vertebral_augmentation"])
    result = rank(
        need,
        [
            clinic("plasty", offer("vertebroplasty", wait=7)),
            clinic("kypho", offer("kyphoplasty", wait=7)),
            clinic("both", offer("vertebroplasty", wait=10), offer("kyphoplasty", wait=3)),
            clinic("neither", offer("sbrt")),
        ],
    )

    assert order(result) == ["both", "kypho", "plasty"]
    both = result.ranked[0]
    assert [o.service for o in both.offerings] == ["kyphoplasty"]  # the shorter wait is used
    assert both.wait_days == 3
    assert result.excluded[0].clinic_id == "neither"


def test_between_equal_waits_the_cheaper_alternative_is_used() -> None:
    need = Need.from_therapies(["vertebral_augmentation"])
    result = rank(
        need,
        [clinic("a", offer("vertebroplasty", 9_000), offer("kyphoplasty", 8_000, currency="USD"))],
    )

    assert [o.service for o in result.ranked[0].offerings] == ["kyphoplasty"]  # 6,400 EUR
    assert result.ranked[0].price == PriceEstimate(
        Decimal("6400.00"),
        Decimal("6400.00"),
        "EUR",
        (RateUsed("USD", "EUR", Decimal("0.8"), date(2026, 5, 29)),),
    )


def test_an_expired_accreditation_stops_counting_and_says_so() -> None:
    expired = Accreditation("JCI", "Registry desk", "JCI list", date(2023, 3, 1), date(2026, 3, 1))
    result = rank(SBRT, [clinic("a", offer("sbrt"), accreditations=(expired,))])

    assert result.ranked == ()
    assert result.excluded[0].reasons == (
        Note("accreditation_expired", "accreditation JCI expired on 1 Mar 2026"),
    )


def test_an_accreditation_is_valid_through_its_expiry_date() -> None:
    last_day = Accreditation("JCI", "Registry desk", "JCI list", date(2023, 6, 1), TODAY)

    assert order(rank(SBRT, [clinic("a", offer("sbrt"), accreditations=(last_day,))])) == ["a"]


def test_an_expired_accreditation_beside_a_valid_one_is_flagged_not_excluded() -> None:
    expired = Accreditation("DKG", "Registry desk", "OncoMap", date(2022, 1, 1), date(2025, 12, 31))
    result = rank(SBRT, [clinic("a", offer("sbrt"), accreditations=(JCI, expired))])

    assert order(result) == ["a"]
    assert result.ranked[0].flags == (
        Note("accreditation_expired", "accreditation DKG expired on 31 Dec 2025"),
    )


def test_an_accreditation_dated_after_today_does_not_count() -> None:
    future = Accreditation("JCI", "Registry desk", "JCI list", date(2026, 7, 1), date(2029, 7, 1))
    result = rank(SBRT, [clinic("a", offer("sbrt"), accreditations=(future,))])

    assert result.excluded[0].reasons == (
        Note(
            "accreditation_not_yet_verified", "accreditation JCI is dated 1 Jul 2026, after today"
        ),
    )


def test_without_accreditation_a_clinic_is_excluded_unless_the_coordinator_asks() -> None:
    bare = clinic("a", offer("sbrt"), accreditations=())

    assert rank(SBRT, [bare]).excluded[0].reasons == (
        Note("no_accreditation", "no accreditation on file"),
    )
    review = rank(SBRT, [bare], require_accreditation=False)
    assert order(review) == ["a"]
    assert [flag.code for flag in review.ranked[0].flags] == [
        "no_valid_accreditation",
        "no_accreditation",
    ]


def test_an_unpublished_price_is_flagged_not_excluded() -> None:
    preferences = Preferences(budget=Money(Decimal(20_000), "EUR"))
    result = rank(
        SBRT,
        [clinic("quiet", offer("sbrt", None)), clinic("open", offer("sbrt", 15_000))],
        preferences,
    )

    assert order(result) == ["open", "quiet"]
    quiet = result.ranked[1]
    assert quiet.price is None
    assert points(result, "quiet")["price"] == 0
    assert reason(result, "quiet", "price") == (
        "price not published for Stereotactic radiosurgery / SBRT: not scored"
    )
    assert quiet.flags == (
        Note("price_not_published", "price not published for Stereotactic radiosurgery / SBRT"),
    )


def test_budget_scoring_converts_currencies_and_reports_the_rate() -> None:
    preferences = Preferences(budget=Money(Decimal(20_000), "EUR"))
    result = rank(
        SBRT,
        [
            clinic("within", offer("sbrt", 15_000, high=20_000, currency="USD")),  # 12,000–16,000
            clinic("edge", offer("sbrt", 20_000)),  # exactly the budget
            clinic("partly", offer("sbrt", 20_000, high=30_000, currency="USD")),  # 16,000–24,000
            clinic("over", offer("sbrt", 1_000_000, currency="TRY")),  # 25,000
        ],
        preferences,
    )

    assert {r.clinic_id: points(result, r.clinic_id)["price"] for r in result.ranked} == {
        "within": 25,
        "edge": 25,
        "partly": 12,
        "over": 0,
    }
    within = next(r for r in result.ranked if r.clinic_id == "within")
    assert within.price == PriceEstimate(
        Decimal("12000.00"),
        Decimal("16000.00"),
        "EUR",
        (RateUsed("USD", "EUR", Decimal("0.8"), date(2026, 5, 29)),),
    )
    assert reason(result, "partly", "price") == (
        "estimate may exceed budget of 20,000 EUR: only its lower end is within it"
    )
    assert reason(result, "over", "price") == "whole estimate over budget of 20,000 EUR"
    assert result.currency == "EUR"
    assert result.rates_as_of == date(2026, 5, 29)


def test_prices_are_shown_in_the_patients_currency_without_a_budget() -> None:
    result = rank(SBRT, [clinic("a", offer("sbrt", 8_000))], Preferences(currency="USD"))

    assert result.ranked[0].price == PriceEstimate(
        Decimal("10000.00"),
        Decimal("10000.00"),
        "USD",
        (RateUsed("EUR", "USD", Decimal("1.25"), date(2026, 5, 29)),),
    )
    assert reason(result, "a", "price") == "no budget given: price not scored"


def test_a_price_in_a_currency_without_a_rate_is_flagged() -> None:
    result = rank(
        SBRT,
        [clinic("a", offer("sbrt", 9_000, currency="GBP"))],
        Preferences(budget=Money(Decimal(20_000), "EUR")),
    )

    assert result.ranked[0].price is None
    assert result.ranked[0].flags == (Note("no_exchange_rate", "no exchange rate from GBP to EUR"),)
    assert points(result, "a")["price"] == 0


def test_estimates_round_half_to_even_at_the_cent() -> None:
    # 1 TRY is 0.025 EUR: 1 TRY is half a cent above 0.02, 3 TRY half a cent below 0.08.
    result = rank(SBRT, [clinic("a", offer("sbrt", 1, high=3, currency="TRY"))])

    estimate = result.ranked[0].price
    assert estimate is not None
    assert (estimate.low, estimate.high) == (Decimal("0.02"), Decimal("0.08"))


def test_estimates_stay_exact_for_long_and_very_large_prices() -> None:
    long_price = Decimal("123456789.123456789")  # more digits than a float keeps
    huge = Decimal(10) ** 16  # 4 * 10**19 cents of TRY: more than 64 bits hold
    result = rank(
        SBRT,
        [
            clinic("long", Offering("sbrt", long_price, long_price, "USD", waiting_days=7)),
            clinic("huge", Offering("sbrt", huge, huge, "EUR", waiting_days=7)),
            clinic("plain", offer("sbrt", 100, wait=7)),
        ],
        Preferences(currency="TRY"),
    )

    assert order(result) == ["plain", "long", "huge"]  # same points and wait: cheapest first
    estimates = {r.clinic_id: r.price.high for r in result.ranked if r.price is not None}
    assert estimates == {
        "plain": Decimal("4000.00"),
        "long": (long_price * 32).quantize(Decimal("0.01")),  # 1 USD = 32 TRY
        "huge": Decimal("400000000000000000.00"),
    }


def test_the_estimate_sums_the_required_services() -> None:
    need = Need(required=(frozenset({"sbrt"}), frozenset({"embolisation"})))
    result = rank(
        need,
        [
            clinic(
                "a",
                offer("sbrt", 10_000, high=12_000),
                offer("embolisation", 2_500, currency="USD"),
            )
        ],
    )

    estimate = result.ranked[0].price
    assert estimate is not None
    assert (estimate.low, estimate.high) == (Decimal("12000.00"), Decimal("14000.00"))


def test_language_points_favour_the_patients_first_language() -> None:
    preferences = Preferences(languages=("ru", "en"))
    result = rank(
        SBRT,
        [
            clinic("de", offer("sbrt"), languages=("de",)),
            clinic("en", offer("sbrt"), languages=("de", "en")),
            clinic("ru", offer("sbrt"), languages=("ru",)),
        ],
        preferences,
    )

    assert order(result) == ["ru", "en", "de"]
    assert [points(result, c)["language"] for c in order(result)] == [15, 10, 0]
    assert reason(result, "en", "language") == "staff speak en, one of your languages"
    assert reason(result, "de", "language") == (
        "staff speak none of your languages (ru, en): an interpreter is needed"
    )


def test_optional_services_add_points_in_proportion() -> None:
    need = Need(required=(frozenset({"sbrt"}),), optional=frozenset({"mri", "pet_ct", "ct"}))
    result = rank(
        need,
        [
            clinic("none", offer("sbrt")),
            clinic("two", offer("sbrt"), offer("mri"), offer("pet_ct")),
            clinic("all", offer("sbrt"), offer("mri"), offer("pet_ct"), offer("ct")),
        ],
    )

    assert order(result) == ["all", "two", "none"]
    assert [points(result, c)["optional_services"] for c in order(result)] == [15, 10, 0]
    assert reason(result, "two", "optional_services") == (
        "offers 2 of 3 optional services: MRI, PET-CT"
    )


def test_waiting_counts_from_the_patients_earliest_date() -> None:
    preferences = Preferences(earliest_date=TODAY + timedelta(days=10))
    result = rank(
        SBRT,
        [
            clinic("soon", offer("sbrt", wait=5)),
            clinic("later", offer("sbrt", wait=15)),
            clinic("unknown", offer("sbrt", wait=None)),
        ],
        preferences,
    )

    assert order(result) == ["soon", "later", "unknown"]
    soon, later, unknown = result.ranked
    assert (points(result, "soon")["waiting"], soon.start_date) == (35, date(2026, 6, 11))
    assert (points(result, "later")["waiting"], later.start_date) == (30, date(2026, 6, 16))
    assert reason(result, "later", "waiting") == (
        "published wait 15 days: starts 16 Jun 2026, 5 days after your earliest date"
    )
    assert (points(result, "unknown")["waiting"], unknown.wait_days) == (0, None)
    assert unknown.flags == (
        Note(
            "waiting_not_published",
            "waiting time not published for Stereotactic radiosurgery / SBRT",
        ),
    )


def test_the_longest_required_wait_is_the_clinics_wait() -> None:
    need = Need(required=(frozenset({"sbrt"}), frozenset({"embolisation"})))
    result = rank(need, [clinic("a", offer("sbrt", wait=4), offer("embolisation", wait=9))])

    assert result.ranked[0].wait_days == 9
    assert points(result, "a")["waiting"] == 26


def test_preferred_countries_are_a_criterion_unless_strict() -> None:
    clinics = [clinic("de", offer("sbrt"), country="DE"), clinic("tr", offer("sbrt"), country="TR")]

    loose = rank(SBRT, clinics, Preferences(countries=("TR",)))
    assert order(loose) == ["tr", "de"]
    assert [points(loose, c)["country"] for c in order(loose)] == [10, 0]

    strict = rank(SBRT, clinics, Preferences(countries=("TR",), countries_strict=True))
    assert order(strict) == ["tr"]
    assert strict.excluded[0].reasons == (
        Note("country_not_preferred", "not in preferred countries (TR)"),
    )


def test_ties_are_broken_by_wait_then_price_then_name_then_id() -> None:
    # From 30 days ahead every wait below scores the full 35 points, and without a budget no
    # price scores: all five clinics tie on points.
    preferences = Preferences(earliest_date=TODAY + timedelta(days=30))
    result = rank(
        SBRT,
        [
            clinic("b2", offer("sbrt", 9_000, wait=20), name="Alpha"),
            clinic("b1", offer("sbrt", 9_000, wait=20), name="alpha"),
            clinic("cheap", offer("sbrt", 8_000, wait=20), name="Zeta"),
            clinic("quick", offer("sbrt", 9_500, wait=10), name="Omega"),
            clinic("unpriced", offer("sbrt", None, wait=20), name="Aardvark"),
        ],
        preferences,
    )

    assert {r.total for r in result.ranked} == {35}
    assert order(result) == ["quick", "cheap", "b1", "b2", "unpriced"]
    assert [r.rank for r in result.ranked] == [1, 2, 3, 4, 5]


def test_a_prepared_directory_ranks_like_a_plain_list() -> None:
    clinics = [clinic(c, offer("sbrt", wait=w)) for c, w in [("a", 9), ("b", 3), ("c", 40)]]
    directory = prepare_clinics(clinics)

    assert len(directory) == 3
    assert rank(SBRT, clinics) == rank_clinics(
        SBRT, Preferences(), directory, rates=RATES, today=TODAY
    )
    assert order(rank(SBRT, clinics)) == ["b", "a", "c"]
    assert points(rank(SBRT, clinics), "c")["waiting"] == 0  # 40 days: no waiting points left


def test_a_clinic_id_may_appear_only_once() -> None:
    with pytest.raises(ValueError, match="appears twice"):
        prepare_clinics([clinic("a", offer("sbrt")), clinic("a", offer("mri"))])


def test_a_worked_example_from_needs_to_reasons() -> None:
    need = Need.from_therapies(["sbrt", "vertebral_augmentation"], optional=["mri", "pet_ct"])
    preferences = Preferences(
        countries=("DE", "TR"),
        languages=("ru", "en"),
        budget=Money(Decimal(30_000), "EUR"),
        earliest_date=date(2026, 6, 15),
    )
    clinics = [
        clinic(
            "berlin",
            offer("sbrt", 18_000, high=22_000, wait=21, detail="CyberKnife S7"),
            offer("kyphoplasty", 6_000, wait=10),
            offer("mri"),
            name="Spine Centre Berlin",
            country="DE",
            languages=("de", "en", "ru"),
        ),
        clinic(
            "istanbul",
            offer("sbrt", 400_000, high=600_000, currency="TRY", wait=7),
            offer("vertebroplasty", 120_000, currency="TRY", wait=7),
            offer("mri"),
            offer("pet_ct"),
            name="Bosphorus Oncology",
            country="TR",
            languages=("tr", "en"),
        ),
        clinic(
            "seoul",
            offer("sbrt", 15_000, currency="USD", wait=30),
            name="Han River Cancer Hospital",
            country="KR",
            languages=("ko", "en"),
        ),
    ]
    result = rank_clinics(need, preferences, clinics, rates=RATES, today=TODAY)

    assert order(result) == ["istanbul", "berlin"]
    istanbul, berlin = result.ranked
    # Istanbul: 10,000–15,000 + 3,000 EUR; starts on the earliest date; en; MRI and PET-CT; TR.
    assert points(result, "istanbul") == {
        "waiting": 35,
        "price": 25,
        "language": 10,
        "optional_services": 15,
        "country": 10,
    }
    assert istanbul.total == 95
    assert istanbul.price == PriceEstimate(
        Decimal("13000.00"),
        Decimal("18000.00"),
        "EUR",
        (RateUsed("TRY", "EUR", Decimal("0.025"), date(2026, 5, 29)),),
    )
    # Berlin: SBRT waits 21 days, 7 past 15 June; 24,000–28,000 EUR; ru; MRI only; DE.
    assert points(result, "berlin") == {
        "waiting": 28,
        "price": 25,
        "language": 15,
        "optional_services": 7,
        "country": 10,
    }
    assert berlin.total == 85
    assert berlin.start_date == date(2026, 6, 22)
    assert [(o.service, o.detail) for o in berlin.offerings] == [
        ("kyphoplasty", ""),
        ("sbrt", "CyberKnife S7"),
    ]
    assert result.excluded == (
        Exclusion(
            "seoul",
            "Han River Cancer Hospital",
            (Note("missing_service", "does not offer Vertebroplasty or Balloon kyphoplasty"),),
        ),
    )
    assert result.policy_version == "matching-1"
