"""Whatever a stranger sends to a public form or filter, the answer is never a server error."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from oncoroute.cases.forms import RequestForm

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# All of Unicode (NUL, surrogates' neighbours, right-to-left marks) but what HTTP cannot carry.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
VALUE = TEXT | st.lists(TEXT, max_size=3)
REQUEST_FIELDS = list(RequestForm.base_fields)


def valid_request() -> dict[str, Any]:
    return {
        "submission_token": str(uuid.uuid4()),
        "full_name": "Fuzz Patient",
        "email": "fuzz@example.com",
        "country": "KZ",
        "language": "en",
        "writer_role": "patient",
        "primary_cancer": "breast",
        "spine_regions": ["thoracic"],
        "wants": ["online_consultation"],
        "consent": "on",
    }


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(REQUEST_FIELDS), VALUE, max_size=8))
def test_the_request_form_never_fails_with_a_server_error(
    client: Client, fields: dict[str, Any]
) -> None:
    response = client.post(reverse("landing"), {**valid_request(), **fields})
    assert response.status_code in {200, 302, 422}


def _accepted_by_the_email_field(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return len(address) <= 254


@override_settings(REQUEST_RATE_LIMIT_PER_HOUR=10_000)
@FUZZ
@given(
    email=st.emails(domains=st.sampled_from(["example.com", "[127.0.0.1]", "xn--80ak6aa92e.com"]))
)
def test_every_address_the_email_field_accepts_makes_a_request(client: Client, email: str) -> None:
    assume(_accepted_by_the_email_field(email))
    response = client.post(reverse("landing"), {**valid_request(), "email": email})
    assert response.status_code == 302


@FUZZ
@given(fields=st.dictionaries(TEXT, VALUE, max_size=6))
def test_the_request_form_never_fails_on_unknown_fields(
    client: Client, fields: dict[str, Any]
) -> None:
    response = client.post(reverse("landing"), fields)
    assert response.status_code in {200, 302, 422}


@FUZZ
@given(country=TEXT, service=TEXT, extra=st.dictionaries(TEXT, TEXT, max_size=3))
def test_the_public_clinic_directory_filters_never_fail(
    client: Client, country: str, service: str, extra: dict[str, str]
) -> None:
    params = {**extra, "country": country, "service": service}
    page = client.get(reverse("clinic_directory"), params)
    assert page.status_code == 200
    api = client.get(reverse("api:clinic_directory"), params)
    assert api.status_code in {200, 422}
