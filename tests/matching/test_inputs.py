"""The vocabulary, the input checks, and the published policy text."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal

import pytest
from pydantic import TypeAdapter

from oncoroute.clinical.constants import THERAPY_IDS
from oncoroute.matching import (
    RANKING_POLICY,
    SERVICE_GROUPS,
    SERVICES,
    THERAPY_TO_SERVICES,
    Clinic,
    ExchangeRates,
    MatchResult,
    Money,
    Need,
    Offering,
    Preferences,
    policy,
    rank_clinics,
)

from .builders import RATES, TODAY, clinic, offer


def test_every_clinical_therapy_maps_to_known_services() -> None:
    assert set(THERAPY_TO_SERVICES) == set(THERAPY_IDS)
    assert all(services <= set(SERVICES) for services in THERAPY_TO_SERVICES.values())
    assert THERAPY_TO_SERVICES["vertebral_augmentation"] == {"vertebroplasty", "kyphoplasty"}


def test_every_service_sits_in_exactly_one_group() -> None:
    grouped = [service for _, members in SERVICE_GROUPS for service in members]
    assert sorted(grouped) == sorted(SERVICES)


def test_a_need_from_therapies_is_deduplicated_and_order_free() -> None:
    one = Need.from_therapies(["sbrt", "vertebral_augmentation", "sbrt"], optional=["mri"])
    two = Need.from_therapies(["vertebral_augmentation", "sbrt"], optional=["mri"])

    assert one == two
    assert one.required == (frozenset({"vertebroplasty", "kyphoplasty"}), frozenset({"sbrt"}))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Need(required=(frozenset({"proton_magic"}),)), "unknown service"),
        (lambda: Need(required=(frozenset(),)), "at least one service"),
        (lambda: Need.from_therapies(["homeopathy"]), "unknown therapy"),
        (lambda: Offering("sbrt", price_min=Decimal(5)), "needs a currency"),
        (lambda: Offering("sbrt", currency="EUR"), "needs a price"),
        (
            lambda: Offering("sbrt", Decimal(9), Decimal(5), "EUR"),
            "price_max is below price_min",
        ),
        (lambda: Offering("mri", tracers=frozenset({"PSMA"})), "only a PET-CT"),
        (lambda: Offering("pet_ct", tracers=frozenset({"glitter"})), "unknown PET tracer"),
        (lambda: Offering("sbrt", waiting_days=-1), "waiting_days"),
        (lambda: clinic("a", offer("sbrt"), offer("sbrt")), "one offering per service"),
        (lambda: clinic("a", country="Germany"), "ISO 3166"),
        (lambda: Preferences(languages=("Russian",)), "ISO 639-1"),
        (lambda: Money(Decimal(5), "euro"), "ISO 4217"),
        (lambda: Preferences(budget=Money(Decimal(5), "EUR"), currency="USD"), "budget is in"),
        (lambda: ExchangeRates("EUR", {"USD": Decimal(0)}, date(2026, 5, 1)), "cannot be zero"),
    ],
)
def test_bad_input_fails_with_a_clear_message(build: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]


def test_money_refuses_floats() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        Money(1999.99, "EUR")  # type: ignore[arg-type]


def test_pet_ct_offerings_carry_their_tracers() -> None:
    pet = Offering("pet_ct", Decimal(1200), None, "EUR", 5, tracers=frozenset({"PSMA", "FDG"}))
    assert pet.tracers == {"PSMA", "FDG"}
    assert pet.price_max == Decimal(1200)


def test_nothing_a_clinic_pays_is_an_input() -> None:
    # If a field is ever added here, the policy's promise must be checked again.
    assert [f.name for f in dataclasses.fields(Clinic)] == [
        "id",
        "name",
        "country",
        "languages",
        "accreditations",
        "offerings",
    ]
    assert "No clinic can pay to rank higher" in RANKING_POLICY


def test_the_policy_text_states_the_weights_in_force() -> None:
    text = " ".join(RANKING_POLICY.split())
    for phrase in [
        f"Waiting time, up to {policy.WAITING_MAX}",
        f"{policy.WAITING_MAX} points if every required service",
        "minus 1 point for each day",
        f"Price against budget, up to {policy.PRICE_MAX}",
        f"{policy.PRICE_PARTLY} if only the lower estimate",
        f"Language, up to {policy.LANGUAGE_FIRST}",
        f"{policy.LANGUAGE_OTHER} if they speak another language",
        f"Optional services, up to {policy.OPTIONAL_MAX}",
        f"Country, up to {policy.COUNTRY_MAX}",
        f"points out of {policy.TOTAL_MAX}",
        f"(policy {policy.POLICY_VERSION})",
    ]:
        assert phrase in text
    assert policy.WAITING_MAX == policy.WAITING_DAYS_TO_ZERO  # "1 point per day" holds
    assert policy.__doc__ == RANKING_POLICY
    assert set(re.findall(r"\b(\d+) points?\b", text)) <= {"1", "10", "12", "15", "25", "35", "100"}


def test_results_and_preferences_serialise_with_pydantic() -> None:
    result = rank_clinics(
        Need(required=(frozenset({"sbrt"}),)),
        Preferences(budget=Money(Decimal(20_000), "EUR")),
        [clinic("a", offer("sbrt", 15_000, currency="USD"))],
        rates=RATES,
        today=TODAY,
    )

    dumped = TypeAdapter(MatchResult).dump_python(result.materialized(), mode="json")
    assert dumped["ranked"][0]["price"]["low"] == "12000.00"
    assert dumped["ranked"][0]["criteria"][1]["reason"] == (
        "whole estimate within budget of 20,000 EUR"
    )
    wishes = TypeAdapter(Preferences).validate_python(
        {"countries": ["DE"], "budget": {"amount": "20000", "currency": "EUR"}}
    )
    assert wishes.budget == Money(Decimal(20_000), "EUR")
