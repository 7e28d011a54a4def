"""Check a de-identified output against its input: does any identifying value survive?

Every identifying value of every input file (whatever Table E.1-1 removes,
empties or replaces, every instance UID, every date as written, every text
in a private element, at any sequence depth) is searched for, as bytes and
case-insensitively, in every output file: headers, DICOMDIR and manifest.
The pixel data value is not searched: pixels are out of scope of the Basic
Profile (E.2) and are copied unchanged, and objects that may show text in
their pixels are held back for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pydicom
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset
from pydicom.tag import BaseTag

from oncoroute.deid.dataset import as_list, private_text, tags, vr_of
from oncoroute.deid.pixels import DeidFileError, pixel_element_span
from oncoroute.deid.rules import TEXT_VRS, default_action
from oncoroute.deid.table import (
    ACTIONS,
    SAFE_PRIVATE_ELEMENTS,
    STANDARD_UID_PREFIX,
    simple_action,
)
from oncoroute.deid.through_pydicom import read_dataset

_MIN_LENGTH: Final = 3
_MIN_NUMBER_LENGTH: Final = 6
_TRIVIAL: Final = frozenset(
    {"yes", "no", "none", "unknown", "anonymous", "anonymized", "other", "n/a", "null"}
)
_NUMBER: Final = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")
_UID_TOKEN: Final = re.compile(rb"[0-9][0-9.]*[0-9]")
_DIGITS_AND_DOT: Final = b"0123456789."


@dataclass(frozen=True)
class Survivor:
    """An identifying value of the input found in an output file."""

    value: str
    source: str
    output: str


@dataclass
class VerifyResult:
    """What ``verify`` checked and every identifying value it found again."""

    values_checked: int = 0
    inputs_read: int = 0
    outputs_searched: int = 0
    survivors: list[Survivor] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.survivors


def verify(in_dir: Path, out_dir: Path) -> VerifyResult:
    """Byte-search every file of ``out_dir`` for each identifying value of ``in_dir``."""
    values, inputs_read = collect_identifying_values(Path(in_dir))
    result = VerifyResult(values_checked=len(values), inputs_read=inputs_read)
    needles = _Needles(values)
    for path in sorted(p for p in Path(out_dir).rglob("*") if p.is_file()):
        result.outputs_searched += 1
        relative = str(path.relative_to(out_dir))
        for value in needles.found_in(_searchable_bytes(path)):
            result.survivors.append(Survivor(value, values[value], relative))
    return result


def collect_identifying_values(in_dir: Path) -> tuple[dict[str, str], int]:
    """Return {identifying value: the attribute it came from} over all input files."""
    values: dict[str, str] = {}
    read = 0
    for path in sorted(p for p in in_dir.rglob("*") if p.is_file()):
        if path.name.upper() == "DICOMDIR":
            continue
        try:
            with path.open("rb") as fp:
                ds = read_dataset(fp, stop_before_pixels=True)
        except DeidFileError:
            continue
        except Exception:  # noqa: S112 - an unreadable input was reported by the run itself
            continue
        read += 1
        meta_uid = (
            ds.file_meta.get("MediaStorageSOPInstanceUID") if hasattr(ds, "file_meta") else None
        )
        if meta_uid:
            _add(values, str(meta_uid), "MediaStorageSOPInstanceUID", uid=True)
        _collect(ds, values, inside_removed=False)
    return values, read


def _collect(ds: Dataset, values: dict[str, str], *, inside_removed: bool) -> None:
    creators = {
        (t.group, t.element): str(ds[t].value or "").strip()
        for t in tags(ds)
        if t.is_private_creator
    }
    for tag in tags(ds):
        raw = ds.get_item(tag)
        if tag.is_private:
            _collect_private(ds, tag, raw, creators, values)
            continue
        vr = vr_of(raw)
        code = ACTIONS.get(int(tag))
        action = simple_action(code) if code else default_action(tag, vr)
        name = str(ds[tag].keyword or tag) if vr in TEXT_VRS | {"DA", "DT", "UI", "SQ"} else ""
        if vr == "SQ":
            for item in ds[tag].value or []:
                _collect(item, values, inside_removed=inside_removed or action in {"X", "Z", "D"})
        elif vr == "UI" and action in {"U", "D", "X", "Z"}:
            for value in _strings(ds[tag]):
                _add(values, value, name, uid=True)
        elif vr in {"DA", "DT"}:
            for value in _strings(ds[tag]):
                _add(values, value[:8], name)
        elif vr in TEXT_VRS and (inside_removed or action in {"X", "Z", "D"}):
            for value in _strings(ds[tag]):
                _add_text(values, value, name, person=vr == "PN")


def _collect_private(
    ds: Dataset,
    tag: BaseTag,
    raw: DataElement | RawDataElement,
    creators: dict[tuple[int, int], str],
    values: dict[str, str],
) -> None:
    group, element = tag.group, tag.element
    if element <= 0xFF:
        return
    creator = creators.get((group, element >> 8), "")
    if (creator, group, element & 0xFF) in SAFE_PRIVATE_ELEMENTS:
        return
    name = f"private ({group:04X},{element:04X})"
    if raw.VR == "SQ":
        for item in ds[tag].value or []:
            _collect(item, values, inside_removed=True)
        return
    for text in private_text(raw):
        for value in text.split("\\"):
            _add_text(values, value, name, person=False)


def _strings(elem: DataElement) -> list[str]:
    if elem.is_empty:
        return []
    return [str(v).strip().rstrip("\x00") for v in as_list(elem.value)]


def _add_text(values: dict[str, str], value: str, name: str, *, person: bool) -> None:
    _add(values, value, name)
    if person:
        for part in re.split(r"[\^=]", value):
            _add(values, part, name)


def _add(values: dict[str, str], value: str, name: str, *, uid: bool = False) -> None:
    text = value.strip().rstrip("\x00").strip()
    if len(text) < _MIN_LENGTH or text.lower() in _TRIVIAL:
        return
    if uid and (text.startswith(STANDARD_UID_PREFIX) or len(text) < 8):
        return
    if not uid and _NUMBER.fullmatch(text) and len(text) < _MIN_NUMBER_LENGTH:
        return
    values.setdefault(text, name)


class _Needles:
    """The values to look for, split by how they are best searched."""

    def __init__(self, values: dict[str, str]) -> None:
        self.uids: dict[bytes, str] = {}
        self.numbers: dict[bytes, str] = {}
        self.texts: dict[bytes, str] = {}
        for value in values:
            encoded = value.lower().encode("utf-8", errors="ignore")
            if _UID_TOKEN.fullmatch(encoded) and b"." in encoded:
                self.uids[encoded] = value
            elif encoded.isdigit():
                self.numbers[encoded] = value
            else:
                self.texts[encoded] = value

    def found_in(self, data: bytes) -> list[str]:
        haystack = data.lower()
        found = [self.uids[t] for t in set(_UID_TOKEN.findall(haystack)) if t in self.uids]
        found += [v for n, v in self.numbers.items() if _number_in(haystack, n)]
        found += [v for t, v in self.texts.items() if t in haystack]
        return found


def _number_in(haystack: bytes, number: bytes) -> bool:
    """A number not glued to a longer number or a UID on its left."""
    start = haystack.find(number)
    while start != -1:
        if start == 0 or haystack[start - 1] not in _DIGITS_AND_DOT:
            return True
        start = haystack.find(number, start + 1)
    return False


def _searchable_bytes(path: Path) -> bytes:
    """The file's bytes without the pixel data value, when it has one."""
    data = path.read_bytes()
    try:
        with path.open("rb") as fp:
            pydicom.dcmread(fp, stop_before_pixels=True)
            span = pixel_element_span(fp, fp.tell())
    except Exception:  # not DICOM (manifest, DICOMDIR…): search all of it
        return data
    if span is None:
        return data
    return data[: span.start] + data[span.end :]
