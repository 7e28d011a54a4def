"""GET /api/clinics (open to anyone) and GET /api/cases/{reference}/clinic-matches."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from oncoroute.clinics.models import Clinic
from tests.clinics import builders as b

pytestmark = pytest.mark.django_db


def test_anyone_can_list_the_directory(client: Client, directory: dict[str, Clinic]) -> None:
    response = client.get("/api/clinics")
    assert response.status_code == 200
    body = response.json()
    assert [c["slug"] for c in body] == ["alpha", "bravo", "charlie", "delta"]
    assert body[0]["commercial_relationship"] == b.FEE
    assert body[2]["accreditations"][0]["valid_today"] is False


def test_the_directory_filters_by_country_and_service(
    client: Client, directory: dict[str, Clinic]
) -> None:
    assert [c["slug"] for c in client.get("/api/clinics?country=TR").json()] == ["bravo"]
    by_service = client.get("/api/clinics", {"service": "vertebroplasty"}).json()
    assert [c["slug"] for c in by_service] == ["alpha"]


def test_an_unpublished_price_is_null(client: Client, directory: dict[str, Clinic]) -> None:
    b.offering(directory["delta"], "mri", None)
    delta = client.get("/api/clinics?country=IL").json()[0]
    prices = {s["service"]: s["price"] for s in delta["services"]}
    assert prices["mri"] is None
    assert prices["sbrt"]["min"] == "9000.00"


@pytest.mark.parametrize(
    ("query", "field"),
    [("country=tr", "country"), ("country=XX", "country"), ("service=xray", "service")],
)
def test_bad_filters_get_a_422_naming_the_parameter(
    client: Client, directory: dict[str, Clinic], query: str, field: str
) -> None:
    response = client.get(f"/api/clinics?{query}")
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == [field]


def test_matching_a_case_is_for_coordinators_only(
    client: Client, directory: dict[str, Clinic], russian_case: Any, patient: Any
) -> None:
    url = f"/api/cases/{russian_case.reference}/clinic-matches"
    assert client.get(url).status_code == 401
    client.force_login(patient)
    assert client.get(url).status_code == 401


def test_a_coordinator_gets_the_explained_ranking(
    client: Client, directory: dict[str, Clinic], russian_case: Any, coordinator: Any
) -> None:
    b.triaged(russian_case, ["sbrt", "vertebral_augmentation"])
    client.force_login(coordinator)
    response = client.get(
        f"/api/cases/{russian_case.reference}/clinic-matches?currency=EUR&budget=20000"
    )
    assert response.status_code == 200
    body = response.json()
    assert [(r["clinic_id"], r["total"]) for r in body["ranked"]] == [("alpha", 70), ("bravo", 60)]
    assert body["excluded"][0]["reasons"][0]["code"] == "accreditation_expired"
    bad = client.get(f"/api/cases/{russian_case.reference}/clinic-matches?services=xray")
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "services"


@pytest.mark.parametrize(
    ("budget", "words"),
    [
        ("1e999999999", "less than or equal to"),
        ("1000000000000", "less than or equal to"),
        ("1e-999999999", "decimal places"),
        ("-1", "greater than or equal to"),
        ("Infinity", "finite"),
        ("NaN", "finite"),
    ],
)
def test_a_budget_out_of_bounds_gets_a_422_naming_it(
    client: Client, directory: dict[str, Clinic], russian_case: Any, coordinator: Any,
    budget: str, words: str,
) -> None:  # fmt: skip
    client.force_login(coordinator)
    url = f"/api/cases/{russian_case.reference}/clinic-matches"
    response = client.get(url, {"services": "sbrt", "currency": "EUR", "budget": budget})
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["field"] == "budget"
    assert words in detail["message"]


def test_the_largest_budget_is_still_matched(
    client: Client, directory: dict[str, Clinic], russian_case: Any, coordinator: Any
) -> None:
    client.force_login(coordinator)
    url = f"/api/cases/{russian_case.reference}/clinic-matches"
    response = client.get(url, {"services": "sbrt", "currency": "EUR", "budget": "999999999999.99"})
    assert response.status_code == 200
    assert response.json()["ranked"][0]["criteria"][1]["points"] == 25


@pytest.mark.parametrize("name", ["therapies", "services", "optional"])
def test_a_list_longer_than_its_vocabulary_gets_a_422_naming_it(
    client: Client, directory: dict[str, Clinic], russian_case: Any, coordinator: Any, name: str
) -> None:
    client.force_login(coordinator)
    value = "sbrt" if name == "therapies" else "mri"
    url = f"/api/cases/{russian_case.reference}/clinic-matches"
    response = client.get(url, {name: [value] * 200})
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == [name]


def test_an_unknown_service_is_echoed_short(client: Client) -> None:
    response = client.get("/api/clinics", {"service": "x" * 100_000})
    assert response.status_code == 422
    assert len(response.content) < 1000


def test_without_exchange_rates_matching_answers_503_as_documented(
    client: Client, russian_case: Any, coordinator: Any
) -> None:
    client.force_login(coordinator)
    response = client.get(f"/api/cases/{russian_case.reference}/clinic-matches?services=sbrt")

    assert response.status_code == 503
    assert response.json() == {"detail": "No exchange rates are stored; load them first."}
    paths = client.get("/api/openapi.json").json()["paths"]
    documented = paths["/api/cases/{reference}/clinic-matches"]["get"]["responses"]
    assert "detail" in documented["503"]["content"]["application/json"]["schema"]["properties"]


def test_both_endpoints_are_documented(client: Client, coordinator: Any) -> None:
    client.force_login(coordinator)
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/clinics" in paths
    assert "/api/cases/{reference}/clinic-matches" in paths
