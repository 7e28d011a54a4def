"""A visitor ticks up to three clinics in the directory and sees them side by side, with the
honesty rules of the coordinator's comparison: only published, current prices in the clinic's
own currency, waits, languages, credentials with who verified them and when, and the
commercial relationship."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from oncoroute.clinics.models import Clinic
from tests.clinics import builders as b

pytestmark = pytest.mark.django_db


def test_the_directory_offers_to_compare_the_ticked_clinics(
    client: Client, directory: dict[str, Clinic]
) -> None:
    html = client.get(reverse("clinic_directory")).content.decode()
    assert f'action="{reverse("clinic_compare")}"' in html
    assert 'name="clinic" value="alpha"' in html


def test_two_clinics_side_by_side(client: Client, directory: dict[str, Clinic]) -> None:
    b.offering(directory["bravo"], "mri", None, wait=None)  # offered, price and wait unpublished
    response = client.get(reverse("clinic_compare"), {"clinic": ["alpha", "bravo"]})
    assert response.status_code == 200
    assert [c.slug for c in response.context["clinics"]] == ["alpha", "bravo"]
    html = response.content.decode()
    assert "10,000–10,000 EUR" in html or "10,000 EUR" in html  # alpha's SBRT, in euros
    assert "12,000–12,000 USD" in html or "12,000 USD" in html  # bravo's, in dollars: no conversion
    assert "≈" not in html
    assert "wait 5 days" in html and "wait 20 days" in html
    assert "price not published" in html and "wait not published" in html
    assert "not offered" in html  # alpha has no MRI
    accreditation = directory["alpha"].accreditations.first()
    assert f"by {accreditation.verified_by}" in html
    assert directory["alpha"].commercial_relationship in html


def test_an_expired_price_is_not_shown_as_a_price(
    client: Client, directory: dict[str, Clinic]
) -> None:
    b.offering(directory["alpha"], "mri", 900, price_valid_until=date(2020, 1, 1))
    html = client.get(reverse("clinic_compare"), {"clinic": ["alpha", "bravo"]}).content
    assert "price expired" in html.decode()
    assert "900" not in html.decode()


def test_at_most_three(client: Client, directory: dict[str, Clinic]) -> None:
    response = client.get(
        reverse("clinic_compare"), {"clinic": ["alpha", "bravo", "charlie", "delta"]}
    )
    assert response.status_code == 200
    assert response.context["clinics"] == []
    assert "Tick at most 3 clinics to compare." in response.content.decode()


def test_an_unpublished_clinic_is_not_compared(
    client: Client, directory: dict[str, Clinic]
) -> None:
    Clinic.objects.filter(slug="bravo").update(published=False)
    response = client.get(reverse("clinic_compare"), {"clinic": ["alpha", "bravo"]})
    assert [c.slug for c in response.context["clinics"]] == ["alpha"]
    assert "Tick two or three clinics" in response.content.decode()
