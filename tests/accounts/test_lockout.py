"""Five wrong passwords for one account from one address lock that pair out for 15 minutes; the
right password works again after the cool-off, and from another address all along. Time travel
moves the clock that allauth's rate limits (and the in-memory cache) read."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
HOME = "203.0.113.10"
ELSEWHERE = "198.51.100.20"


def attempt(user: Any, password: str, *, address: str = HOME) -> Any:
    client = Client(REMOTE_ADDR=address)
    return client.post(reverse("login"), {"login": user.email, "password": password})


def signed_in(response: Any) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("home")


def locked(response: Any) -> bool:
    return response.status_code == 200 and "Too many failed login attempts" in response.text


def fail_five_times(user: Any) -> None:
    for _ in range(5):
        response = attempt(user, "not-the-password")
        assert response.status_code == 200 and not locked(response)


def test_the_sixth_try_is_refused_even_with_the_right_password(patient: Any) -> None:
    fail_five_times(patient)
    assert locked(attempt(patient, PASSWORD))


def test_after_the_cool_off_the_right_password_works_again(
    patient: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_five_times(patient)
    assert locked(attempt(patient, PASSWORD))
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 14 * 60)
    assert locked(attempt(patient, PASSWORD))
    monkeypatch.setattr(time, "time", lambda: now + 15 * 60 + 1)
    assert signed_in(attempt(patient, PASSWORD))


def test_guessing_from_elsewhere_does_not_lock_the_real_person_out(patient: Any) -> None:
    fail_five_times(patient)
    assert signed_in(attempt(patient, PASSWORD, address=ELSEWHERE))


def test_a_right_password_does_not_count_as_a_failure(patient: Any) -> None:
    for _ in range(4):
        attempt(patient, "not-the-password")
    assert signed_in(attempt(patient, PASSWORD))
    assert not locked(attempt(patient, "not-the-password"))


def test_one_address_trying_many_accounts_is_slowed_down(patient: Any, other_patient: Any) -> None:
    emails = [patient.email] * 4 + [other_patient.email] * 4 + ["nobody@example.com"] * 2
    for email in emails:
        Client(REMOTE_ADDR=HOME).post(reverse("login"), {"login": email, "password": "wrong"})
    # Four failures for this account, but ten this minute from this address.
    assert locked(attempt(patient, PASSWORD))
    assert signed_in(attempt(patient, PASSWORD, address=ELSEWHERE))
