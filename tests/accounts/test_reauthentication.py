"""Changing the sign-in email, or a second factor, asks for the password again first (allauth's
re-authentication, valid for five minutes)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.signin import sign_in

pytestmark = pytest.mark.django_db
NEW_EMAIL = "new-address@example.com"


def change_email(client: Client) -> Any:
    return client.post(reverse("account_email"), {"action_add": "", "email": NEW_EMAIL})


def test_changing_the_email_asks_for_the_password_first(patient: Any) -> None:
    client = Client()
    sign_in(client, patient, PASSWORD)
    response = change_email(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email=NEW_EMAIL).exists()

    wrong = client.post(reverse("account_reauthenticate"), {"password": "not-the-password"})
    assert wrong.status_code == 200
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    change_email(client)
    pending = EmailAddress.objects.get(email=NEW_EMAIL)
    assert pending.user == patient and not pending.verified
    assert mail.outbox[-1].to == [NEW_EMAIL]  # the new address must be confirmed too


def test_the_password_again_counts_for_five_minutes(
    patient: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    sign_in(client, patient, PASSWORD)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 301)
    assert change_email(client)["Location"].startswith(reverse("account_reauthenticate"))


def test_removing_a_second_factor_asks_for_the_password_first(coordinator: Any) -> None:
    client = Client()
    sign_in(client, coordinator, PASSWORD)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
