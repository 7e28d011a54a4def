"""Session limits: idle staff after 15 minutes, idle patients after 30, anyone after 12 hours;
signing out ends the session on the server. Time travel by back-dating the session's stamps."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from oncoroute.accounts.sessions import IDLE_LIMIT, LAST_SEEN_AT, SIGNED_IN_AT
from tests.signin import sign_in

pytestmark = pytest.mark.django_db
MINUTE = 60


def signed_in(user: Any, password: str) -> Client:
    client = Client()
    assert client.login(username=user.username, password=password)
    return client


def back_date(client: Client, *, idle: float = 0, age: float = 0) -> None:
    session = client.session
    session[LAST_SEEN_AT] -= idle
    session[SIGNED_IN_AT] -= age
    session.save()


def still_signed_in(client: Client, url: str) -> bool:
    response = client.get(url)
    return not (response.status_code == 302 and response["Location"].startswith("/accounts/login"))


def test_signing_in_stamps_the_time_and_the_role_s_idle_limit(
    coordinator: Any, patient: Any, password: str
) -> None:
    staff, person = signed_in(coordinator, password), signed_in(patient, password)
    assert staff.session[IDLE_LIMIT] == 15 * MINUTE
    assert person.session[IDLE_LIMIT] == 30 * MINUTE
    assert abs(staff.session[SIGNED_IN_AT] - time.time()) < 5


def test_a_coordinator_idle_for_16_minutes_is_signed_out(coordinator: Any, password: str) -> None:
    client = signed_in(coordinator, password)
    back_date(client, idle=16 * MINUTE, age=16 * MINUTE)
    assert not still_signed_in(client, reverse("coordinator_queue"))


def test_a_coordinator_idle_for_14_minutes_stays_signed_in(coordinator: Any, password: str) -> None:
    client = signed_in(coordinator, password)
    back_date(client, idle=14 * MINUTE, age=14 * MINUTE)
    assert client.get(reverse("coordinator_queue")).status_code == 200


def test_activity_moves_the_idle_clock(coordinator: Any, password: str) -> None:
    client = signed_in(coordinator, password)
    back_date(client, idle=10 * MINUTE, age=10 * MINUTE)
    assert client.get(reverse("coordinator_queue")).status_code == 200
    assert time.time() - client.session[LAST_SEEN_AT] < 5


def test_a_patient_idle_for_20_minutes_stays_signed_in_and_for_31_does_not(
    patient: Any, password: str
) -> None:
    client = signed_in(patient, password)
    back_date(client, idle=20 * MINUTE, age=20 * MINUTE)
    assert still_signed_in(client, reverse("patient_cases"))
    back_date(client, idle=31 * MINUTE)
    assert not still_signed_in(client, reverse("patient_cases"))


def test_nobody_stays_signed_in_longer_than_12_hours_however_active(
    patient: Any, password: str
) -> None:
    client = signed_in(patient, password)
    back_date(client, age=12 * 3600 + MINUTE)
    assert not still_signed_in(client, reverse("patient_cases"))


def test_an_expired_session_answers_the_api_with_401(coordinator: Any, password: str) -> None:
    client = signed_in(coordinator, password)
    back_date(client, idle=16 * MINUTE)
    response = client.post(reverse("api:triage_findings"), "{}", content_type="application/json")
    assert response.status_code == 401


def test_the_session_cookie_lives_no_longer_than_the_absolute_limit() -> None:
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_signing_out_ends_the_session_on_the_server(coordinator: Any, password: str) -> None:
    client = signed_in(coordinator, password)
    old_key = client.session.session_key
    client.post(reverse("logout"))
    assert not SessionStore().exists(old_key)
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    response = replay.get(reverse("coordinator_queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_in_gives_a_new_session_key(coordinator: Any, password: str) -> None:
    client = Client()
    client.get(reverse("landing"))
    client.session.save()
    before = client.session.session_key
    response = sign_in(client, coordinator, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session.session_key != before


def test_the_signed_in_message_stays_on_the_server(patient: Any, password: str) -> None:
    client = Client()
    response = client.post(reverse("account_login"), {"login": patient.email, "password": password})
    assert response.status_code == 302
    assert "messages" not in response.cookies
    page = client.get(response["Location"], follow=True)
    assert "Successfully signed in" in page.content.decode()


def test_the_signed_in_message_names_the_person_not_the_username(
    patient: Any, password: str
) -> None:
    client = Client()
    response = client.post(reverse("account_login"), {"login": patient.email, "password": password})
    page = client.get(response["Location"], follow=True).content.decode()
    assert patient.username not in page
    assert f"Successfully signed in as {patient.display_name}" in page
