"""Matching through the platform: models → core → ranked and excluded, with reasons."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from oncoroute.clinics import selectors
from oncoroute.clinics.models import Clinic
from oncoroute.clinics.selectors import MatchRequest, case_clinic_matches
from oncoroute.triage.selectors import latest_triage
from tests.clinics import builders as b

pytestmark = pytest.mark.django_db


def match(case: Any, **request: Any) -> Any:
    request.setdefault("currency", "EUR")
    return case_clinic_matches(case=case, request=MatchRequest(**request), today=b.TODAY)


def test_triage_eligible_therapies_become_the_required_services(
    directory: dict[str, Clinic], russian_case: Any
) -> None:
    b.triaged(russian_case, ["sbrt", "vertebral_augmentation"])
    snapshot = latest_triage(case=russian_case)
    therapies = tuple(t for t, _ in selectors.triage_therapies(snapshot=snapshot))
    need = MatchRequest(therapies=therapies).need()
    assert need.required == (frozenset({"vertebroplasty", "kyphoplasty"}), frozenset({"sbrt"}))


def test_the_directory_ranks_with_points_and_reasons_per_criterion(
    directory: dict[str, Clinic], russian_case: Any
) -> None:
    result = match(
        russian_case, therapies=("sbrt", "vertebral_augmentation"), budget=Decimal(20_000)
    )

    assert [r.clinic_id for r in result.ranked] == ["alpha", "bravo"]
    alpha, bravo = result.ranked
    # alpha: waits 5 days (30), 15,000 EUR within budget (25), speaks ru (15), not in TR (0).
    assert [(c.criterion, c.points) for c in alpha.criteria] == [
        ("waiting", 30),
        ("price", 25),
        ("language", 15),
        ("optional_services", 0),
        ("country", 0),
    ]
    assert alpha.total == 70
    assert alpha.criteria[0].reason == (
        "published wait 5 days: starts 6 Jun 2026, 5 days after today"
    )
    # bravo: waits 20 days (15), 18,000 USD = 14,400 EUR within budget (25), en only (10), TR (10).
    assert bravo.total == 60
    assert bravo.price is not None
    assert (bravo.price.low, bravo.price.high, bravo.price.currency) == (
        Decimal("14400.00"),
        Decimal("14400.00"),
        "EUR",
    )
    assert [(r.source, r.target, r.rate, r.as_of) for r in bravo.price.rates] == [
        ("USD", "EUR", Decimal("0.8"), b.RATES_DAY)
    ]
    assert bravo.criteria[2].reason == "staff speak en, one of your languages"
    assert bravo.criteria[4].reason == "in TR, a preferred country"


def test_an_expired_accreditation_excludes_the_clinic_with_its_reason(
    directory: dict[str, Clinic], russian_case: Any
) -> None:
    result = match(russian_case, therapies=("sbrt", "vertebral_augmentation"))

    excluded = {e.clinic_id: [(n.code, n.message) for n in e.reasons] for e in result.excluded}
    assert excluded == {
        "charlie": [("accreditation_expired", "accreditation JCI expired on 1 Mar 2026")],
        "delta": [
            ("missing_service", "does not offer Vertebroplasty or Balloon kyphoplasty"),
        ],
    }


def test_an_expired_credential_beside_a_valid_one_is_a_flag(
    directory: dict[str, Clinic], russian_case: Any
) -> None:
    b.credential(
        directory["alpha"], "ESMO", verified_on=b.date(2020, 1, 1), expires_on=b.date(2025, 1, 1)
    )
    result = match(russian_case, required_services=("sbrt",))
    alpha = next(r for r in result.ranked if r.clinic_id == "alpha")
    assert [n.message for n in alpha.flags] == ["accreditation ESMO expired on 1 Jan 2025"]


def test_without_triage_the_ticked_services_are_required(
    directory: dict[str, Clinic], russian_case: Any
) -> None:
    result = match(russian_case, required_services=("sbrt",), optional_services=("kyphoplasty",))
    # delta qualifies now; bravo's kyphoplasty earns the optional points, TR the country's.
    assert [(r.clinic_id, r.total) for r in result.ranked] == [
        ("bravo", 50),
        ("alpha", 45),
        ("delta", 43),
    ]
    assert [e.clinic_id for e in result.excluded] == ["charlie"]


def test_a_price_past_its_valid_until_date_is_not_used(
    directory: dict[str, Clinic], russian_case: Any
) -> None:
    directory["alpha"].offerings.filter(service="sbrt").update(
        price_valid_until=b.date(2026, 5, 31)
    )
    result = match(russian_case, required_services=("sbrt",), budget=Decimal(20_000))
    alpha = next(r for r in result.ranked if r.clinic_id == "alpha")
    assert alpha.price is None
    assert [n.code for n in alpha.flags] == ["price_not_published"]


def test_the_commercial_relationship_never_reaches_matching(
    directory: dict[str, Clinic], russian_case: Any
) -> None:
    before = match(russian_case, required_services=("sbrt",))
    Clinic.objects.filter(slug="delta").update(
        commercial_relationship="Pays 50 % of every invoice to oncoroute"
    )
    core = selectors.directory_for_matching(today=b.TODAY)
    assert all("invoice" not in repr(clinic) for clinic in core)
    assert match(russian_case, required_services=("sbrt",)) == before


def test_the_patients_language_and_currency_come_from_the_case(russian_case: Any) -> None:
    preferences = selectors.case_preferences(case=russian_case, request=MatchRequest())
    assert preferences.languages == ("ru", "en")
    assert preferences.countries == ("TR",)
    assert preferences.currency == "KZT"
