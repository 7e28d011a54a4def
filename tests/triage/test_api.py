from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from oncoroute.clinical import LEVELS, SUMMARY_KEYS

pytestmark = pytest.mark.django_db


def post(client: Client, body: dict[str, Any]) -> Any:
    return client.post("/api/triage", body, content_type="application/json")


def test_anonymous_callers_get_401_not_a_redirect(client: Client) -> None:
    assert post(client, {}).status_code == 401


def test_patients_may_not_use_the_triage_api(client: Client, patient: Any) -> None:
    client.force_login(patient)
    assert post(client, {"primary": "breast"}).status_code == 401


def test_a_coordinator_gets_the_whole_report(client: Client, coordinator: Any) -> None:
    client.force_login(coordinator)
    response = post(client, {"primary": "breast", "kps": 80, "red_flags": ["limb_weakness"]})
    assert response.status_code == 200
    report = response.json()
    assert tuple(report["summary"]) == tuple(SUMMARY_KEYS)
    assert report["summary"]["triage"] == "emergency_mscc"
    assert report["summary"]["travel"] == "do_not_travel_seek_local_emergency_care"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kps": 85}, "kps"),
        ({"primary": "spleen"}, "primary"),
        ({"surprise": 1}, "surprise"),
        ({"kps": 80, "ecog": 3}, "kps, ecog"),
        ({"lesions": [{"levels": ["T99"]}]}, "lesions.0.levels.0"),
    ],
)
def test_invalid_findings_get_a_422_naming_the_field(
    client: Client, clinic_doctor: Any, body: dict[str, Any], field: str
) -> None:
    client.force_login(clinic_doctor)
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field


def strict_json(content: bytes) -> Any:
    """The body read as standard JSON, which has no NaN or Infinity."""

    def refuse(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(content, parse_constant=refuse)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"albumin_g_dl": 1e309}', "albumin_g_dl"),
        ('{"albumin_g_dl": Infinity}', "albumin_g_dl"),
        ('{"ki67_percent": NaN}', "ki67_percent"),
        ('{"frankel": "A", "paralysis_hours": -Infinity}', "paralysis_hours"),
        ('{"labs": {"hb_g_dl": 1e999}}', "labs.hb_g_dl"),
    ],
)
def test_non_finite_numbers_get_a_422_in_standard_json(
    client: Client, coordinator: Any, raw: str, field: str
) -> None:
    client.force_login(coordinator)
    response = client.post("/api/triage", raw, content_type="application/json")
    assert response.status_code == 422
    assert strict_json(response.content)["detail"][0]["field"] == field


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lesions": [{"levels": ["T7"]}] * 120_000}, "lesions"),
        ({"levels": ["T7"] * 120_000}, "levels"),
        ({"lesions": [{"levels": ["T7"] * 120_000}]}, "lesions.0.levels"),
        ({"red_flags": ["limb_weakness"] * 120_000}, "red_flags"),
        ({"prior_therapies": ["adt"] * 120_000}, "prior_therapies"),
    ],
)
def test_an_oversized_list_gets_a_short_422_naming_it(
    client: Client, coordinator: Any, body: dict[str, Any], field: str
) -> None:
    client.force_login(coordinator)
    response = post(client, body)
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == [field]
    assert len(response.content) < 1000


def test_one_lesion_per_level_is_still_triaged(client: Client, coordinator: Any) -> None:
    client.force_login(coordinator)
    lesions = [{"levels": [level], "pain": "mechanical"} for level in LEVELS]
    response = post(client, {"lesions": lesions, "levels": list(LEVELS)})
    assert response.status_code == 200


def test_the_endpoint_is_in_the_openapi_schema(client: Client, coordinator: Any) -> None:
    client.force_login(coordinator)
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/triage"]["post"]
    assert "422" in operation["responses"] or operation["requestBody"]
    assert "Findings" in schema["components"]["schemas"]
