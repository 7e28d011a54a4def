"""A second factor is mandatory for coordinators, clinic doctors and admins, and offered to
patients. Staff without one reach only its setup (and signing out) until it is done."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client
from django.urls import reverse

from oncoroute.accounts.roles import Role
from tests.factories import PASSWORD, TOTP_SECRET, person, totp_code
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_coordinator() -> Any:
    """A coordinator on their first day: password and verified email, no authenticator yet."""
    return person(Role.COORDINATOR, "newcomer@oncoroute.example", second_factor=False)


def signed_in(user: Any) -> Client:
    client = Client()
    response = sign_in(client, user, PASSWORD)
    assert response.status_code == 302, response
    return client


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.CLINIC_DOCTOR, Role.ADMIN])
def test_staff_without_a_second_factor_are_sent_to_set_one_up(role: Role) -> None:
    user = person(role, f"{role.value}@oncoroute.example", second_factor=False)
    client = signed_in(user)
    for name in ("home", "coordinator_queue", "clinic_home", "mfa_index", "usersessions_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("mfa_activate_totp"), name
    assert client.get("/api/openapi.json").status_code == 302


def test_staff_without_a_second_factor_may_still_sign_out(new_coordinator: Any) -> None:
    client = signed_in(new_coordinator)
    assert client.get(reverse("logout")).status_code == 200
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_a_coordinator_sets_up_totp_and_then_gets_in(new_coordinator: Any) -> None:
    client = signed_in(new_coordinator)
    setup = reverse("mfa_activate_totp")
    # Adding a second factor asks for the password again first.
    response = client.get(setup)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(setup)
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in page.content.decode()  # shown for typing in by hand, next to the QR code

    response = client.post(setup, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=new_coordinator, type="totp").exists()
    assert client.get(reverse("coordinator_queue")).status_code == 200


def test_a_wrong_code_sets_up_nothing(new_coordinator: Any) -> None:
    client = signed_in(new_coordinator)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=new_coordinator).exists()
    assert client.get(reverse("coordinator_queue"))["Location"] == reverse("mfa_activate_totp")


def test_the_password_alone_does_not_sign_a_coordinator_in(coordinator: Any) -> None:
    client = Client()
    response = client.post(reverse("login"), {"login": coordinator.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("coordinator_queue"))["Location"].startswith(reverse("login"))
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    right = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert right["Location"] == reverse("home")
    assert client.get(reverse("coordinator_queue")).status_code == 200


def test_each_code_works_once(coordinator: Any) -> None:
    code = totp_code()
    assert sign_in(Client(), coordinator, PASSWORD, code=code)["Location"] == reverse("home")
    replay = sign_in(Client(), coordinator, PASSWORD, code=code)
    assert replay.status_code == 200  # the code form again, with an error


def test_a_coordinator_cannot_remove_their_only_second_factor(coordinator: Any) -> None:
    client = signed_in(coordinator)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()
    assert client.get(reverse("coordinator_queue")).status_code == 200


def test_totp_secrets_are_stored_encrypted(coordinator: Any) -> None:
    stored = Authenticator.objects.get(user=coordinator, type="totp").data["secret"]
    assert TOTP_SECRET not in stored
    assert Authenticator.objects.get(user=coordinator).wrap().validate_code(totp_code())


def test_patients_are_offered_a_second_factor_but_not_made_to(patient: Any) -> None:
    client = signed_in(patient)
    assert client.get(reverse("patient_cases")).status_code == 302  # to their own case
    assert client.get(reverse("patient_cases"))["Location"] != reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_index")).content.decode()
    assert reverse("mfa_activate_totp") in page
    # "Account" leads to the account page, which offers the second factor.
    assert reverse("account_overview") in client.get(reverse("landing")).content.decode()
    assert reverse("mfa_index") in client.get(reverse("account_overview")).content.decode()


def test_a_patient_who_adds_totp_is_asked_for_it_at_sign_in(patient: Any) -> None:
    client = signed_in(patient)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    again = Client()
    response = again.post(reverse("login"), {"login": patient.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
