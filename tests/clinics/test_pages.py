"""Public directory pages open to anyone; coordinator pages closed to everyone else."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from oncoroute.clinics.models import Clinic
from oncoroute.matching import RANKING_POLICY
from tests.clinics import builders as b
from tests.query_count import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(db: None) -> Clinic:
    """One clinic with a published SBRT price, an unpublished MRI price and an outdated PET-CT
    price."""
    b.rates()
    clinic = b.clinic("harbour", name="Harbour Hospital", country="TR", languages=("tr", "ru"))
    b.offering(clinic, "sbrt", 12_345, high=15_432, currency="USD", detail="CyberKnife")
    b.offering(clinic, "mri", None, wait=None)
    b.offering(
        clinic,
        "pet_ct",
        77_777,
        tracers=["FDG"],
        price_valid_until=timezone.localdate() - timedelta(days=1),
    )
    return clinic


def test_anyone_can_read_the_directory_with_the_policy_and_the_disclosure(
    client: Client, listed: Clinic
) -> None:
    response = client.get("/clinics/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Harbour Hospital" in page
    assert "No clinic can pay to rank higher" in page
    assert RANKING_POLICY.splitlines()[0] in page
    assert b.FEE in page


def test_the_directory_filters_by_country_and_service(client: Client, listed: Clinic) -> None:
    other = b.clinic("quay", name="Quay Clinic", country="ES")
    b.offering(other, "cebrt", 3_000)
    assert list(client.get("/clinics/", {"country": "ES"}).context["clinics"]) == [other]
    assert list(client.get("/clinics/", {"service": "sbrt"}).context["clinics"]) == [listed]


def test_a_clinic_page_shows_only_published_current_prices(client: Client, listed: Clinic) -> None:
    response = client.get("/clinics/harbour/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "12,345–15,432 USD" in page
    assert "77,777" not in page
    assert "Price expired" in page
    assert "Not published" in page
    assert "CyberKnife" in page
    assert "Registry desk (A. Kovacs)" in page


def test_an_expired_accreditation_says_it_no_longer_counts(client: Client, listed: Clinic) -> None:
    b.credential(listed, "ESMO", verified_on=b.date(2020, 1, 1), expires_on=b.date(2024, 1, 1))
    page = client.get("/clinics/harbour/").content.decode()
    assert "no longer counts in matching" in page


def test_an_unpublished_clinic_is_not_shown(client: Client, listed: Clinic) -> None:
    Clinic.objects.filter(pk=listed.pk).update(published=False)
    assert client.get("/clinics/harbour/").status_code == 404
    assert "Harbour Hospital" not in client.get("/clinics/").content.decode()


def test_the_directory_page_runs_the_same_queries_however_many_clinics(
    client: Client, listed: Clinic
) -> None:
    with count_queries() as few:
        client.get("/clinics/")
    for n in range(5):
        clinic = b.clinic(f"more-{n}")
        b.offering(clinic, "sbrt", 1_000)
    with count_queries() as many:
        client.get("/clinics/")
    assert many.count == few.count


COORDINATOR_URLS = [
    ("get", "/coordinator/cases/{ref}/clinics/"),
    ("get", "/coordinator/cases/{ref}/clinics/compare/?clinic=harbour"),
    ("post", "/coordinator/cases/{ref}/clinics/shortlist/"),
]


@pytest.mark.parametrize(("method", "url"), COORDINATOR_URLS)
def test_coordinator_pages_redirect_anonymous_visitors_to_sign_in(
    client: Client, patient_case: Any, method: str, url: str
) -> None:
    response = getattr(client, method)(url.format(ref=patient_case.reference))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["patient", "clinic_doctor"])
@pytest.mark.parametrize(("method", "url"), COORDINATOR_URLS)
def test_coordinator_pages_are_forbidden_to_patients_and_clinic_doctors(
    client: Client, request: Any, patient_case: Any, persona: str, method: str, url: str
) -> None:
    client.force_login(request.getfixturevalue(persona))
    response = getattr(client, method)(url.format(ref=patient_case.reference), {"clinic": "x"})
    assert response.status_code == 403


def test_find_clinics_lists_the_ranked_and_the_excluded_with_reasons(
    client: Client, coordinator: Any, directory: dict[str, Clinic], russian_case: Any
) -> None:
    b.triaged(russian_case, ["sbrt", "vertebral_augmentation"])
    client.force_login(coordinator)
    response = client.get(f"/coordinator/cases/{russian_case.reference}/clinics/")
    assert response.status_code == 200
    result = response.context["result"]
    assert [r.clinic_id for r in result.ranked] == ["alpha", "bravo"]
    page = response.content.decode()
    assert "accreditation JCI expired on 1 Mar 2026" in page
    assert "does not offer Vertebroplasty or Balloon kyphoplasty" in page
    assert "staff speak ru, your first language" in page


def test_without_triage_the_coordinator_ticks_the_services(
    client: Client, coordinator: Any, directory: dict[str, Clinic], russian_case: Any
) -> None:
    client.force_login(coordinator)
    url = f"/coordinator/cases/{russian_case.reference}/clinics/"
    response = client.get(url, {"required": ["sbrt"], "currency": "EUR", "budget": "20000"})
    # delta (SBRT only) qualifies now: waits 2 days (33) + price (25) + en (10) = 68.
    ranked = response.context["result"].ranked
    assert [(r.clinic_id, r.total) for r in ranked] == [("alpha", 70), ("delta", 68), ("bravo", 60)]
    bad = client.get(url, {"required": ["teleportation"], "currency": "EUR"})
    assert bad.status_code == 422


@pytest.mark.parametrize("budget", ["1e999999999", "1e-999999999", "Infinity", "NaN", "-1"])
def test_find_clinics_refuses_a_budget_out_of_bounds(
    client: Client, coordinator: Any, directory: dict[str, Clinic], russian_case: Any, budget: str
) -> None:
    client.force_login(coordinator)
    url = f"/coordinator/cases/{russian_case.reference}/clinics/"
    query = {"required": ["sbrt"], "currency": "EUR", "budget": budget, "clinic": ["alpha"]}
    response = client.get(url, query)
    assert response.status_code == 422
    assert "budget" in response.context["form"].errors
    assert client.get(f"{url}compare/", query).status_code == 200


def test_compare_shows_prices_converted_with_the_rate_and_its_date(
    client: Client, coordinator: Any, directory: dict[str, Clinic], russian_case: Any
) -> None:
    client.force_login(coordinator)
    response = client.get(
        f"/coordinator/cases/{russian_case.reference}/clinics/compare/",
        {"clinic": ["bravo", "alpha"], "required": ["sbrt"], "currency": "EUR"},
    )
    assert [c.slug for c in response.context["clinics"]] == ["bravo", "alpha"]
    page = response.content.decode()
    assert "≈ 9,600–9,600 EUR" in page
    assert "1 USD = 0.8 EUR, 29 May 2026" in page


def test_compare_refuses_more_than_five(
    client: Client, coordinator: Any, directory: dict[str, Clinic], russian_case: Any
) -> None:
    client.force_login(coordinator)
    response = client.get(
        f"/coordinator/cases/{russian_case.reference}/clinics/compare/",
        {"clinic": ["a", "b", "c", "d", "e", "f"]},
    )
    assert response.status_code == 302
