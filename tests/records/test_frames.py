"""The viewer's frames: multi-frame and compressed files are decoded in the child, or say why
they cannot be (pydicom's own test files: JPEG, JPEG 2000, JPEG-LS, RLE, deflate)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydicom.data import get_testdata_file

from oncoroute.records import frames

DECODED = {
    "CT_small.dcm": (1, 128, 128, False),
    "MR_small_RLE.dcm": (1, 64, 64, False),
    "MR_small_jpeg_ls_lossless.dcm": (1, 64, 64, False),
    "JPEG2000.dcm": (1, 1024, 256, False),
    "SC_rgb_jpeg_gdcm.dcm": (1, 100, 100, True),
    "SC_rgb_rle_2frame.dcm": (2, 100, 100, True),
    "rtdose_rle.dcm": (15, 10, 10, False),
    "image_dfl.dcm": (1, 512, 512, False),
}


def test_compressed_and_multiframe_files_decode_to_frames(tmp_path: Path) -> None:
    paths = [Path(str(get_testdata_file(name))) for name in DECODED]
    results = frames.decode_files(
        paths, tmp_path, memory_bytes=1 << 30, max_frame_bytes=128 << 20, seconds=120
    )
    for (name, (count, rows, columns, colour)), result in zip(
        DECODED.items(), results, strict=True
    ):
        assert result.ok, (name, result.reason)
        stack = frames.load((tmp_path / f"{result.index}{frames.SUFFIX}").read_bytes())
        assert (result.frames, result.rows, result.columns, result.colour) == (
            count, min(rows, 1024), columns, colour,
        ), name  # fmt: skip
        assert stack.shape[0] == count
        png = frames.window_png(stack[0], centre=result.centre, width=result.width)
        assert png.startswith(b"\x89PNG")


def test_a_file_that_cannot_be_decoded_says_why(tmp_path: Path) -> None:
    # 12-bit JPEG (process 4): none of the installed decoders reads it.
    (result,) = frames.decode_files(
        [Path(str(get_testdata_file("JPEG-lossy.dcm")))],
        tmp_path,
        memory_bytes=1 << 30,
        max_frame_bytes=128 << 20,
        seconds=60,
    )
    assert not result.ok
    assert "JPEG Extended" in result.reason and "could not be decoded" in result.reason


def test_an_image_larger_than_the_frame_limit_is_not_decoded(tmp_path: Path) -> None:
    (result,) = frames.decode_files(
        [Path(str(get_testdata_file("CT_small.dcm")))],
        tmp_path,
        memory_bytes=1 << 30,
        max_frame_bytes=1000,
        seconds=60,
    )
    assert not result.ok and "too large" in result.reason


@pytest.mark.parametrize("inverted", [False, True])
def test_a_window_maps_its_range_to_black_and_white(inverted: bool) -> None:
    frame = np.array([[-1000, 40, 1000]], dtype=np.int16)
    png = frames.window_png(frame, centre=40, width=400, inverted=inverted)
    from io import BytesIO

    from PIL import Image

    values = np.asarray(Image.open(BytesIO(png)))[0].tolist()
    expected = [0, 127, 255] if not inverted else [255, 127, 0]
    assert values == expected
