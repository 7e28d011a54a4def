"""Whatever numbers and lists a caller sends to the JSON API — Infinity, NaN, numbers past a
float's range, hundreds of digits, lists of twenty thousand items — the answer is 200 or 422 in
standard JSON, small and quick; never a server error."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncoroute.clinical import Findings, Labs
from tests.clinics import builders as b
from tests.factories import submitted_case

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
QUICK_SECONDS = 3.0  # the unbounded lists of the past took 18 s
SMALL_BYTES = 200_000  # a whole report is a few kilobytes; the unbounded one was 203 MB

# Number literals as JSON text, so that what json.dumps never writes reaches the server too.
JSON_NUMBER = r"-?(0|[1-9][0-9]{0,399})(\.[0-9]{1,40})?([eE][-+]?[0-9]{1,12})?"
BEYOND = st.sampled_from(["Infinity", "-Infinity", "NaN", "1e309", "-1e309", "1e999999999"])
NUMBER = st.one_of(
    BEYOND,
    st.from_regex(JSON_NUMBER, fullmatch=True),
    st.floats(allow_nan=True, allow_infinity=True).map(json.dumps),
    st.integers(-(10**40), 10**40).map(str),
)
HUGE = st.sampled_from([31, 1_000, 20_000])  # three such lists stay under the 2.5 MB body limit
OVERSIZED_LIST = st.one_of(
    st.builds(lambda n: json.dumps(["T7"] * n), HUGE),
    st.builds(lambda n: json.dumps([{"levels": ["T7"]}] * n), HUGE),
    st.builds(lambda n: json.dumps(["limb_weakness"] * n), HUGE),
    st.builds(lambda n: json.dumps([1e308] * n), HUGE),
    st.builds(lambda n: json.dumps([{"levels": ["T7"] * n}]), HUGE),
)
LABS = st.dictionaries(st.sampled_from(list(Labs.model_fields)), NUMBER, max_size=4).map(
    lambda labs: "{" + ", ".join(f'"{name}": {value}' for name, value in labs.items()) + "}"
)
FRAGMENT = NUMBER | OVERSIZED_LIST | LABS


def standard_json(content: bytes) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"not JSON: {constant}")

    return json.loads(content, parse_constant=refuse)


def timed(call: Any) -> Any:
    started = time.perf_counter()
    response = call()
    assert time.perf_counter() - started < QUICK_SECONDS
    assert len(response.content) < SMALL_BYTES
    return response


@pytest.fixture
def coordinator_client(coordinator: Any) -> Client:
    client = Client()
    client.force_login(coordinator)
    return client


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(list(Findings.model_fields)), FRAGMENT, max_size=3))
def test_triage_answers_hostile_numbers_and_lists_in_standard_json(
    coordinator_client: Client, fields: dict[str, str]
) -> None:
    body = "{" + ", ".join(f'"{name}": {value}' for name, value in fields.items()) + "}"
    response = timed(
        lambda: coordinator_client.post("/api/triage", body, content_type="application/json")
    )
    assert response.status_code in {200, 422}
    standard_json(response.content)


@pytest.fixture
def matches_url(db: None) -> str:
    b.rates()
    clinic = b.clinic("alpha", languages=("en", "ru"))
    b.offering(clinic, "sbrt", 10_000, high=12_000)
    b.offering(clinic, "mri", 900, currency="USD")
    case = submitted_case(language="ru", country="KZ", email="ru@test.example")
    return f"/api/cases/{case.reference}/clinic-matches"


IDS = st.sampled_from(["sbrt", "mri", "cebrt", "x" * 5_000])
ID_LISTS = st.builds(lambda ids, n: ids * n, st.lists(IDS, min_size=1, max_size=3), HUGE).map(
    lambda ids: ids[:300]  # three lists: Django refuses more than 1,000 fields with a 400
)


@FUZZ
@given(
    budget=BEYOND | NUMBER,
    currency=st.sampled_from(["EUR", "USD", "TRY", "KZT"]),
    lists=st.dictionaries(st.sampled_from(["therapies", "services", "optional"]), ID_LISTS),
)
def test_clinic_matches_answer_hostile_budgets_and_lists_in_standard_json(
    coordinator_client: Client,
    matches_url: str,
    budget: str,
    currency: str,
    lists: dict[str, list[str]],
) -> None:
    query = {"budget": budget, "currency": currency, "services": ["sbrt"], **lists}
    response = timed(lambda: coordinator_client.get(matches_url, query))
    assert response.status_code in {200, 422}
    standard_json(response.content)
