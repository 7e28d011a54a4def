"""The public directory filters by the countries that have a clinic, each card shows its
published price range and waits, and the ranking policy reflows as paragraphs and lists."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from oncoroute.clinics.models import Clinic

pytestmark = pytest.mark.django_db


def test_the_country_filter_offers_only_countries_with_a_clinic(
    client: Client, directory: dict[str, Clinic]
) -> None:
    form = client.get("/clinics/").context["form"]
    codes = [code for code, _name in form.fields["country"].choices if code]
    assert sorted(codes) == ["DE", "ES", "IL", "TR"]


def test_a_card_shows_its_price_range_and_waits(
    client: Client, directory: dict[str, Clinic]
) -> None:
    html = client.get("/clinics/").content.decode()
    alpha = html[html.index('id="clinic-alpha"') :]
    alpha = alpha[: alpha.index("</article>")]
    assert "5,000–10,000 EUR" in alpha
    assert "3–5 days" in alpha
    filtered = client.get("/clinics/", {"service": "sbrt"}).content.decode()
    alpha = filtered[filtered.index('id="clinic-alpha"') :]
    alpha = alpha[: alpha.index("</article>")]
    assert "10,000–10,000 EUR" in alpha or "10,000 EUR" in alpha
    assert "5 days" in alpha


def test_the_ranking_policy_reflows(client: Client, directory: dict[str, Clinic]) -> None:
    html = client.get("/clinics/").content.decode()
    policy = html[html.index('class="policy"') :]
    policy = policy[: policy.index("</section>")]
    assert "<li>1. It offers every required service." in policy
    assert not re.search(r"\n {2,}\w", policy), "hard-wrapped lines left in the policy"


def test_every_service_has_a_name_in_the_readers_language(
    client: Client, directory: dict[str, Clinic]
) -> None:
    from oncoroute.clinics.labels import SERVICE_LABELS
    from oncoroute.matching import SERVICES

    assert set(SERVICE_LABELS) == set(SERVICES)
    html = client.get("/clinics/", headers={"accept-language": "ru"}).content.decode()
    assert "Стереотаксическая радиохирургия / SBRT" in html
    assert "Stereotactic radiosurgery / SBRT" not in html
    page = client.get("/clinics/alpha/", headers={"accept-language": "ru"}).content.decode()
    assert "Вертебропластика" in page
