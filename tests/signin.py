"""Signing in as a person does: the form at /accounts/login/, then the authenticator code if the
account has one."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.factories import totp_code


def sign_in(client: Client, user: Any, password: str, *, code: str | None = None) -> HttpResponse:
    """Post the sign-in form; answer the second-factor step when it comes. The last answer."""
    response = client.post(reverse("login"), {"login": user.email, "password": password})
    if response.status_code == 302 and response["Location"] == reverse("mfa_authenticate"):
        response = client.post(reverse("mfa_authenticate"), {"code": code or totp_code()})
    return response  # type: ignore[no-any-return]
