"""De-identification of one dataset: PS3.15 Annex E applied to every element.

Every element at every sequence depth gets the action of Table E.1-1 (see
``table.ACTIONS``), so references inside sequences are replaced exactly as the
top-level UIDs are (E.1: "whether contained in the main dataset or embedded in
an Item of a Sequence of Items"). Attributes that the table does not list are
handled by their VR: instance UIDs replaced, dates shifted, person names
emptied, free text cleaned.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Final

from pydicom.datadict import dictionary_has_tag, dictionary_VR
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_sequence
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence
from pydicom.tag import BaseTag, Tag

from oncoroute.deid import keyed, scrub
from oncoroute.deid.rules import (
    DUMMY,
    DUMMY_TEXT,
    MAX_LENGTH,
    NUMERIC_VRS,
    REMEMBERED_VRS,
    TEXT_VRS,
    DeidOptions,
    default_action,
    hold_back_reason_of,
    private_bytes_text,
)
from oncoroute.deid.table import (
    ACTIONS,
    METHOD_CODES,
    METHOD_TEXT,
    SAFE_PRIVATE_ELEMENTS,
    simple_action,
)

_STUDY_ID: Final = int(Tag("StudyID"))
_PSEUDONYMISED: Final = frozenset({int(Tag("PatientName")), int(Tag("PatientID")), _STUDY_ID})
_METHOD_CODE_SEQUENCE = Tag("DeidentificationMethodCodeSequence")
_IDENTITY_REMOVED: Final = int(Tag("PatientIdentityRemoved"))
_METHOD_TEXT_TAG: Final = int(Tag("DeidentificationMethod"))
_TEMPORAL_MODIFIED: Final = int(Tag("LongitudinalTemporalInformationModified"))


@dataclass
class DatasetOutcome:
    """What ``deidentify_dataset`` found: why to hold the object back, if at all."""

    hold_back_reason: str | None
    removed_values: list[str] = field(default_factory=list)


def hold_back_reason(ds: Dataset) -> str | None:
    """Return why ``ds`` may carry burned-in text (PS3.15 E.3.1), or None.

    Pixels are out of scope of the Basic Profile, so an object whose pixels
    may show identifying text goes to a person for review instead of being
    shared: Burned In Annotation = YES, ultrasound (where burned-in text is
    routine, E.3), secondary capture and visible-light photographs.
    """
    return hold_back_reason_of(
        str(ds.get("BurnedInAnnotation", "")),
        str(ds.get("Modality", "")),
        str(ds.get("SOPClassUID", "")),
    )


def deidentify_dataset(ds: Dataset, options: DeidOptions) -> DatasetOutcome:
    """De-identify ``ds`` in place per PS3.15 Annex E with options E.3.5 and E.3.6.

    The file meta information is not touched here; see ``files.new_file_meta``.
    """
    reason = hold_back_reason(ds)
    walker = _Walker(options, _patient_pseudonym(ds, options), ds)
    walker.walk(ds)
    walker.clean_pending_text()
    _mark(ds)
    return DatasetOutcome(hold_back_reason=reason, removed_values=walker.removed)


def _patient_pseudonym(ds: Dataset, options: DeidOptions) -> str:
    return keyed.pseudonym(options.secret, "patient", str(ds.get("PatientID", "")))


def _mark(ds: Dataset) -> None:
    """Record what was done (PS3.15 E.1.1, items 4 and 5; (0028,0303) per E.3.6)."""
    ds[_IDENTITY_REMOVED] = _ascii_element(_IDENTITY_REMOVED, "CS", "YES", ds)
    _append_method_text(ds)
    ds[_TEMPORAL_MODIFIED] = _ascii_element(_TEMPORAL_MODIFIED, "CS", "MODIFIED", ds)
    if "DeidentificationMethodCodeSequence" not in ds:
        ds[_METHOD_CODE_SEQUENCE] = _encoded_method_codes(bool(ds.original_encoding[0]))
        return
    present = {str(item.get("CodeValue", "")) for item in ds.DeidentificationMethodCodeSequence}
    for value, meaning in METHOD_CODES:
        if value not in present:
            ds.DeidentificationMethodCodeSequence.append(_code_item(value, meaning))


def _append_method_text(ds: Dataset) -> None:
    """(0012,0063) is multi-valued: earlier de-identifications keep their entry."""
    if _METHOD_TEXT_TAG not in ds:
        ds[_METHOD_TEXT_TAG] = _ascii_element(_METHOD_TEXT_TAG, "LO", METHOD_TEXT, ds)
        return
    methods = [str(v) for v in as_list(ds.DeidentificationMethod) if str(v)]
    if METHOD_TEXT not in methods:
        methods.append(METHOD_TEXT)
    ds.DeidentificationMethod = methods if len(methods) > 1 else methods[0]


def _ascii_element(tag: int, vr: str, value: str, ds: Dataset) -> RawDataElement:
    data = value.encode("ascii")
    if len(data) % 2:
        data += b" "
    implicit = bool(ds.original_encoding[0])
    return RawDataElement(Tag(tag), vr, len(data), data, 0, implicit, True)


@functools.cache
def _encoded_method_codes(implicit_vr: bool) -> RawDataElement:
    """(0012,0064) with our CID 7050 codes, encoded once per process and encoding."""
    buffer = DicomBytesIO()
    buffer.is_little_endian, buffer.is_implicit_VR = True, implicit_vr
    items = Sequence([_code_item(value, meaning) for value, meaning in METHOD_CODES])
    write_sequence(buffer, DataElement(_METHOD_CODE_SEQUENCE, "SQ", items), ["iso8859"])
    data = buffer.getvalue()
    return RawDataElement(_METHOD_CODE_SEQUENCE, "SQ", len(data), data, 0, implicit_vr, True)


def _code_item(value: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = "DCM"
    item.CodeMeaning = meaning
    return item


def as_list(value: Any) -> list[Any]:
    if isinstance(value, MultiValue | list | tuple):
        return list(value)
    return [value]


def tags(ds: Dataset) -> list[BaseTag]:
    """The dataset's tags; iterating a Dataset itself yields its elements."""
    return list(ds.keys())


def vr_of(elem: DataElement | RawDataElement) -> str:
    if elem.VR:
        return str(elem.VR)
    if dictionary_has_tag(elem.tag):
        return str(dictionary_VR(elem.tag))
    return "UN"


class _Walker:
    """One pass over a dataset and its sequences, applying the table."""

    def __init__(self, options: DeidOptions, patient_pseudonym: str, ds: Dataset) -> None:
        self.options = options
        self.patient_pseudonym = patient_pseudonym
        self.implicit_vr = bool(ds.original_encoding[0])
        charset = str(ds.get("SpecificCharacterSet", ""))
        self.text_encoding = "utf-8" if "192" in charset else "latin-1"
        self.removed: list[str] = []
        self.pending_text: list[tuple[Dataset, BaseTag]] = []

    def walk(self, ds: Dataset) -> None:
        creators = _private_creators(ds)
        kept_blocks: set[tuple[int, int]] = set()
        for tag in tags(ds):
            if tag.is_private:
                self._private(ds, tag, creators, kept_blocks)
            else:
                self._public(ds, tag)
        for tag in [t for t in tags(ds) if t.is_private_creator]:
            if (tag.group, tag.element) not in kept_blocks:
                del ds[tag]

    def _public(self, ds: Dataset, tag: BaseTag) -> None:
        number = int(tag)
        if not number & 0xFFFF or (number >> 24) in (0x50, 0x60):
            # Group lengths go stale once values change; curves and overlays
            # (50xx, 60xx) are X in Table E.1-1 and may hold annotations.
            del ds[tag]
            return
        raw = ds.get_item(tag)
        vr = vr_of(raw)
        code = ACTIONS.get(number)
        action = simple_action(code) if code else default_action(tag, vr)
        if number in _PSEUDONYMISED:
            self._pseudonymise(ds, tag, vr)
        elif vr == "SQ":
            self._sequence(ds, tag, action)
        elif action == "X":
            self._remember_strings(raw, vr)
            del ds[tag]
        elif action == "Z":
            self._remember_strings(raw, vr)
            self._put(ds, tag, vr, [])
        elif action == "D":
            self._dummy(ds, tag, vr)
        elif action == "U" and vr == "UI":
            self._replace_uids(ds, tag, raw)
        elif action == "C":
            self._clean(ds, tag, raw, vr)

    def _sequence(self, ds: Dataset, tag: BaseTag, action: str) -> None:
        elem = ds[tag]
        if action in {"X", "Z", "D"}:
            self._remember(elem)
        if action == "X":
            del ds[tag]
        elif action in {"Z", "D"}:
            # Items of a removed sequence cannot be made safe generically.
            elem.value = Sequence()
        else:
            self._recurse(elem)

    def _put(self, ds: Dataset, tag: BaseTag, vr: str, values: list[str]) -> None:
        """Store ``values`` already encoded, as the reader would have left them."""
        data = "\\".join(values).encode("ascii")
        if len(data) % 2:
            data += b"\x00" if vr == "UI" else b" "
        ds[tag] = RawDataElement(tag, vr, len(data), data, 0, self.implicit_vr, True)

    def _pseudonymise(self, ds: Dataset, tag: BaseTag, vr: str) -> None:
        self._remember_strings(ds.get_item(tag), vr)
        if int(tag) == _STUDY_ID:
            study_uid = str(ds.get("StudyInstanceUID", ""))
            value = keyed.pseudonym(self.options.secret, "study", study_uid, length=8)
        else:
            value = self.patient_pseudonym
        self._put(ds, tag, vr, [value])

    def _remember_strings(self, elem: DataElement | RawDataElement, vr: str) -> None:
        if vr in REMEMBERED_VRS:
            self.removed.extend(self._strings(elem))

    def _strings(self, elem: DataElement | RawDataElement) -> list[str]:
        if isinstance(elem, DataElement):
            values = [] if elem.is_empty else as_list(elem.value)
            return [str(v) for v in values if str(v)]
        if not elem.value:
            return []
        text = bytes(elem.value).decode(self.text_encoding, errors="replace")
        return [part.strip("\x00 ") for part in text.split("\\") if part.strip("\x00 ")]

    def _remember(self, elem: DataElement) -> None:
        """Keep removed text, so that free text repeating it can be cleaned."""
        if elem.VR == "SQ":
            for item in elem.value or []:
                for child in item:
                    self._remember(child)
        elif elem.VR in REMEMBERED_VRS and not elem.is_empty:
            self.removed.extend(str(v) for v in as_list(elem.value))

    def _dummy(self, ds: Dataset, tag: BaseTag, vr: str) -> None:
        if vr == "UI":
            self._replace_uids(ds, tag, ds.get_item(tag))
            return
        elem = ds[tag]
        self._remember(elem)
        if vr in DUMMY:
            elem.value = DUMMY[vr]
        elif vr in TEXT_VRS:
            elem.value = DUMMY_TEXT
        elif vr in NUMERIC_VRS:
            elem.value = 0
        else:
            elem.value = elem.empty_value

    def _replace_uids(self, ds: Dataset, tag: BaseTag, raw: DataElement | RawDataElement) -> None:
        originals = self._strings(raw)
        if originals:
            mapped = [keyed.map_uid(self.options.secret, uid) for uid in originals]
            self._put(ds, tag, "UI", mapped)

    def _recurse(self, elem: DataElement) -> None:
        for item in elem.value or []:
            self.walk(item)

    def _clean(self, ds: Dataset, tag: BaseTag, raw: DataElement | RawDataElement, vr: str) -> None:
        if vr in {"DA", "DT"}:
            self._shift_dates(ds, tag, raw, vr)
        elif vr in TEXT_VRS:
            self.pending_text.append((ds, tag))

    def _shift_dates(
        self, ds: Dataset, tag: BaseTag, raw: DataElement | RawDataElement, vr: str
    ) -> None:
        originals = self._strings(raw)
        if not originals:
            return
        self.removed.extend(originals)
        shift = keyed.shift_da if vr == "DA" else keyed.shift_dt
        try:
            shifted = [shift(v, self.options.date_shift_days) for v in originals]
        except ValueError:
            # A value that is not a valid date cannot be shifted: it goes.
            shifted = []
        self._put(ds, tag, vr, shifted)

    def _private(
        self,
        ds: Dataset,
        tag: BaseTag,
        creators: dict[tuple[int, int], str],
        kept_blocks: set[tuple[int, int]],
    ) -> None:
        if tag.is_private_creator:
            return
        block = (tag.group, tag.element >> 8)
        creator = creators.get(block)
        if creator and (creator, tag.group, tag.element & 0xFF) in SAFE_PRIVATE_ELEMENTS:
            kept_blocks.add(block)
            return
        raw = ds.get_item(tag)
        if raw.VR == "SQ":
            self._remember(ds[tag])
        else:
            self.removed.extend(private_text(raw))
        del ds[tag]

    def clean_pending_text(self) -> None:
        if not self.pending_text:
            return
        tokens = scrub.token_pattern(scrub.identifying_tokens(self.removed))
        for ds, tag in self.pending_text:
            elem = ds[tag]
            if elem.is_empty:
                continue
            limit = MAX_LENGTH.get(str(elem.VR))
            cleaned = [scrub.clean_text(str(v), tokens)[:limit] for v in as_list(elem.value)]
            elem.value = cleaned if len(cleaned) > 1 else cleaned[0]


def _private_creators(ds: Dataset) -> dict[tuple[int, int], str]:
    creators: dict[tuple[int, int], str] = {}
    for tag in tags(ds):
        if tag.is_private_creator:
            value = ds[tag].value
            creators[(tag.group, tag.element)] = str(value).strip() if value else ""
    return creators


def private_text(raw: DataElement | RawDataElement) -> list[str]:
    """Text found in a private element's value, whatever VR it claims."""
    value = raw.value
    if isinstance(value, bytes):
        return private_bytes_text(value)
    if isinstance(value, str):
        return [value]
    return []
