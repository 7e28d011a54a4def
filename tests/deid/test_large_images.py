"""De-identification copies pixel data by offset: an image declared huge costs no memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pydicom
import pytest

from oncoroute.deid import deidentify_study
from oncoroute.deid.files import deidentify_file
from oncoroute.deid.rules import DeidOptions
from tests.records.large import rle_zeros_image

from .conftest import SECRET, SHIFT

# A 4096 × 4096 frame of 16 bits decodes to 32 MiB; 65535 × 65535 would be 8 GiB.
NO_DECODING = 16 * 1024**2


def _large_images(folder: Path) -> list[Path]:
    folder.mkdir()
    return [
        rle_zeros_image(folder / "zeros.dcm", 4096, 4096),
        rle_zeros_image(folder / "huge.dcm", 65535, 65535, coded_pixels=128),
    ]


def _pixels(path: Path) -> bytes:
    return bytes(pydicom.dcmread(path).PixelData)


def test_a_study_of_large_images_is_copied_without_decoding(tmp_path: Path) -> None:
    sources = _large_images(tmp_path / "in")
    tracemalloc.start()
    try:
        summary = deidentify_study(
            tmp_path / "in", tmp_path / "out", secret=SECRET, date_shift_days=SHIFT, jobs=1
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < NO_DECODING
    outputs = sorted(summary.written + summary.held_back, key=lambda o: o.source)
    assert [o.source for o in outputs] == ["huge.dcm", "zeros.dcm"]
    for outcome, source in zip(outputs, sorted(sources), strict=True):
        assert _pixels(tmp_path / "out" / str(outcome.output)) == _pixels(source)


@pytest.mark.parametrize("direct", [True, False])
def test_either_header_path_leaves_the_pixels_encoded(tmp_path: Path, direct: bool) -> None:
    options = DeidOptions(secret=SECRET, date_shift_days=SHIFT)
    for source in _large_images(tmp_path / "in"):
        tracemalloc.start()
        try:
            outcome = deidentify_file(
                source, tmp_path / "out", options, name=source.name, direct=direct
            )
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert outcome.status in {"written", "held_back"}, outcome.reason
        assert peak < NO_DECODING
        assert _pixels(tmp_path / "out" / str(outcome.output)) == _pixels(source)
