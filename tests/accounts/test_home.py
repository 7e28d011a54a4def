"""Where each role lands after signing in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_clinic_doctor_lands_on_the_clinic_page(client: Client, clinic_doctor: Any) -> None:
    client.force_login(clinic_doctor)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("clinic_home")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Referrals to your clinic" in page.content.decode()


def test_the_clinic_page_is_for_clinic_doctors_only(client: Client, patient: Any) -> None:
    client.force_login(patient)
    assert client.get(reverse("clinic_home")).status_code == 403


def test_the_api_schema_is_for_coordinators_and_admins(
    client: Client, clinic_doctor: Any, coordinator: Any
) -> None:
    client.force_login(clinic_doctor)
    assert client.get("/api/openapi.json").status_code == 403
    assert client.get("/api/docs").status_code == 403
    client.force_login(coordinator)
    assert client.get("/api/openapi.json").status_code == 200
