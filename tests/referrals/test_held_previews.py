"""A clinic never sees a preview drawn from an image held back for review: previews come from
the uploaded pixels, and a held-back image may show the patient's name in them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from oncoroute.records import services
from oncoroute.records.models import HeldImage, Series, Study
from oncoroute.records.tasks import held_image_release, study_deidentify
from oncoroute.referrals.models import Referral
from tests.records.helpers import upload_bytes
from tests.records.studies import study_zip
from tests.records.test_held_review import MASK, secondary_capture

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def studies(referral_x: Referral, patient: Any, tmp_path: Path) -> HeldImage:
    """A CT study and a screen capture with a name in its pixels, de-identified and drawn."""
    case = referral_x.case
    archive, _ = study_zip(tmp_path, n_slices=4)
    upload_bytes(case=case, actor=patient, data=archive.read_bytes(), filename="cd.zip")
    upload_bytes(case=case, actor=patient, data=secondary_capture(tmp_path))
    for study in Study.objects.all():
        assert study_deidentify.call(study_id=study.pk) == "done"
    services.series_previews_render(series_ids=list(Series.objects.values_list("pk", flat=True)))
    assert all(series.preview for series in Series.objects.all())
    return HeldImage.objects.get()


def test_the_preview_of_a_series_with_a_held_back_image_never_reaches_a_clinic(
    studies: HeldImage, referral_x: Referral, doctor_x: Any, coordinator: Any
) -> None:
    doctor = signed_in(doctor_x)
    held_series = studies.instance.series
    held_url = reverse("referral_series_preview", args=[referral_x.pk, held_series.pk])
    shown_urls = [
        reverse("referral_series_preview", args=[referral_x.pk, series.pk])
        for series in Series.objects.exclude(pk=held_series.pk)
    ]
    page = doctor.get(reverse("referral_detail", args=[referral_x.pk])).content.decode()
    assert held_url not in page
    assert all(url in page for url in shown_urls)
    assert "held back until our coordinator has checked them" in page
    assert doctor.get(held_url).status_code == 404
    assert all(doctor.get(url).status_code == 200 for url in shown_urls)

    # Masked and released: the image reaches the clinic through the de-identified copy only.
    signed_in(coordinator).post(
        reverse("records_held_image_decide", args=[studies.study.case.reference, studies.pk]),
        {"action": "release", "boxes": json.dumps([MASK])},
    )
    assert held_image_release.call(held_id=studies.pk) == "released"
    assert study_deidentify.call(study_id=studies.study_id) == "done"
    page = doctor.get(reverse("referral_detail", args=[referral_x.pk])).content.decode()
    assert held_url not in page
    assert doctor.get(held_url).status_code == 404
