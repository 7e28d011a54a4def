"""The image viewer's words: every sentence viewer.js writes comes from the page, translated
(its English fallback is the same msgid), and a series with nothing to show says why — here,
its only image is held back for review."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from oncoroute.records.models import HeldImage, Study
from oncoroute.records.staff_views import VIEWER_MESSAGES
from oncoroute.records.tasks import study_deidentify
from tests.records.helpers import upload_bytes
from tests.records.test_held_review import secondary_capture

pytestmark = pytest.mark.django_db

VIEWER_JS = Path(__file__).resolve().parents[2] / "src/oncoroute/records/static/records/viewer.js"


def page_json(html: str, element_id: str) -> Any:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert found, f"no {element_id} on the page"
    return json.loads(found.group(1))


@pytest.fixture
def held_only_study(patient: Any, tmp_path: Path) -> Study:
    upload_bytes(case=patient.cases.get(), actor=patient, data=secondary_capture(tmp_path))
    study = Study.objects.get()
    assert study_deidentify.call(study_id=study.pk) == "done"
    assert HeldImage.objects.get().state == HeldImage.State.PENDING
    return study


def test_every_sentence_of_the_script_is_one_the_page_passes_with_the_same_english() -> None:
    calls = re.findall(r't\("(\w+)",\s*"((?:[^"\\]|\\.)*)"', VIEWER_JS.read_text())
    assert {key for key, _ in calls} == set(VIEWER_MESSAGES)
    for key, english in calls:
        assert english == str(VIEWER_MESSAGES[key]), key


def test_a_series_whose_only_image_is_held_back_says_so(
    held_only_study: Study, coordinator: Any
) -> None:
    client = Client()
    client.force_login(coordinator)
    response = client.get(reverse("records_study_viewer", args=[held_only_study.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    (entry,) = page_json(html, "viewer-series")
    assert entry["slices"] == []
    assert (entry["held"], entry["masking"], entry["withheld"]) == (1, 0, 0)
    assert entry["label"] == "OT · series 1"
    assert "OT · series 1 (nothing to show)" in html
    messages = page_json(html, "viewer-messages")
    assert messages == {key: str(text) for key, text in VIEWER_MESSAGES.items()}
    assert "held back" in messages["held"]

    HeldImage.objects.update(state=HeldImage.State.WITHHELD)
    (entry,) = page_json(
        client.get(reverse("records_study_viewer", args=[held_only_study.pk])).content.decode(),
        "viewer-series",
    )
    assert (entry["held"], entry["withheld"]) == (0, 1)


def test_the_viewer_page_speaks_the_coordinators_language(
    held_only_study: Study, coordinator: Any
) -> None:
    client = Client()
    client.force_login(coordinator)
    client.cookies["django_language"] = "ru"
    html = client.get(reverse("records_study_viewer", args=[held_only_study.pk])).content.decode()
    assert '<html lang="ru">' in html
    (entry,) = page_json(html, "viewer-series")
    assert entry["label"] == "OT · серия 1"
    with translation.override("ru"):
        expected = {key: str(text) for key, text in VIEWER_MESSAGES.items()}
    assert page_json(html, "viewer-messages") == expected
