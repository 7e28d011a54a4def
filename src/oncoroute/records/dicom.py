"""Reading DICOM headers for the study index, and drawing a series preview."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import numpy as np
import pydicom
from PIL import Image
from pydicom.dataset import Dataset
from pydicom.pixels.utils import pixel_array

MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10"
PREVIEW_SIZE = 256
# Used when a CT slice carries no window of its own: soft tissue, or bone for bone kernels.
SOFT_TISSUE_WINDOW = (40.0, 400.0)
BONE_WINDOW = (400.0, 1800.0)
_GEOMETRY_TAGS = ["Rows", "Columns", "NumberOfFrames", "SamplesPerPixel", "BitsAllocated"]


@dataclass(frozen=True)
class Header:
    """What the index keeps of one DICOM file."""

    study_uid: str
    series_uid: str
    sop_uid: str
    modality: str
    body_part: str
    study_date: date | None
    series_date: date | None
    study_description: str
    series_description: str
    series_number: int | None
    instance_number: int | None
    position: float | None
    has_pixels: bool


def _text(ds: Dataset, keyword: str, limit: int) -> str:
    value = ds.get(keyword, "")
    return str(value or "").strip()[:limit]


def _int(ds: Dataset, keyword: str) -> int | None:
    try:
        value = ds.get(keyword)
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _date(ds: Dataset, keyword: str) -> date | None:
    value = str(ds.get(keyword, "") or "").strip()
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def _position(ds: Dataset) -> float | None:
    position = ds.get("ImagePositionPatient")
    try:
        if position is not None and len(position) == 3:
            return float(position[2])
        location = ds.get("SliceLocation")
        return float(location) if location is not None else None
    except (TypeError, ValueError):
        return None


def read_header(path: Path) -> Header | None:
    """The header of a DICOM instance, or None for a DICOMDIR or a file without UIDs."""
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    sop_class = str(ds.get("SOPClassUID", "") or ds.file_meta.get("MediaStorageSOPClassUID", ""))
    if sop_class == MEDIA_STORAGE_DIRECTORY:
        return None
    uids = [str(ds.get(k, "") or "") for k in ("StudyInstanceUID", "SeriesInstanceUID")]
    sop_uid = str(ds.get("SOPInstanceUID", "") or "")
    if not all(uids) or not sop_uid:
        return None
    return Header(
        study_uid=uids[0][:64],
        series_uid=uids[1][:64],
        sop_uid=sop_uid[:64],
        modality=_text(ds, "Modality", 16),
        body_part=_text(ds, "BodyPartExamined", 64),
        study_date=_date(ds, "StudyDate"),
        series_date=_date(ds, "SeriesDate"),
        study_description=_text(ds, "StudyDescription", 200),
        series_description=_text(ds, "SeriesDescription", 200),
        series_number=_int(ds, "SeriesNumber"),
        instance_number=_int(ds, "InstanceNumber"),
        position=_position(ds),
        has_pixels=_int(ds, "Rows") is not None,
    )


def _first(value: Any) -> float:
    if isinstance(value, pydicom.multival.MultiValue):
        value = value[0]
    return float(value)


def ct_window(ds: Dataset) -> tuple[float, float]:
    """The window (centre, width) of a CT slice: its own if present, else a sensible default."""
    try:
        return _first(ds.WindowCenter), max(_first(ds.WindowWidth), 1.0)
    except (AttributeError, TypeError, ValueError, IndexError):
        kernel = str(ds.get("ConvolutionKernel", "")).upper()
        description = str(ds.get("SeriesDescription", "")).upper()
        return BONE_WINDOW if "BONE" in kernel or "BONE" in description else SOFT_TISSUE_WINDOW


def to_display(ds: Dataset, pixels: np.ndarray) -> np.ndarray:
    """8-bit grey levels of one frame: rescaled, windowed for CT, stretched otherwise."""
    values = pixels.astype(np.float64)
    slope = float(ds.get("RescaleSlope", 1) or 1)
    intercept = float(ds.get("RescaleIntercept", 0) or 0)
    values = values * slope + intercept
    if str(ds.get("Modality", "")) == "CT":
        centre, width = ct_window(ds)
        low, high = centre - width / 2, centre + width / 2
    else:
        low, high = np.percentile(values, (0.5, 99.5)) if values.size else (0.0, 1.0)
    scaled = np.clip((values - low) / max(high - low, 1e-6), 0.0, 1.0) * 255.0
    if str(ds.get("PhotometricInterpretation", "")) == "MONOCHROME1":
        scaled = 255.0 - scaled
    return scaled.astype(np.uint8)


@dataclass(frozen=True)
class Geometry:
    """The size of an image as its header declares it, known before any pixel is decoded."""

    rows: int
    columns: int
    frames: int
    samples: int
    bits_allocated: int

    @property
    def frame_bytes(self) -> int:
        """The size of one decoded frame: what drawing a preview must hold in memory."""
        return self.rows * self.columns * self.samples * -(-self.bits_allocated // 8)


def read_geometry(source: Path | IO[bytes]) -> Geometry:
    """Rows, columns, frames, samples and bits of a DICOM image, read from its header only."""
    ds = pydicom.dcmread(source, stop_before_pixels=True, specific_tags=_GEOMETRY_TAGS)
    return Geometry(
        rows=max(_int(ds, "Rows") or 0, 0),
        columns=max(_int(ds, "Columns") or 0, 0),
        frames=max(_int(ds, "NumberOfFrames") or 1, 1),
        samples=max(_int(ds, "SamplesPerPixel") or 1, 1),
        bits_allocated=max(_int(ds, "BitsAllocated") or 16, 1),
    )


def render_preview(source: Path) -> bytes:
    """A PNG of the file's middle frame, at most PREVIEW_SIZE pixels across.

    Only that frame is decoded; callers bound its size with ``read_geometry`` first.
    """
    ds = pydicom.dcmread(source, stop_before_pixels=True)
    frames = max(_int(ds, "NumberOfFrames") or 1, 1)
    pixels = pixel_array(source, index=frames // 2)
    # Every pixel of a large image would cost eight bytes as float: keep what the preview shows.
    step = max(1, max(pixels.shape[:2]) // (2 * PREVIEW_SIZE))
    pixels = pixels[::step, ::step]
    if pixels.ndim == 3:  # colour (ultrasound, secondary capture): no windowing
        image = Image.fromarray(pixels.astype(np.uint8)).convert("RGB")
    else:
        image = Image.fromarray(to_display(ds, pixels))
    image.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
