"""Schemathesis over the OpenAPI schema, in-process against the WSGI application, signed in as
a coordinator: no server error, and only the statuses, content types and bodies it documents."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def coordinator_client(coordinator: Any) -> Client:
    client = Client()
    client.force_login(coordinator)
    return client


@pytest.fixture
def coordinator_cookies(coordinator_client: Client) -> dict[str, str]:
    """The session of a signed-in coordinator, and a CSRF cookie (a session-authenticated POST
    needs its token back in X-CSRFToken)."""
    return {
        settings.SESSION_COOKIE_NAME: coordinator_client.cookies[
            settings.SESSION_COOKIE_NAME
        ].value,
        settings.CSRF_COOKIE_NAME: get_random_string(CSRF_SECRET_LENGTH),
    }


@pytest.fixture
def test_connection_kept(api_schema: Any, coordinator_cookies: dict[str, str]) -> Iterator[None]:
    """Requests through the raw WSGI app would close the test's database connection (Django's
    own test client disconnects the same handler around each request, and reconnects it after:
    so this runs after every use of that client); on PostgreSQL that ends the transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(coordinator_client: Client, patient_case: Any) -> Any:
    # The schema itself is behind the sign-in; werkzeug's client, which from_wsgi uses, drops
    # a Cookie header, so the schema is read through Django's client and the calls go to WSGI.
    document = coordinator_client.get("/api/openapi.json")
    assert document.status_code == 200
    schema = schemathesis.openapi.from_dict(document.json())
    schema.app = get_wsgi_application()
    return schema


# One test walking the operations rather than schemathesis' pytest plugin: its lazy loader
# does not run on pytest 9.
FUZZ = hypothesis_settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def test_the_api_keeps_to_its_schema(
    api_schema: Any, coordinator_cookies: dict[str, str], test_connection_kept: None
) -> None:
    csrf = {"X-CSRFToken": coordinator_cookies[settings.CSRF_COOKIE_NAME]}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/triage", "/api/clinics"}
    for operation in operations:

        @FUZZ
        @given(case=operation.as_strategy())
        def keeps_to_schema(case: Any) -> None:
            case.call_and_validate(cookies=coordinator_cookies, headers=csrf, checks=CHECKS)

        keeps_to_schema()
