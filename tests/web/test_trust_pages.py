"""Pages that cost trust when they look foreign: the set-password link, the error pages, the
account link, and where email links point."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from oncoroute.cases.tasks import case_request_emails_send
from tests.factories import submitted_case

pytestmark = pytest.mark.django_db


def _ours(html: str) -> None:
    assert "Django administration" not in html
    assert "/admin/" not in html
    assert 'class="logo"' in html


def test_the_set_password_link_opens_our_page_not_the_admins() -> None:
    case = submitted_case(email="newcomer@example.com")
    case_request_emails_send.call(case_id=case.pk)
    url = next(w for w in mail.outbox[1].body.split() if "/accounts/set-password/" in w)
    page = Client().get(re.sub(r"^https?://[^/]+", "", url), follow=True)
    html = page.content.decode()
    _ours(html)
    assert "Choose a password" in html
    saved = Client().get(reverse("password_reset_complete")).content.decode()
    _ours(saved)
    assert "Password saved" in saved


def test_a_missing_page_is_our_404_with_ways_on() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    _ours(html)
    assert "We could not find this page" in html
    assert reverse("landing") in html


def test_a_missing_page_speaks_russian_to_a_russian_reader() -> None:
    response = Client(headers={"accept-language": "ru"}).get("/no-such-page/")
    assert "Страница не найдена" in response.content.decode()


def test_a_forbidden_page_is_our_403(patient: Any, client: Client) -> None:
    client.force_login(patient)
    response = client.get(reverse("coordinator_queue"))
    assert response.status_code == 403
    html = response.content.decode()
    _ours(html)
    assert "This page is not available to you" in html


def test_a_server_error_is_our_500() -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'href="/static/web/site.css"' in html or "site.css" in html


def test_account_opens_the_account_page_not_two_factor_settings(
    patient: Any, client: Client
) -> None:
    client.force_login(patient)
    html = client.get(reverse("patient_case", args=[patient.cases.get().reference])).content
    text = html.decode()
    assert f'href="{reverse("account_overview")}">Account<' in text
    overview = client.get(reverse("account_overview")).content.decode()
    assert patient.email in overview
    for name in ("account_email", "account_change_password", "mfa_index", "usersessions_list"):
        assert reverse(name) in overview


def _site_url(env: dict[str, str]) -> str:
    code = "import django; django.setup(); from django.conf import settings as s; print(s.SITE_URL)"
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    clean["DJANGO_SETTINGS_MODULE"] = "oncoroute.config.settings"
    done = subprocess.run(  # noqa: S603 - our own interpreter on a fixed line of code
        [sys.executable, "-c", code], env=clean | env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_email_links_follow_the_port_the_demo_is_served_on() -> None:
    assert _site_url({"PORT": "8123"}) == "http://127.0.0.1:8123"
    assert _site_url({}) == "http://127.0.0.1:8000"
    assert (
        _site_url({"PORT": "8123", "SITE_URL": "https://care.example/"}) == "https://care.example"
    )
