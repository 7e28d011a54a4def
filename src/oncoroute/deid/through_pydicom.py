"""De-identification of one file through pydicom: for what ``direct.py`` does not handle.

Imported only when a file needs it (an odd encoding, a big-endian or deflated
syntax, a bare dataset without preamble), so that a study ``direct.py``
handles in full never imports pydicom.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO, Final

import pydicom
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.errors import InvalidDicomError
from pydicom.filebase import DicomFileLike
from pydicom.filewriter import (
    correct_ambiguous_vr,
    write_data_element,
    write_dataset,
    write_file_meta_info,
)
from pydicom.uid import (
    UID,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
)

from oncoroute.deid import keyed
from oncoroute.deid.dataset import deidentify_dataset, tags
from oncoroute.deid.files import NO_INSTANCE_UIDS, NotDicomError
from oncoroute.deid.pixels import LONG_LENGTH_VRS, PixelSpan, pixel_element_span
from oncoroute.deid.rules import DeidOptions

MEDIA_STORAGE_DIRECTORY: Final = "1.2.840.10008.1.3.10"
_UNDEFINED_LENGTH: Final = 0xFFFFFFFF
_DEFER_SIZE: Final = "2 MB"


@dataclass
class _Header:
    ds: Dataset
    transfer_syntax: UID
    pixel_span: PixelSpan | None
    streamable: bool


@dataclass(frozen=True)
class PydicomResult:
    """How to write the de-identified header, and where the pixels are in the source."""

    write_header: Callable[[BinaryIO], object]
    pixel_span: PixelSpan | None
    sop_instance_uid: str
    hold_back_reason: str | None


def deidentify_header(fp: BinaryIO, options: DeidOptions) -> PydicomResult:
    """De-identify the file open as ``fp`` (at offset 0) through pydicom (PS3.15 Annex E)."""
    header = _read_header(fp)
    if not header.streamable:
        fp.seek(0)
        header = _read_whole(fp, header.transfer_syntax)
    _convert_if_encoding_differs(header.ds, header.transfer_syntax)
    result = deidentify_dataset(header.ds, options)
    header.ds.file_meta = new_file_meta(header.ds, header.transfer_syntax, options)
    return PydicomResult(
        lambda out: _write_dataset(out, header),
        header.pixel_span,
        str(header.ds.SOPInstanceUID),
        result.hold_back_reason,
    )


def _read_header(fp: BinaryIO) -> _Header:
    ds = read_dataset(fp, stop_before_pixels=True)
    transfer_syntax = _transfer_syntax(ds)
    if transfer_syntax.is_deflated or not transfer_syntax.is_little_endian:
        return _Header(ds, transfer_syntax, None, streamable=False)
    span = pixel_element_span(fp, fp.tell())
    # The copied element must be encoded as the header pydicom writes.
    streamable = span is None or span.explicit_vr != transfer_syntax.is_implicit_VR
    return _Header(ds, transfer_syntax, span, streamable)


def _read_whole(fp: BinaryIO, transfer_syntax: UID) -> _Header:
    ds = read_dataset(fp, stop_before_pixels=False)
    return _Header(ds, transfer_syntax, None, streamable=False)


def read_dataset(fp: BinaryIO, *, stop_before_pixels: bool) -> Dataset:
    start = fp.tell()
    ds: Dataset
    try:
        ds = pydicom.dcmread(fp, stop_before_pixels=stop_before_pixels, defer_size=_DEFER_SIZE)
    except InvalidDicomError:
        ds = _read_without_preamble(fp, start, stop_before_pixels=stop_before_pixels)
    if _is_media_directory(ds):
        raise NotDicomError("a DICOMDIR (media directory), not an image or document")
    if "SOPInstanceUID" not in ds or "SOPClassUID" not in ds:
        raise NotDicomError(NO_INSTANCE_UIDS)
    return ds


def _read_without_preamble(fp: BinaryIO, start: int, *, stop_before_pixels: bool) -> Dataset:
    """Read a bare dataset (no preamble, no meta), as some old files are."""
    fp.seek(start)
    try:
        return pydicom.dcmread(
            fp, force=True, stop_before_pixels=stop_before_pixels, defer_size=_DEFER_SIZE
        )
    except Exception as exc:  # whatever the parser trips on, it is not DICOM
        raise NotDicomError(f"not a DICOM file ({type(exc).__name__})") from None


def _is_media_directory(ds: Dataset) -> bool:
    meta = getattr(ds, "file_meta", None)
    sop_class = meta.get("MediaStorageSOPClassUID") if meta is not None else None
    return str(sop_class) == MEDIA_STORAGE_DIRECTORY or "DirectoryRecordSequence" in ds


def _convert_if_encoding_differs(ds: Dataset, transfer_syntax: UID) -> None:
    """Give every element its VR when an implicit dataset declares an explicit syntax.

    Such files exist; pydicom reads them, but writing them under the declared
    syntax needs each element's VR, which the data dictionary supplies.
    """
    if transfer_syntax.is_implicit_VR:
        return
    if any(ds.get_item(tag).VR is None for tag in tags(ds)):
        for _ in ds.iterall():
            pass
        correct_ambiguous_vr(ds, is_little_endian=transfer_syntax.is_little_endian)


def _transfer_syntax(ds: Dataset) -> UID:
    declared = ds.file_meta.get("TransferSyntaxUID") if hasattr(ds, "file_meta") else None
    if declared:
        return UID(str(declared))
    implicit, little = ds.original_encoding
    if not little:
        return ExplicitVRBigEndian
    return ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian


def new_file_meta(ds: Dataset, transfer_syntax: UID, options: DeidOptions) -> FileMetaDataset:
    """Build fresh File Meta Information (PS3.10 7.1) for the de-identified object.

    Nothing is copied from the original meta but its Media Storage SOP Instance
    UID, replaced by the same mapping as every other UID; source AE titles and
    private meta information are left out.
    """
    old = ds.file_meta if hasattr(ds, "file_meta") else FileMetaDataset()
    original_instance = old.get("MediaStorageSOPInstanceUID")
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = UID(
        keyed.map_uid(options.secret, str(original_instance))
        if original_instance
        else str(ds.SOPInstanceUID)
    )
    meta.TransferSyntaxUID = transfer_syntax
    meta.ImplementationClassUID = pydicom.uid.PYDICOM_IMPLEMENTATION_UID
    meta.ImplementationVersionName = f"PYDICOM {pydicom.__version__}"[:16]
    return meta


def _write_header(out: BinaryIO, header: _Header) -> None:
    """Preamble, File Meta Information and dataset (PS3.10 7.1), without pixel data.

    The steps of ``dcmwrite`` minus its defensive copy of the meta, which
    costs more than the rest for a small header.
    """
    fp = DicomFileLike(out)
    fp.write(b"\x00" * 128 + b"DICM")
    write_file_meta_info(fp, header.ds.file_meta, enforce_standard=True)
    fp.is_implicit_VR = header.transfer_syntax.is_implicit_VR
    fp.is_little_endian = True
    _write_top_level(fp, header.ds)


def _write_top_level(fp: DicomFileLike, ds: Dataset) -> None:
    """``write_dataset`` with a short cut for elements still as read.

    Such an element's value bytes are already encoded for this transfer
    syntax, so only its header is built here; pydicom writes the rest.
    """
    if ds.original_encoding[0] != fp.is_implicit_VR:
        write_dataset(fp, ds)
        return
    encodings = ds.get("SpecificCharacterSet") or None
    for tag in sorted(tags(ds)):
        if tag.element == 0 and tag.group > 6:
            continue
        elem = ds.get_item(tag)
        if isinstance(elem, RawDataElement) and _is_plain(elem):
            fp.write(_element_header(elem, implicit=fp.is_implicit_VR) + (elem.value or b""))
        else:
            write_data_element(fp, ds[tag], encodings)


def _is_plain(elem: RawDataElement) -> bool:
    return (
        elem.VR is not None
        and elem.VR != "SQ"
        and not elem.is_buffered
        and elem.length != _UNDEFINED_LENGTH
        and len(elem.value or b"") == elem.length
    )


def _element_header(elem: RawDataElement, *, implicit: bool) -> bytes:
    tag = struct.pack("<HH", elem.tag.group, elem.tag.element)
    if implicit:
        return tag + struct.pack("<I", elem.length)
    vr = str(elem.VR).encode("ascii")
    if vr in LONG_LENGTH_VRS:
        return tag + vr + b"\x00\x00" + struct.pack("<I", elem.length)
    return tag + vr + struct.pack("<H", elem.length)


def _write_dataset(out: BinaryIO, header: _Header) -> None:
    if header.streamable:
        _write_header(out, header)
    else:
        pydicom.dcmwrite(out, header.ds, enforce_file_format=True)
