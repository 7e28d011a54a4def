"""Properties over random directories: determinism, arithmetic, and the tie-break rule."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from oncoroute.matching import (
    Accreditation,
    Clinic,
    Money,
    Need,
    Offering,
    Preferences,
    RankedClinic,
    rank_clinics,
)
from oncoroute.matching.policy import TOTAL_MAX

from .builders import RATES, TODAY

SERVICES = ["sbrt", "cebrt", "vertebroplasty", "kyphoplasty", "mri", "pet_ct"]
CURRENCIES = ["EUR", "USD", "TRY", "GBP", None]  # GBP has no rate; None is unpublished


@st.composite
def offerings(draw: st.DrawFn) -> tuple[Offering, ...]:
    found = []
    for service in draw(st.sets(st.sampled_from(SERVICES))):
        currency = draw(st.sampled_from(CURRENCIES))
        low = draw(st.integers(0, 50_000))
        found.append(
            Offering(
                service=service,
                price_min=None if currency is None else Decimal(low),
                price_max=None if currency is None else Decimal(low + draw(st.integers(0, 9_000))),
                currency=currency,
                waiting_days=draw(st.none() | st.integers(0, 60)),
            )
        )
    return tuple(found)


@st.composite
def accreditations(draw: st.DrawFn) -> tuple[Accreditation, ...]:
    found = []
    for name in draw(st.sets(st.sampled_from(["JCI", "DKG", "ISO 9001"]))):
        verified = TODAY + timedelta(days=draw(st.integers(-900, 30)))
        expires = verified + timedelta(days=draw(st.integers(0, 1200)))
        found.append(Accreditation(name, "Registry desk", f"{name} register", verified, expires))
    return tuple(found)


@st.composite
def directories(draw: st.DrawFn) -> list[Clinic]:
    count = draw(st.integers(0, 12))
    return [
        Clinic(
            id=f"c{number}",
            # Few names, so that ties on name happen and the id has to settle them.
            name=draw(st.sampled_from(["Alpha", "alpha", "Beta", "Gamma"])),
            country=draw(st.sampled_from(["DE", "TR", "IL"])),
            languages=tuple(draw(st.sets(st.sampled_from(["en", "ru", "de", "tr"])))),
            accreditations=draw(accreditations()),
            offerings=draw(offerings()),
        )
        for number in range(count)
    ]


needs = st.builds(
    Need,
    required=st.lists(
        st.frozensets(st.sampled_from(SERVICES), min_size=1, max_size=2), max_size=2
    ).map(tuple),
    optional=st.frozensets(st.sampled_from(SERVICES)),
)
preferences = st.builds(
    Preferences,
    countries=st.lists(st.sampled_from(["DE", "TR", "IL"]), max_size=2).map(tuple),
    languages=st.lists(st.sampled_from(["en", "ru", "de"]), max_size=2).map(tuple),
    budget=st.none() | st.integers(0, 80_000).map(lambda amount: Money(Decimal(amount), "EUR")),
    earliest_date=st.none() | st.integers(-5, 40).map(lambda days: TODAY + timedelta(days=days)),
    countries_strict=st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(needs, preferences, directories(), st.randoms(use_true_random=False), st.booleans())
def test_the_result_does_not_depend_on_the_input_order(
    need: Need, wishes: Preferences, clinics: list[Clinic], rng: random.Random, strict: bool
) -> None:
    shuffled = list(clinics)
    rng.shuffle(shuffled)

    first = rank_clinics(
        need, wishes, clinics, rates=RATES, today=TODAY, require_accreditation=strict
    )
    again = rank_clinics(
        need, wishes, shuffled, rates=RATES, today=TODAY, require_accreditation=strict
    )

    assert first == again


@settings(max_examples=150, deadline=None)
@given(needs, preferences, directories())
def test_points_add_up_and_the_order_follows_the_stated_rule(
    need: Need, wishes: Preferences, clinics: list[Clinic]
) -> None:
    result = rank_clinics(need, wishes, clinics, rates=RATES, today=TODAY)

    ranked_ids = [r.clinic_id for r in result.ranked]
    excluded_ids = [e.clinic_id for e in result.excluded]
    assert sorted(ranked_ids + excluded_ids) == sorted(c.id for c in clinics)
    assert all(exclusion.reasons for exclusion in result.excluded)

    for ranked in result.ranked:
        assert ranked.total == sum(score.points for score in ranked.criteria)
        assert all(0 <= s.points <= s.max_points for s in ranked.criteria)
        assert all(s.reason for s in ranked.criteria)
        assert sum(s.max_points for s in ranked.criteria) == TOTAL_MAX == 100

    def tie_break(ranked: RankedClinic) -> tuple[int, bool, int, bool, Decimal, str, str]:
        price = ranked.price
        return (
            -ranked.total,
            ranked.wait_days is None,
            ranked.wait_days or 0,
            price is None,
            price.high if price is not None else Decimal(0),
            ranked.clinic_name.casefold(),
            ranked.clinic_id,
        )

    assert list(result.ranked) == sorted(result.ranked, key=tie_break)
    assert [r.rank for r in result.ranked] == list(range(1, len(result.ranked) + 1))
    assert [e.clinic_id for e in result.excluded] == [
        c.id
        for c in sorted(clinics, key=lambda c: (c.name.casefold(), c.id))
        if c.id in excluded_ids
    ]


@settings(max_examples=60, deadline=None)
@given(needs, directories())
def test_a_clinic_meeting_every_filter_is_never_excluded(need: Need, clinics: list[Clinic]) -> None:
    result = rank_clinics(need, Preferences(), clinics, rates=RATES, today=TODAY)
    ranked = {r.clinic_id for r in result.ranked}

    for clinic in clinics:
        offered = {o.service for o in clinic.offerings}
        meets = all(alternatives & offered for alternatives in need.required) and any(
            a.is_valid_on(TODAY) for a in clinic.accreditations
        )
        assert (clinic.id in ranked) == meets


def test_today_is_an_input_not_the_clock() -> None:
    accreditation = Accreditation(
        "JCI", "Registry desk", "JCI list", date(2024, 1, 1), date(2025, 1, 1)
    )
    clinic = Clinic(
        "a",
        "A",
        "DE",
        accreditations=(accreditation,),
        offerings=(Offering("sbrt", waiting_days=3),),
    )
    need = Need(required=(frozenset({"sbrt"}),))

    then = rank_clinics(need, Preferences(), [clinic], rates=RATES, today=date(2024, 6, 1))
    now = rank_clinics(need, Preferences(), [clinic], rates=RATES, today=TODAY)

    assert [r.clinic_id for r in then.ranked] == ["a"]
    assert [e.clinic_id for e in now.excluded] == ["a"]
