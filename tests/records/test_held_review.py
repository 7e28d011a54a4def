"""Held-back images: none is shared unreviewed; a secondary capture with burned-in text is
masked by a coordinator, released, and its released pixels differ only inside the mask."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageDraw

from oncoroute.deid.synthetic import write_ct_study
from oncoroute.records.models import HeldImage, Study
from oncoroute.records.tasks import held_image_release, study_deidentify
from tests.records.helpers import upload_bytes

pytestmark = pytest.mark.django_db

SIZE = 96
# The burned-in name sits in the top quarter; the coordinator's box covers it.
MASK = {"page": 0, "x0": 0.0, "y0": 0.0, "x1": 1.0, "y1": 0.25}


def secondary_capture(folder: Path) -> bytes:
    """A screen capture (SOP class SC) with a patient's name drawn into its pixels."""
    (path,) = write_ct_study(folder, 1, rows=SIZE, cols=SIZE, seed=3, n_series=1).files
    return as_capture_with_a_name(pydicom.dcmread(path))


def as_capture_with_a_name(ds: pydicom.Dataset) -> bytes:
    """``ds`` made a screen capture with the patient's name in its pixels."""
    picture = Image.new("L", (ds.Columns, ds.Rows), 30)
    draw = ImageDraw.Draw(picture)
    draw.text((4, 4), "IVANOVA A.", fill=255)
    draw.ellipse((30, 40, 70, 80), fill=160)  # the anatomy, outside the mask
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.Modality = "OT"
    ds.BurnedInAnnotation = "YES"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    for keyword in ("RescaleSlope", "RescaleIntercept", "WindowCenter", "WindowWidth"):
        if keyword in ds:
            delattr(ds, keyword)
    ds.PixelData = np.asarray(picture, dtype=np.uint8).tobytes()
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


def archive_names(study: Study) -> list[str]:
    study.refresh_from_db()
    with default_storage.open(study.deid_archive) as fp, zipfile.ZipFile(fp) as archive:
        return archive.namelist()


def archive_file(study: Study, name: str) -> bytes:
    with default_storage.open(study.deid_archive) as fp, zipfile.ZipFile(fp) as archive:
        return archive.read(name)


@pytest.fixture
def held(patient: Any, tmp_path: Path) -> HeldImage:
    upload_bytes(case=patient.cases.get(), actor=patient, data=secondary_capture(tmp_path))
    study = Study.objects.get()
    assert study_deidentify.call(study_id=study.pk) == "done"
    return HeldImage.objects.get()


def coordinator_client(coordinator: Any) -> Client:
    client = Client()
    client.force_login(coordinator)
    return client


def test_a_held_image_waits_for_review_and_is_not_in_the_shared_copy(held: HeldImage) -> None:
    assert held.state == HeldImage.State.PENDING
    assert "burned-in" in held.reason.lower() or "annotation" in held.reason.lower()
    assert held.preview and held.deid_file
    assert not any(name.endswith(".dcm") or "/IM" in name for name in archive_names(held.study))


def test_the_review_screen_shows_the_image_from_its_deidentified_copy(
    held: HeldImage, coordinator: Any
) -> None:
    client = coordinator_client(coordinator)
    reference = held.study.case.reference
    page = client.get(reverse("records_study_review", args=[reference, held.study_id]))
    assert page.status_code == 200
    assert b"Black out and release" in page.content
    picture = client.get(reverse("records_held_image_preview", args=[reference, held.pk]))
    assert picture.status_code == 200
    assert Image.open(io.BytesIO(b"".join(picture.streaming_content))).size == (SIZE, SIZE)  # type: ignore[attr-defined]


def test_a_masked_secondary_capture_is_released_and_differs_only_inside_the_mask(
    held: HeldImage, coordinator: Any
) -> None:
    reference = held.study.case.reference
    response = coordinator_client(coordinator).post(
        reverse("records_held_image_decide", args=[reference, held.pk]),
        {"action": "release", "boxes": f"[{_json(MASK)}]"},
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.state == HeldImage.State.RELEASING and held.mask == [MASK]
    assert held.reviewed_by == coordinator
    assert held_image_release.call(held_id=held.pk) == "released"
    assert study_deidentify.call(study_id=held.study_id) == "done"

    # Listed like any other image: in the manifest, as written after review, and in the DICOMDIR.
    manifest = json.loads(archive_file(held.study, "manifest.json"))
    (entry,) = [f for f in manifest["files"] if "review" in (f["reason"] or "")]
    assert entry["status"] == "written" and manifest["held_back"] == 0
    released = pydicom.dcmread(io.BytesIO(archive_file(held.study, entry["output"])))
    dicomdir = pydicom.dcmread(io.BytesIO(archive_file(held.study, "DICOMDIR")))
    listed = [
        r.ReferencedSOPInstanceUIDInFile
        for r in dicomdir.DirectoryRecordSequence
        if "ReferencedSOPInstanceUIDInFile" in r
    ]
    assert listed == [released.SOPInstanceUID]
    with default_storage.open(held.deid_file) as fp:
        before = pydicom.dcmread(fp)
    assert before.BurnedInAnnotation == "YES"  # set to NO only after the review
    assert released.BurnedInAnnotation == "NO"
    assert released.PatientName == before.PatientName != "IVANOVA^ANNA"
    old, new = before.pixel_array, released.pixel_array
    inside = np.zeros_like(old, dtype=bool)
    inside[: SIZE // 4, :] = True
    assert (new[inside] == 0).all()
    assert (new[~inside] == old[~inside]).all()
    assert (old[inside] != 0).any()  # the text was there before


def test_a_release_without_a_box_needs_the_tick_that_nothing_identifies(
    held: HeldImage, coordinator: Any
) -> None:
    client = coordinator_client(coordinator)
    url = reverse("records_held_image_decide", args=[held.study.case.reference, held.pk])
    review = client.post(url, {"action": "release", "boxes": "[]"}, follow=True)
    assert "tick that there is none" in review.content.decode()
    held.refresh_from_db()
    assert held.state == HeldImage.State.PENDING

    client.post(url, {"action": "release", "boxes": "[]", "nothing_to_hide": "1"})
    assert held_image_release.call(held_id=held.pk) == "released"
    held.refresh_from_db()
    assert held.state == HeldImage.State.RELEASED and held.mask == []
    review = client.get(
        reverse("records_study_review", args=[held.study.case.reference, held.study_id])
    )
    assert "Released without boxes: checked, nothing to black out" in review.content.decode()


def test_the_case_page_tells_images_waiting_from_images_withheld(
    held: HeldImage, coordinator: Any
) -> None:
    client = coordinator_client(coordinator)
    reference = held.study.case.reference
    panel = reverse("records_case_panel", args=[reference])
    page = client.get(panel).content.decode()
    assert "No image can be shared yet" in page  # its only image waits: no empty ZIP offered
    assert "1 image held back for review" in page
    assert "De-identified ZIP" not in page
    client.post(
        reverse("records_held_image_decide", args=[reference, held.pk]), {"action": "withhold"}
    )
    page = client.get(panel).content.decode()
    assert "Kept out of the shared copy after review: 1." in page
    assert "held back for review" not in page


def test_a_withheld_image_never_joins_the_copy(held: HeldImage, coordinator: Any) -> None:
    reference = held.study.case.reference
    coordinator_client(coordinator).post(
        reverse("records_held_image_decide", args=[reference, held.pk]), {"action": "withhold"}
    )
    held.refresh_from_db()
    assert held.state == HeldImage.State.WITHHELD
    assert not any(name.endswith(".dcm") or "/IM" in name for name in archive_names(held.study))


def _json(box: dict[str, Any]) -> str:
    import json

    return json.dumps(box)
