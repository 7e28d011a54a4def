"""Email is the sign-in: it must be verified, the set-password link of the request email
verifies it, and sign-up is closed (accounts come from requests)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.cases.tasks import case_request_emails_send
from tests.factories import PASSWORD, person, submitted_case
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def link_in(body: str, marker: str) -> str:
    url = next(word for word in body.split() if marker in word)
    return re.sub(r"^https?://[^/]+", "", url)


def test_an_unverified_email_gets_a_verification_link_instead_of_a_session() -> None:
    user = person(Role.PATIENT, "unverified@example.com")
    EmailAddress.objects.filter(user=user).update(verified=False)
    client = Client()
    response = sign_in(client, user, PASSWORD)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    (message,) = mail.outbox
    assert message.to == ["unverified@example.com"]

    confirm = link_in(message.body, "/accounts/confirm-email/")
    assert client.post(confirm).status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert sign_in(Client(), user, PASSWORD)["Location"] == reverse("home")


def test_the_set_password_link_of_the_request_email_works_and_verifies_the_email() -> None:
    case = submitted_case(email="newcomer@example.com")
    case_request_emails_send.call(case_id=case.pk)
    link = link_in(mail.outbox[1].body, "/accounts/set-password/")
    assert link.startswith("/accounts/set-password/")  # still the URL named password_reset_confirm
    client = Client()
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-fresh-password-91", "new_password2": "a-fresh-password-91"},
    )
    assert response["Location"] == reverse("password_reset_complete")

    user = User.objects.get(email="newcomer@example.com")
    assert EmailAddress.objects.get(user=user).verified
    signed_in = sign_in(Client(), user, "a-fresh-password-91")
    assert signed_in["Location"] == reverse("home")


def test_a_person_without_a_password_can_ask_for_a_link() -> None:
    submitted_case(email="forgot@example.com")
    mail.outbox.clear()
    response = Client().post(reverse("account_reset_password"), {"email": "forgot@example.com"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "/accounts/password/reset/key/" in message.body


def test_sign_up_is_closed(client: Client) -> None:
    page = client.get(reverse("account_signup"))
    assert "Sign Up Closed" in page.content.decode()
    client.post(
        reverse("account_signup"),
        {"email": "intruder@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not User.objects.filter(email="intruder@example.com").exists()
    assert reverse("account_signup") not in client.get(reverse("login")).content.decode()


def test_signing_in_by_email_ignores_its_case(patient: Any) -> None:
    client = Client()
    response = client.post(reverse("login"), {"login": patient.email.upper(), "password": PASSWORD})
    assert response["Location"] == reverse("home")
