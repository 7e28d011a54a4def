"""Small DICOM files that declare large images: RLE Lossless frames of zeros, built by hand."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import (
    CTImageStorage,
    ExplicitVRLittleEndian,
    RLELossless,
    SecondaryCaptureImageStorage,
    generate_uid,
)

_RUN_OF_128_ZEROS = b"\x81\x00"  # PS3.5 G.3.1: a byte of -127, then the byte to repeat 128 times


def _rle_zeros(count: int) -> bytes:
    runs, rest = divmod(count, 128)
    return _RUN_OF_128_ZEROS * runs + (bytes([257 - rest, 0]) if rest else b"")


def rle_frame_of_zeros(pixels: int) -> bytes:
    """One RLE frame of 16-bit zeros: two segments (high and low bytes) after a 64-byte header."""
    segment = _rle_zeros(pixels)
    offsets = [64, 64 + len(segment)] + [0] * 13
    return struct.pack("<16I", 2, *offsets) + segment * 2


def _image(rows: int, columns: int, sop_class: str, syntax: str) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = syntax
    ds.file_meta.MediaStorageSOPClassUID = sop_class
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.PatientName, ds.PatientID = "Large^Image", "LARGE-0001"
    ds.Modality, ds.SeriesNumber, ds.InstanceNumber = "CT", 1, 1
    ds.Rows, ds.Columns = rows, columns
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    return ds


def rle_zeros_image(
    path: Path, rows: int, columns: int, *, coded_pixels: int | None = None
) -> Path:
    """A CT image of ``rows`` × ``columns`` zeros in RLE Lossless: 4096 × 4096 is about 525 KB.

    With ``coded_pixels`` the frame holds that many pixels only: the header then declares more
    than the data, as a hostile file may.
    """
    ds = _image(rows, columns, CTImageStorage, RLELossless)
    ds.PixelData = encapsulate([rle_frame_of_zeros(coded_pixels or rows * columns)])
    ds["PixelData"].VR = "OB"
    ds.save_as(path, enforce_file_format=True)
    return path


def multiframe_image(path: Path, frames: list[np.ndarray]) -> Path:
    """An uncompressed multi-frame image of the given 16-bit frames."""
    rows, columns = frames[0].shape
    ds = _image(rows, columns, SecondaryCaptureImageStorage, ExplicitVRLittleEndian)
    ds.Modality, ds.NumberOfFrames = "OT", len(frames)
    ds.PixelData = np.stack(frames).astype(np.uint16).tobytes()
    ds["PixelData"].VR = "OW"
    ds.save_as(path, enforce_file_format=True)
    return path
