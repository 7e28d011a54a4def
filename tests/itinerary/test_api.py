"""POST /api/itinerary: coordinators only; the §3 object, or a 422 naming every bad field."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client

from .builders import WORKED_EXAMPLE, worked_dict

pytestmark = pytest.mark.django_db
URL = "/api/itinerary"


def post(client: Client, body: object) -> Any:
    return client.post(URL, json.dumps(body), content_type="application/json")


@pytest.fixture
def coordinator_client(client: Client, coordinator: Any) -> Client:
    client.force_login(coordinator)
    return client


def test_a_coordinator_gets_the_planners_object(coordinator_client: Client) -> None:
    response = post(coordinator_client, WORKED_EXAMPLE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == worked_dict(WORKED_EXAMPLE)


@pytest.mark.parametrize("persona", ["patient", "other_patient", "clinic_doctor"])
def test_no_one_but_a_coordinator_may_plan(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert post(client, WORKED_EXAMPLE).status_code == 401


def test_an_anonymous_caller_gets_401_not_a_redirect(client: Client) -> None:
    assert post(client, WORKED_EXAMPLE).status_code == 401


def test_bad_input_gets_a_422_naming_every_field_as_the_cli_does(
    coordinator_client: Client,
) -> None:
    bad = copy.deepcopy(WORKED_EXAMPLE)
    bad["items"][2]["sessions"] = True
    bad["clinic"]["closed_dates"] = ["2027-02-30"]
    bad["surprise"] = 1
    response = post(coordinator_client, bad)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert sorted(entry["field"] for entry in detail) == [
        "clinic.closed_dates[0]",
        "items[2].sessions",
        "surprise",
    ]
    assert all(entry["message"] for entry in detail)


def test_a_plan_past_the_year_9999_is_a_422_on_the_whole_input(
    coordinator_client: Client,
) -> None:
    response = post(coordinator_client, {**WORKED_EXAMPLE, "earliest_arrival": "9999-12-31"})
    assert response.status_code == 422
    assert [entry["field"] for entry in response.json()["detail"]] == ["$"]


@pytest.mark.parametrize("body", ["{", '{"items": NaN}', "plan", "[" * 100_000])
def test_a_body_that_is_not_json_is_a_422_on_the_whole_input(
    coordinator_client: Client, body: str
) -> None:
    response = coordinator_client.post(URL, body, content_type="application/json")
    assert response.status_code == 422
    assert [entry["field"] for entry in response.json()["detail"]] == ["$"]


def test_the_schema_documents_the_request_as_the_cores_model(coordinator_client: Client) -> None:
    document = coordinator_client.get("/api/openapi.json").json()
    operation = document["paths"][URL]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["required"]) == {
        "earliest_arrival",
        "clinic",
        "journey",
        "stay",
        "currency",
        "items",
    }
    assert "$ref" not in json.dumps(body)
    assert body["properties"]["items"]["items"]["properties"]["service"]["enum"][0] == (
        "spine_decompression"
    )
    assert {"200", "401", "422"} <= set(operation["responses"])
