"""Saving a shortlist writes it, in order, with one event on the case's timeline."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from oncoroute.cases.models import CaseEvent
from oncoroute.clinics.models import Clinic, Shortlist
from oncoroute.clinics.services import ShortlistRefused, shortlist_save

pytestmark = pytest.mark.django_db


def test_a_saved_shortlist_keeps_its_order_and_writes_an_event(
    directory: dict[str, Clinic], russian_case: Any, coordinator: Any
) -> None:
    shortlist = shortlist_save(
        case=russian_case, actor=coordinator, clinic_slugs=["bravo", "alpha", "delta"]
    )

    assert [i.clinic.slug for i in shortlist.items.all()] == ["bravo", "alpha", "delta"]
    event = CaseEvent.objects.get(case=russian_case, kind=CaseEvent.Kind.SHORTLIST_SAVED)
    assert event.actor == coordinator
    assert not event.visible_to_patient
    # Clinic identifiers only: no health data on the timeline row.
    assert event.data == {"shortlist_id": shortlist.pk, "clinic_ids": ["bravo", "alpha", "delta"]}


@pytest.mark.parametrize(
    "slugs", [[], ["alpha", "bravo", "charlie", "delta", "e", "f"], ["alpha", "nowhere"]]
)
def test_a_bad_shortlist_writes_nothing(
    directory: dict[str, Clinic], russian_case: Any, coordinator: Any, slugs: list[str]
) -> None:
    with pytest.raises(ShortlistRefused):
        shortlist_save(case=russian_case, actor=coordinator, clinic_slugs=slugs)
    assert not Shortlist.objects.exists()
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.SHORTLIST_SAVED).exists()


def test_the_save_button_saves_and_returns_to_the_case(
    client: Client, directory: dict[str, Clinic], russian_case: Any, coordinator: Any
) -> None:
    client.force_login(coordinator)
    response = client.post(
        f"/coordinator/cases/{russian_case.reference}/clinics/shortlist/",
        {"clinic": ["alpha", "bravo"]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/coordinator/cases/{russian_case.reference}/"
    case_page = client.get(response["Location"]).content.decode()
    assert "Alpha Clinic" in case_page
    assert "Clinic shortlist saved" in case_page
