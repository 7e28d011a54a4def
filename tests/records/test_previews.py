"""Previews are drawn by the worker, after the header bounds the frame, under a memory limit."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from oncoroute.records import dicom
from oncoroute.records.models import Instance, Series
from tests.records.helpers import draw_previews, upload_bytes
from tests.records.large import multiframe_image, rle_zeros_image

pytestmark = pytest.mark.django_db

MiB = 1024**2
# A 4096 × 4096 frame of 16 bits decodes to 32 MiB; nothing here may come near that.
NO_DECODING = 16 * MiB


@dataclass
class Peak:
    bytes: int = 0


@contextmanager
def peak_memory() -> Iterator[Peak]:
    """The peak of Python and NumPy allocations inside the block (NumPy reports to tracemalloc)."""
    peak = Peak()
    tracemalloc.start()
    try:
        yield peak
    finally:
        peak.bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, case: Any, data: bytes) -> Any:
    url = reverse("records_upload_start", args=[case.reference])
    upload = client.post(url, {"filename": "large.dcm", "size": len(data)}).json()
    sent = client.post(
        upload["urls"]["chunk"],
        data=data,
        content_type="application/octet-stream",
        headers={"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"},
    )
    assert sent.status_code == 200
    return upload


def _panel(client: Client, case: Any) -> str:
    return client.get(reverse("records_case_panel", args=[case.reference])).content.decode()


def test_completing_an_upload_decodes_no_pixels(
    patient: Any, patient_case: Any, tmp_path: Path
) -> None:
    data = rle_zeros_image(tmp_path / "zeros.dcm", 4096, 4096).read_bytes()
    assert len(data) < 600_000
    client = _signed_in(patient)
    upload = _upload(client, patient_case, data)
    with peak_memory() as peak:
        done = client.post(upload["urls"]["complete"])
    assert done.status_code == 200
    assert peak.bytes < NO_DECODING, f"completing the upload peaked at {peak.bytes / MiB:.0f} MiB"
    series = Series.objects.get()
    assert series.preview == ""
    assert series.preview_state == Series.Preview.PENDING
    panel = _panel(client, patient_case)
    assert "Drawing the preview" in panel
    assert "hx-trigger" in panel  # the panel asks again until the worker has drawn it


@pytest.mark.django_db(transaction=True)
def test_the_worker_draws_the_preview_an_upload_queued(patient: Any, tmp_path: Path) -> None:
    data = rle_zeros_image(tmp_path / "zeros.dcm", 4096, 4096).read_bytes()
    upload_bytes(case=patient.cases.get(), actor=patient, data=data)
    assert Series.objects.get().preview_state == Series.Preview.PENDING
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    series = Series.objects.get()
    assert series.preview_state == Series.Preview.DRAWN
    image = Image.open(default_storage.open(series.preview))
    assert image.size == (dicom.PREVIEW_SIZE, dicom.PREVIEW_SIZE)


def test_an_image_declared_larger_than_the_bound_is_kept_and_not_decoded(
    patient: Any, patient_case: Any, tmp_path: Path
) -> None:
    # 65535 × 65535 of 16 bits would be 8 GiB once decoded; the file holds a few bytes of it.
    path = rle_zeros_image(tmp_path / "huge.dcm", 65535, 65535, coded_pixels=128)
    upload_bytes(case=patient_case, actor=patient, data=path.read_bytes())
    with peak_memory() as peak:
        draw_previews()
    assert peak.bytes < NO_DECODING, f"drawing peaked at {peak.bytes / MiB:.0f} MiB"
    series = Series.objects.get()
    assert series.preview_state == Series.Preview.TOO_LARGE
    assert series.preview == ""
    instance = Instance.objects.get()
    kept = default_storage.open(instance.file).read()
    assert hashlib.sha256(kept).hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()
    panel = _panel(_signed_in(patient), patient_case)
    assert "the image is too large to draw here. The file itself is kept." in panel


def test_the_bound_reads_rows_columns_samples_and_bits_from_the_header(tmp_path: Path) -> None:
    path = rle_zeros_image(tmp_path / "huge.dcm", 65535, 65535, coded_pixels=128)
    geometry = dicom.read_geometry(path)
    assert (geometry.rows, geometry.columns, geometry.frames) == (65535, 65535, 1)
    assert geometry.frame_bytes == 65535 * 65535 * 2


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="RLIMIT_AS is Linux's")
def test_a_decoder_that_outgrows_the_memory_limit_fails_alone(
    patient: Any, patient_case: Any, tmp_path: Path, settings: Any
) -> None:
    # Within the header bound, but the 32 MiB frame cannot be decoded in 8 MiB.
    settings.RECORDS_PREVIEW_MEMORY_BYTES = 8 * MiB
    data = rle_zeros_image(tmp_path / "zeros.dcm", 4096, 4096).read_bytes()
    upload_bytes(case=patient_case, actor=patient, data=data)
    draw_previews()
    series = Series.objects.get()
    assert series.preview_state == Series.Preview.FAILED
    assert series.preview == ""
    panel = _panel(_signed_in(patient), patient_case)
    assert "the image could not be drawn. The file itself is kept." in panel


def test_a_multiframe_image_is_drawn_from_its_middle_frame(tmp_path: Path) -> None:
    frames = [np.zeros((64, 64), np.uint16) for _ in range(3)]
    for index, frame in enumerate(frames):
        frame[index * 20 : index * 20 + 10, :] = 1000  # a bright band lower in each frame
    png = dicom.render_preview(multiframe_image(tmp_path / "frames.dcm", frames))
    grey = np.asarray(Image.open(io.BytesIO(png)))
    assert grey[25, 32] == 255
    assert grey[5, 32] == grey[45, 32] == 0
