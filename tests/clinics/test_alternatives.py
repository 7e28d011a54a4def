"""Eligible therapies are alternatives: matching starts from the NOMS recommendation's
therapies, a clinic is not excluded for lacking another eligible one, and the estimate adds
only the therapies the plan needs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from oncoroute.clinics.models import Clinic
from tests.clinics import builders as b

pytestmark = pytest.mark.django_db

ALL_ELIGIBLE = ["sbrt", "vertebral_augmentation", "cebrt", "surgical_stabilization"]


def test_matching_starts_from_the_noms_therapies_only(
    client: Client, coordinator: Any, directory: dict[str, Clinic], russian_case: Any
) -> None:
    b.triaged(russian_case, ALL_ELIGIBLE, noms="cement_augmentation+SRS")
    client.force_login(coordinator)
    response = client.get(f"/coordinator/cases/{russian_case.reference}/clinics/")
    request = response.context["match_request"]
    assert set(request.therapies) == {"sbrt", "vertebral_augmentation"}
    result = response.context["result"]
    # Neither clinic offers conventional radiotherapy or surgery: not a reason to exclude them.
    assert [r.clinic_id for r in result.ranked] == ["alpha", "bravo"]
    in_euros = client.get(
        f"/coordinator/cases/{russian_case.reference}/clinics/",
        {"therapies": list(request.therapies), "currency": "EUR"},
    ).context["result"]
    alpha = in_euros.ranked[0]
    # SBRT 10,000 + vertebroplasty 5,000 EUR: nothing else is added in.
    assert alpha.price is not None
    assert (alpha.price.low, alpha.price.high, alpha.price.currency) == (
        Decimal("15000"),
        Decimal("15000"),
        "EUR",
    )
    form = response.content.decode()
    assert "The eligible therapies are alternatives." in form
    assert 'value="cebrt"' in form  # offered, not ticked


def test_a_pathway_without_a_service_ticks_nothing(
    client: Client, coordinator: Any, directory: dict[str, Clinic], russian_case: Any
) -> None:
    b.triaged(russian_case, ALL_ELIGIBLE, noms="observation_systemic_therapy")
    client.force_login(coordinator)
    response = client.get(f"/coordinator/cases/{russian_case.reference}/clinics/")
    assert response.context["match_request"] is None
    assert "result" not in response.context


def test_the_coordinator_can_choose_one_alternative(
    client: Client, coordinator: Any, directory: dict[str, Clinic], russian_case: Any
) -> None:
    b.triaged(russian_case, ALL_ELIGIBLE)
    client.force_login(coordinator)
    response = client.get(
        f"/coordinator/cases/{russian_case.reference}/clinics/",
        {"therapies": ["sbrt"], "currency": "EUR"},
    )
    result = response.context["result"]
    # Delta offers SBRT only: with SBRT alone it is ranked, not excluded.
    assert "delta" in [r.clinic_id for r in result.ranked]
