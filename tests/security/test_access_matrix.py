"""The URL × persona matrix (access_matrix.py) holds for every URL, with the browser protections
on every answer."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils.http import urlsafe_base64_encode

from .access_matrix import (
    ADMIN,
    ADMIN_ALLOWED_FOR_ADMIN,
    ADMIN_NAMESPACE,
    ANON,
    DOCTOR,
    LOGIN,
    MATRIX,
    OTHER_DOCTOR,
    OTHER_PATIENT,
    PRINCIPALS,
    Outcome,
)
from .conftest import World
from .routes import Route, all_routes

pytestmark = pytest.mark.django_db

ADMIN_ROUTES = [r for r in all_routes() if r.namespace == ADMIN_NAMESPACE and r.name not in MATRIX]


def login_paths() -> set[str]:
    return {resolve_url(settings.LOGIN_URL), reverse("admin:login")}


def outcome(response: HttpResponse) -> Outcome:
    redirect = response.status_code in (301, 302)
    if redirect and urlsplit(response["Location"]).path in login_paths():
        return LOGIN
    return response.status_code


def _admin_object_id(route: Route) -> str:
    match = re.match(r"admin/(\w+)/(\w+)/", route.template)
    if match is None:
        raise LookupError(route.template)
    model = apps.get_model(match.group(1), match.group(2))
    first = model._default_manager.order_by("pk").first()
    return str(first.pk) if first else "0"


def sampler(world: World, admin_user: Any) -> Any:
    samples = {
        "reference": world.case.reference,
        "document_id": str(world.document.pk),
        "study_id": str(world.study.pk),
        "series_id": str(world.series.pk),
        "upload_id": str(world.upload.pk),
        "slug": world.clinic.slug,
        "uidb64": urlsafe_base64_encode(b"0"),
        "token": "not-a-token",
        "uidb36": "0",
        "key": "not-a-key",
        "id": str(admin_user.pk),
        "content_type_id": str(ContentType.objects.get_for_model(world.case).pk),
        "app_label": "cases",
        "url": "nowhere/",
        "consent_id": str(world.case.consents.get(purpose="health_data").pk),
        "referral_id": str(world.referral.pk),
        "opinion_id": str(world.opinion.pk),
        "consultation_id": str(world.referral.consultations.get().pk),
        "message_id": str(world.case.messages.get().pk),
        "trip_id": str(world.trip.pk),
        "item_id": str(world.trip.checklist.first().pk),  # type: ignore[union-attr]
        # No erasure request exists: approving a missing one is a 404 for a coordinator.
        "request_id": "999999",
        "link_id": "999999",
        "home_doctor_token": "never-issued",
        "topic": "warning-signs",
        "page": "0",
        "held_id": "999999",
        "frame": "0",
    }

    def sample(route: Route, parameter: str) -> str:
        if parameter == "object_id" and route.namespace == ADMIN_NAMESPACE:
            if "content_type_id" in route.parameters:
                return str(world.case.pk)
            return _admin_object_id(route)
        if parameter not in samples:
            pytest.fail(f"No sample value for URL parameter {parameter!r} of {route.template}")
        return samples[parameter]

    return sample


def call(client: Client, method: str, path: str, *, api: bool) -> HttpResponse:
    if method == "GET":
        return client.get(path)
    if method == "DELETE":
        return client.delete(path)
    if api:
        return client.generic(method, path, "{}", content_type="application/json")
    return client.generic(method, path, "", content_type="application/x-www-form-urlencoded")


def protection_problems(response: HttpResponse) -> list[str]:
    """The headers every answer carries; an empty list when all are there."""
    problems = []
    csp = response.get("Content-Security-Policy", "")
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        if directive not in csp:
            problems.append(f"CSP lacks {directive}")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append("CSP allows unsafe-inline or unsafe-eval")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    for header, value in expected.items():
        if response.get(header) != value:
            problems.append(f"{header} is {response.get(header)!r}")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append("no Permissions-Policy")
    if "no-store" not in response.get("Cache-Control", ""):
        problems.append("Cache-Control lacks no-store")
    if not response.get("X-Request-ID"):
        problems.append("no X-Request-ID")
    problems.extend(nonce_problems(response, csp))
    return problems


def nonce_problems(response: HttpResponse, csp: str) -> list[str]:
    if "text/html" not in response.get("Content-Type", "") or response.streaming:
        return []
    nonces = set(re.findall(rb'<script[^>]* nonce="([^"]*)"', response.content))
    header = set(re.findall(r"'nonce-([^']+)'", csp))
    if nonces and nonces != {n.encode() for n in header}:
        return [f"script nonces {nonces} differ from the CSP header's {header}"]
    return []


def test_every_url_has_a_row_and_every_row_a_url() -> None:
    routes = all_routes()
    unnamed = [r.template for r in routes if r.name is None and r.namespace != ADMIN_NAMESPACE]
    assert not unnamed, f"name these URL patterns and give them a row: {unnamed}"
    names = {r.name for r in routes if r.name}
    missing = sorted(name for name in names if name not in MATRIX and not name.startswith("admin:"))
    assert not missing, f"URLs with no row in tests/security/access_matrix.py: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_what_the_matrix_says(
    name: str, world: World, admin_user: Any, clients: dict[str, Client]
) -> None:
    (route,) = [r for r in all_routes() if r.name == name]
    path = route.path(sampler(world, admin_user))
    differences, unprotected, leaks = [], [], []
    for method, row in MATRIX[name].items():
        for principal, expected in zip(PRINCIPALS, row, strict=True):
            response = call(clients[principal], method, path, api=name.startswith("api:"))
            if (got := outcome(response)) != expected:
                differences.append(f"{method} {path} as {principal}: {got}, expected {expected}")
            if problems := protection_problems(response):
                unprotected.append(f"{method} {path} as {principal}: {problems}")
            if principal in OUTSIDERS and (found := identity_in(response, world, path)):
                leaks.append(f"{method} {path} as {principal}: {found}")
    assert not differences, "\n".join(differences)
    assert not unprotected, "\n".join(unprotected)
    assert not leaks, "\n".join(leaks)


# Who must never read the patient's identity, whatever they are allowed to open.
OUTSIDERS = (ANON, OTHER_PATIENT, DOCTOR, OTHER_DOCTOR)


def identity_in(response: HttpResponse, world: World, path: str) -> list[str]:
    """The patient's name, email or case reference in the response's body, beyond the path
    the request itself named (a sign-in redirect or a form may echo it)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    text = body.decode(errors="replace").replace(path, "")
    case = world.case
    return [value for value in (case.full_name, case.email, case.reference) if value in text]


def test_only_the_operator_gets_into_django_admin(
    world: World, admin_user: Any, clients: dict[str, Client]
) -> None:
    sample = sampler(world, admin_user)
    differences, unprotected = [], []
    for route in ADMIN_ROUTES:
        path = route.path(sample)
        for principal in PRINCIPALS:
            response = clients[principal].get(path)
            got = outcome(response)
            allowed = got in ADMIN_ALLOWED_FOR_ADMIN if principal == ADMIN else got == LOGIN
            if not allowed:
                differences.append(f"GET {path} as {principal}: {got}")
            if problems := protection_problems(response):
                unprotected.append(f"GET {path} as {principal}: {problems}")
    assert ADMIN_ROUTES
    assert not differences, "\n".join(differences)
    assert not unprotected, "\n".join(unprotected)


def test_the_identity_check_finds_a_name_but_not_the_path_asked_for(world: World) -> None:
    case = world.case
    path = f"/my/cases/{case.reference}/"
    assert identity_in(HttpResponse(f"<p>{case.full_name}</p>"), world, path) == [case.full_name]
    assert identity_in(HttpResponse(f'<form action="{path}">'), world, path) == []
