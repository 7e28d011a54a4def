"""De-identification directly on the encoded header, without building pydicom objects.

The common case (a Part 10 file in a little-endian, non-deflated transfer
syntax, PS3.10 7.1 and PS3.5 7.1) is rewritten element by element from its
bytes: untouched elements are copied in runs, changed ones are encoded here,
sequences are rewritten with undefined lengths (PS3.5 7.5.2), and the pixel
data element is then copied by offset. The actions are exactly those of
``dataset.deidentify_dataset``; anything this module does not handle raises
``Unsupported`` and the file goes through pydicom instead.
"""

from __future__ import annotations

import functools
import os
import re
import struct
from collections.abc import Iterator
from typing import BinaryIO, Final, NamedTuple

from oncoroute.deid import dictionary, keyed, scrub
from oncoroute.deid.pixels import LONG_LENGTH_VRS, PIXEL_TAGS, PixelSpan, pixel_element_span
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

_PREAMBLE: Final = b"\x00" * 128 + b"DICM"
_FIRST_READ: Final = 16 * 1024
_UNDEFINED: Final = 0xFFFFFFFF
_ITEM: Final = 0xFFFEE000
_ITEM_END: Final = 0xFFFEE00D
_SEQUENCE_END: Final = 0xFFFEE0DD
_VRS: Final = frozenset(
    b"AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL "
    b"UN UR US UT UV".split()
)
_VR_NAMES: Final = {code: code.decode("ascii") for code in _VRS}
_SINGLE_VALUED: Final = frozenset({"LT", "ST", "UT", "UR"})
_CHARSETS: Final = {b"": "latin-1", b"ISO_IR 100": "latin-1", b"ISO_IR 6": "latin-1"}
_UTF8_CHARSET: Final = b"ISO_IR 192"
_NUMERIC_FORMAT: Final = {
    "US": "<H",
    "SS": "<h",
    "UL": "<I",
    "SL": "<i",
    "FL": "<f",
    "FD": "<d",
    "UV": "<Q",
    "SV": "<q",
}

_PATIENT_NAME: Final = 0x00100010
_PATIENT_ID: Final = 0x00100020
_STUDY_ID: Final = 0x00200010
_STUDY_UID: Final = 0x0020000D
_SOP_CLASS: Final = 0x00080016
_SOP_INSTANCE: Final = 0x00080018
_MODALITY: Final = 0x00080060
_BURNED_IN: Final = 0x00280301
_CHARSET: Final = 0x00080005
_DIRECTORY_RECORDS: Final = 0x00041220
# Set whatever the object held; the other two would need their earlier entries kept.
_REPLACED_MARKS: Final = frozenset({0x00120062, 0x00280303})
_APPENDED_MARKS: Final = frozenset({0x00120063, 0x00120064})
_WATCHED: Final = frozenset(
    {_CHARSET, _DIRECTORY_RECORDS, _SOP_CLASS, _MODALITY, _BURNED_IN, _PATIENT_ID}
)
_LOOKED_AT: Final = _WATCHED | _REPLACED_MARKS
_PSEUDONYMISED: Final = frozenset({_PATIENT_NAME, _PATIENT_ID, _STUDY_ID})
_DATE_VRS: Final = frozenset({"DA", "DT"})
_REMOVING: Final = frozenset({"X", "Z", "D"})
_REMOVING_OR_REPLACED: Final = _REMOVING | {"U"}
# Replaced like any UID, but remembered for the walk: not rewritten from a cache.
_SETS_STATE: Final = frozenset({_STUDY_UID, _SOP_INSTANCE})
_ITEM_START: Final = struct.pack("<HHI", 0xFFFE, 0xE000, 0xFFFFFFFF)
_ITEM_STOP: Final = struct.pack("<HHI", 0xFFFE, 0xE00D, 0)
_SEQUENCE_STOP: Final = struct.pack("<HHI", 0xFFFE, 0xE0DD, 0)
_MEDIA_STORAGE_DIRECTORY: Final = "1.2.840.10008.1.3.10"

_HEAD: Final = struct.Struct("<HH")
_IMPLICIT: Final = struct.Struct("<HHI")
_SHORT: Final = struct.Struct("<HH2sH")
_LONG: Final = struct.Struct("<HH2s2xI")
_UINT32: Final = struct.Struct("<I")


class Unsupported(Exception):
    """This file needs the general path through pydicom (odd encoding, odd content)."""


class _NeedMore(Exception):
    """The header runs past the bytes read so far."""


class DirectResult(NamedTuple):
    """A de-identified header ready to write, and where its pixels are in the source."""

    header: bytes
    pixel_span: PixelSpan | None
    sop_instance_uid: str
    hold_back_reason: str | None
    patient_id: str


class _Slot:
    """Output bytes decided after the walk (cleaned text, pseudonyms, private creators)."""

    __slots__ = ("data",)

    def __init__(self) -> None:
        self.data = b""


def deidentify_header(fp: BinaryIO, options: DeidOptions) -> DirectResult:
    """De-identify the Part 10 file open as ``fp`` (at offset 0) per PS3.15 Annex E.

    Raises ``Unsupported`` when the file must go through pydicom instead.
    """
    size = os.fstat(fp.fileno()).st_size
    buf = fp.read(_FIRST_READ)
    while True:
        try:
            return _deidentify(fp, buf, size, options)
        except (UnicodeError, struct.error):
            raise Unsupported("a value this path cannot encode") from None
        except _NeedMore:
            if len(buf) >= size:
                raise Unsupported("the header ends early") from None
            buf += fp.read(len(buf))


def read_patient_id(fp: BinaryIO) -> str:
    """The Patient ID of the Part 10 file open as ``fp`` (at offset 0), as pydicom reads it.

    The header is read as ``deidentify_header`` reads it, with a throwaway
    secret. Raises ``Unsupported`` when pydicom must read the file instead.
    """
    try:
        return deidentify_header(fp, DeidOptions(secret=b"read only", date_shift_days=0)).patient_id
    finally:
        clear_caches()


def _deidentify(fp: BinaryIO, buf: bytes, size: int, options: DeidOptions) -> DirectResult:
    meta, start = _read_meta(buf)
    syntax = _syntax(meta.get(0x00020010, ""))
    implicit = dictionary.is_implicit_vr(syntax)
    _check_first_element(buf, start, implicit)
    walker = _Walker(buf, implicit, options, complete=len(buf) >= size)
    pixel_at = walker.top_level(start)
    walker.finish()
    span = None
    if pixel_at is not None:
        span = pixel_element_span(fp, pixel_at)
        if span is None or span.explicit_vr == implicit:
            raise Unsupported("pixel data encoded unlike the dataset")
    values = walker.recorded
    sop_class, new_instance = values.get(_SOP_CLASS, ""), walker.new_sop_instance
    if not sop_class or not new_instance or meta.get(0x00020002) == _MEDIA_STORAGE_DIRECTORY:
        raise Unsupported("not a plain instance")
    original_meta_instance = meta.get(0x00020003, "")
    meta_instance = (
        _map_uid(options.secret, original_meta_instance) if original_meta_instance else new_instance
    )
    header = _PREAMBLE + encode_meta(sop_class, meta_instance, syntax) + walker.output()
    reason = hold_back_reason_of(values.get(_BURNED_IN, ""), values.get(_MODALITY, ""), sop_class)
    return DirectResult(header, span, new_instance, reason, values.get(_PATIENT_ID, ""))


def _read_meta(buf: bytes) -> tuple[dict[int, str], int]:
    """File Meta Information (PS3.10 7.1): always Explicit VR Little Endian."""
    if buf[128:132] != b"DICM":
        raise Unsupported("no Part 10 preamble")
    meta: dict[int, str] = {}
    pos = 132
    while True:
        if pos + 8 > len(buf):
            raise _NeedMore
        group, element = _HEAD.unpack_from(buf, pos)
        if group != 2:
            return meta, pos
        vr = buf[pos + 4 : pos + 6]
        if vr not in _VRS:
            raise Unsupported("odd file meta information")
        if vr in LONG_LENGTH_VRS:
            (length,) = _UINT32.unpack_from(buf, pos + 8)
            value_at = pos + 12
        else:
            length = _SHORT.unpack_from(buf, pos)[3]
            value_at = pos + 8
        if length == _UNDEFINED:
            raise Unsupported("odd file meta information")
        if vr == b"UI":
            meta[element | 0x00020000] = _text(buf[value_at : value_at + length]).rstrip("\x00 ")
        pos = value_at + length


@functools.lru_cache(maxsize=1 << 13)
def _syntax(uid: str) -> str:
    syntax = uid.strip()  # as pydicom's UID reads it
    if not uid or not dictionary.is_transfer_syntax(syntax):
        raise Unsupported("unknown transfer syntax")
    if dictionary.is_deflated(syntax) or dictionary.is_big_endian(syntax):
        raise Unsupported("deflated or big-endian transfer syntax")
    return syntax


def _check_first_element(buf: bytes, pos: int, implicit: bool) -> None:
    """Files whose dataset contradicts their transfer syntax exist (pydicom warns)."""
    if pos + 8 > len(buf):
        raise _NeedMore
    looks_explicit = buf[pos + 4 : pos + 6] in _VRS
    if looks_explicit == implicit:
        raise Unsupported("dataset encoded unlike its transfer syntax")


def _text(data: bytes, encoding: str = "latin-1") -> str:
    return data.decode(encoding, errors="replace")


def encode_meta(sop_class: str, sop_instance: str, syntax: str) -> bytes:
    """File Meta Information as pydicom's ``write_file_meta_info`` writes it (PS3.10 7.1)."""
    version = f"PYDICOM {dictionary.pydicom_version()}"[:16]
    elements = b"".join(
        (
            _encode(0x00020001, "OB", b"\x00\x01", implicit=False),
            _encode(0x00020002, "UI", sop_class.encode("ascii"), implicit=False),
            _encode(0x00020003, "UI", sop_instance.encode("ascii"), implicit=False),
            _encode(0x00020010, "UI", syntax.encode("ascii"), implicit=False),
            _encode(
                0x00020012, "UI", dictionary.IMPLEMENTATION_UID.encode("ascii"), implicit=False
            ),
            _encode(0x00020013, "SH", version.encode("ascii"), implicit=False),
        )
    )
    return _encode(0x00020000, "UL", _UINT32.pack(len(elements)), implicit=False) + elements


def _encode(tag: int, vr: str, data: bytes, *, implicit: bool) -> bytes:
    if len(data) % 2:
        data += b"\x00" if vr == "UI" else b" "
    return _element_header(tag, vr, len(data), implicit=implicit) + data


def _element_header(tag: int, vr: str, length: int, *, implicit: bool) -> bytes:
    group, element = tag >> 16, tag & 0xFFFF
    if implicit:
        return _IMPLICIT.pack(group, element, length)
    code = vr.encode("ascii")
    if code in LONG_LENGTH_VRS:
        return _LONG.pack(group, element, code, length)
    if length > 0xFFFF:
        raise Unsupported("value too long for its VR")
    return _SHORT.pack(group, element, code, length)


@functools.cache
def _marks(implicit: bool) -> tuple[tuple[int, bytes], ...]:
    """The marking elements of PS3.15 E.1.1 and E.3.6, in tag order."""
    codes = method_codes_value(implicit)
    return (
        (0x00120062, _encode(0x00120062, "CS", b"YES", implicit=implicit)),
        (0x00120063, _encode(0x00120063, "LO", METHOD_TEXT.encode("ascii"), implicit=implicit)),
        (
            0x00120064,
            _element_header(0x00120064, "SQ", len(codes), implicit=implicit) + codes,
        ),
        (0x00280303, _encode(0x00280303, "CS", b"MODIFIED", implicit=implicit)),
    )


def method_codes_value(implicit: bool) -> bytes:
    """The items of (0012,0064) with our CID 7050 codes, as pydicom's ``write_sequence`` writes
    them: items of defined length holding Code Value, Coding Scheme Designator, Code Meaning."""
    items = []
    for value, meaning in METHOD_CODES:
        item = b"".join(
            (
                _encode(0x00080100, "SH", value.encode("ascii"), implicit=implicit),
                _encode(0x00080102, "SH", b"DCM", implicit=implicit),
                _encode(0x00080104, "LO", meaning.encode("ascii"), implicit=implicit),
            )
        )
        items.append(_IMPLICIT.pack(0xFFFE, 0xE000, len(item)) + item)
    return b"".join(items)


# The instances of a study share most UIDs, names, dates and descriptors:
# each is hashed, tokenised or cleaned once per process.
_map_uid: Final = functools.lru_cache(maxsize=1 << 14)(keyed.map_uid)
_pseudonym: Final = functools.lru_cache(maxsize=1 << 10)(keyed.pseudonym)
_clean_text: Final = functools.lru_cache(maxsize=1 << 12)(scrub.clean_text)


# Encoded element, character set, implicit VR, options → its output and the values it removed.
_rewritten: Final[dict[tuple[bytes, str, bool, DeidOptions], tuple[bytes, list[str]]]] = {}
_MAX_REWRITTEN: Final = 1 << 14


def clear_caches() -> None:
    """Forget the cached values: they include identifying text of the last study."""
    for cached in (_map_uid, _pseudonym, _clean_text, _token_pattern):
        cached.cache_clear()
    _rewritten.clear()


@functools.lru_cache(maxsize=1 << 8)
def _token_pattern(removed: frozenset[str]) -> re.Pattern[str] | None:
    return scrub.token_pattern(scrub.identifying_tokens(removed))


@functools.lru_cache(maxsize=1 << 13)
def _action(tag: int, vr: str) -> str:
    code = ACTIONS.get(tag)
    return simple_action(code) if code else default_action(tag, vr)


@functools.lru_cache(maxsize=1 << 13)
def _kept_public(tag: int, vr: str) -> bool:
    """Whether a public element goes to the output exactly as read."""
    if not tag & 0xFFFF or tag >> 24 in (0x50, 0x60) or tag in _PSEUDONYMISED or vr == "SQ":
        return False
    if tag >> 16 == 0xFFFE:
        return False
    action = _action(tag, vr)
    if action == "K":
        return True
    if action == "U":
        return vr != "UI"
    if action == "C":
        return vr not in _DATE_VRS and vr not in TEXT_VRS
    return False


@functools.lru_cache(maxsize=1 << 13)
def _dictionary_vr(tag: int) -> str:
    try:
        return dictionary.vr_of_tag(tag)
    except KeyError:
        return "UN"


class _Element(NamedTuple):
    tag: int
    vr: str
    start: int
    value_start: int
    value_end: int
    end: int
    items: list[tuple[int, int | None]] | None


class _Walker:
    """One pass over the encoded dataset, writing the de-identified encoding to ``out``."""

    def __init__(self, buf: bytes, implicit: bool, options: DeidOptions, *, complete: bool):
        self.buf = buf
        self.implicit = implicit
        self.options = options
        self.complete = complete
        self.encoding = "latin-1"
        self.out: list[bytes | _Slot] = []
        self.removed: list[str] = []
        self.pending: list[tuple[_Slot, _Element]] = []
        self.patient_slots: list[tuple[_Slot, _Element]] = []
        self.recorded: dict[int, str] = {}
        self.new_sop_instance = ""

    # Reading

    def element(self, pos: int) -> _Element:
        buf = self.buf
        if pos + 8 > len(buf):
            raise _NeedMore
        group, number = _HEAD.unpack_from(buf, pos)
        tag = group << 16 | number
        if group == 0xFFFE:
            raise Unsupported("item or delimiter outside a sequence")
        if self.implicit:
            (length,) = _UINT32.unpack_from(buf, pos + 4)
            value_start = pos + 8
            vr = "UN" if group & 1 and number > 0xFF else _dictionary_vr(tag)
            if group & 1 and 0x10 <= number <= 0xFF:
                vr = "LO"
        else:
            code = buf[pos + 4 : pos + 6]
            found = _VR_NAMES.get(code)
            if found is None:
                raise Unsupported("unknown VR")
            vr = found
            if code in LONG_LENGTH_VRS:
                if pos + 12 > len(buf):
                    raise _NeedMore
                (length,) = _UINT32.unpack_from(buf, pos + 8)
                value_start = pos + 12
            else:
                length = _SHORT.unpack_from(buf, pos)[3]
                value_start = pos + 8
        if length == _UNDEFINED or vr == "SQ":
            return self._sequence_element(tag, vr, pos, value_start, length)
        end = value_start + length
        if end > len(buf):
            raise _NeedMore
        return _Element(tag, vr, pos, value_start, end, end, None)

    def _sequence_element(
        self, tag: int, vr: str, pos: int, value_start: int, length: int
    ) -> _Element:
        if vr != "SQ":
            # Implicit VR private data of undefined length is a sequence when
            # items follow, as pydicom reads it; anything else is left to pydicom.
            private = tag >> 16 & 1
            if not (self.implicit and private and self._next_is_item(value_start)):
                raise Unsupported("undefined length outside a sequence")
            vr = "SQ"
        items, value_end, end = self._items(value_start, length)
        return _Element(tag, vr, pos, value_start, value_end, end, items)

    def _items(self, pos: int, length: int) -> tuple[list[tuple[int, int | None]], int, int]:
        """Item content ranges (end None: up to its delimiter), value end, element end."""
        items: list[tuple[int, int | None]] = []
        end = None if length == _UNDEFINED else pos + length
        while end is None or pos < end:
            if pos + 8 > len(self.buf):
                raise _NeedMore
            group, number, item_length = _IMPLICIT.unpack_from(self.buf, pos)
            item_tag = group << 16 | number
            if item_tag == _SEQUENCE_END and end is None:
                return items, pos, pos + 8
            if item_tag != _ITEM:
                raise Unsupported("unexpected tag in a sequence")
            if item_length == _UNDEFINED:
                items.append((pos + 8, None))
                pos = self._item_end(pos + 8)
            else:
                items.append((pos + 8, pos + 8 + item_length))
                pos += 8 + item_length
        if pos != end:
            raise Unsupported("sequence length mismatch")
        return items, pos, pos

    def _next_is_item(self, pos: int) -> bool:
        if pos + 4 > len(self.buf):
            raise _NeedMore
        group, number = _HEAD.unpack_from(self.buf, pos)
        return bool((group << 16 | number) == _ITEM)

    def _item_end(self, pos: int) -> int:
        """The position after the Item Delimitation Item of an undefined-length item."""
        while True:
            if pos + 8 > len(self.buf):
                raise _NeedMore
            group, number = _HEAD.unpack_from(self.buf, pos)
            if (group << 16 | number) == _ITEM_END:
                return pos + 8
            pos = self.element(pos).end

    def children(self, pos: int, end: int | None) -> Iterator[_Element]:
        """The elements of one item (``end`` None: up to its Item Delimitation Item)."""
        while end is None or pos < end:
            if pos + 4 > len(self.buf):
                raise _NeedMore
            group, number = _HEAD.unpack_from(self.buf, pos)
            if end is None and (group << 16 | number) == _ITEM_END:
                return
            elem = self.element(pos)
            yield elem
            pos = elem.end

    # Walking

    def top_level(self, pos: int) -> int | None:
        """Walk the top-level dataset; return the offset of its pixel data element, if any."""
        buf, out, marks = self.buf, self.out, list(_marks(self.implicit))
        level = _Level(top=True)
        run, last = pos, -1
        pixel_at = None
        while True:
            if pos >= len(buf) and self.complete:
                break
            if pos + 4 > len(buf):
                raise _NeedMore
            group, number = _HEAD.unpack_from(buf, pos)
            tag = group << 16 | number
            if tag in PIXEL_TAGS:
                pixel_at = pos
                break
            if tag <= last or tag in _APPENDED_MARKS:
                raise Unsupported("elements out of order, or de-identified before")
            last = tag
            if marks and marks[0][0] <= tag:
                out.append(buf[run:pos])
                run = pos
                while marks and marks[0][0] <= tag:
                    out.append(marks.pop(0)[1])
            elem = self._next(pos, tag)
            if isinstance(elem, int):
                pos = elem
                continue
            if tag in _WATCHED:
                self._watch(elem)
            pos = elem.end
            if tag in _REPLACED_MARKS:
                run = pos
            elif not self.keeps(elem, level):
                out.append(buf[run : elem.start])
                run = pos
                self.rewrite(elem, level)
        out.append(buf[run:pos])
        out.extend(data for _, data in marks)
        self._close(level)
        return pixel_at

    def item(self, pos: int, end: int | None) -> None:
        buf, out = self.buf, self.out
        level = _Level(top=False)
        run, last = pos, -1
        while end is None or pos < end:
            if pos + 4 > len(buf):
                raise _NeedMore
            group, number = _HEAD.unpack_from(buf, pos)
            tag = group << 16 | number
            if end is None and tag == _ITEM_END:
                break
            if tag <= last:
                raise Unsupported("elements out of order")
            last = tag
            elem = self._next(pos, tag)
            if isinstance(elem, int):
                pos = elem
                continue
            if not self.keeps(elem, level):
                out.append(buf[run:pos])
                run = elem.end
                self.rewrite(elem, level)
            pos = elem.end
        if end is not None and pos != end:
            raise Unsupported("item length mismatch")
        out.append(buf[run:pos])
        self._close(level)

    def _next(self, pos: int, tag: int) -> int | _Element:
        """The element at ``pos``, or only where it ends when it is copied as read.

        Most elements of a header are kept as they are; this skips them
        without building an ``_Element``, reading each header once.
        """
        buf = self.buf
        if tag >> 16 & 1 or tag in _LOOKED_AT or tag >> 16 == 0xFFFE or pos + 12 > len(buf):
            return self.element(pos)
        if self.implicit:
            vr = _dictionary_vr(tag)
            (length,) = _UINT32.unpack_from(buf, pos + 4)
            start = pos + 8
        else:
            code = buf[pos + 4 : pos + 6]
            found = _VR_NAMES.get(code)
            if found is None:
                return self.element(pos)
            vr = found
            if code in LONG_LENGTH_VRS:
                (length,) = _UINT32.unpack_from(buf, pos + 8)
                start = pos + 12
            else:
                length = _SHORT.unpack_from(buf, pos)[3]
                start = pos + 8
        if length == _UNDEFINED or vr == "SQ":
            return self._sequence_element(tag, vr, pos, start, length)
        end: int = start + length
        if end > len(buf):
            raise _NeedMore
        if _kept_public(tag, vr):
            return end
        return _Element(tag, vr, pos, start, end, end, None)

    def _close(self, level: _Level) -> None:
        """Private creators stay only for blocks with a kept element (PS3.15 E.3.10)."""
        for block, slot, elem in level.creator_slots:
            if block in level.kept_blocks:
                slot.data = self.buf[elem.start : elem.end]

    def _watch(self, elem: _Element) -> None:
        data = self.value(elem)
        if elem.tag == _DIRECTORY_RECORDS:
            raise Unsupported("a media directory")
        if elem.tag == _CHARSET:
            charset = data.rstrip(b"\x00 ")
            if charset == _UTF8_CHARSET:
                self.encoding = "utf-8"
            elif charset not in _CHARSETS:
                raise Unsupported("character set handled by pydicom")
            return
        self.recorded[elem.tag] = _text(data, self.encoding).rstrip("\x00 ")

    def value(self, elem: _Element) -> bytes:
        return self.buf[elem.value_start : elem.value_end]

    def keeps(self, elem: _Element, level: _Level) -> bool:
        """True when ``elem`` goes to the output exactly as read."""
        tag, vr = elem.tag, elem.vr
        group, number = tag >> 16, tag & 0xFFFF
        if group & 1:
            if 0x10 <= number <= 0xFF:
                text = _text(self.value(elem), self.encoding).rstrip("\x00 ").strip()
                level.creators[(group, number)] = text
                return False
            block = (group, number >> 8)
            creator = level.creators.get(block)
            if creator and (creator, group, number & 0xFF) in SAFE_PRIVATE_ELEMENTS:
                level.kept_blocks.add(block)
                return True
            return False
        return _kept_public(tag, vr)

    def rewrite(self, elem: _Element, level: _Level) -> None:
        """Append what replaces ``elem`` (nothing when it is removed)."""
        tag, vr = elem.tag, elem.vr
        if tag >> 16 & 1:
            self._private(elem, level)
            return
        if not tag & 0xFFFF or tag >> 24 in (0x50, 0x60):
            # Group lengths go stale; curves and overlays are X in Table E.1-1.
            return
        action = _action(tag, vr)
        if tag in _PSEUDONYMISED:
            self._pseudonymise(elem, level)
        elif vr == "SQ":
            self._sequence(elem, action)
        elif tag not in _SETS_STATE and (action in _REMOVING_OR_REPLACED or vr in _DATE_VRS):
            self._rewrite_alike(elem, action, level)
        else:
            self._rewrite_once(elem, action, level)

    def _rewrite_alike(self, elem: _Element, action: str, level: _Level) -> None:
        """Rewrite an element whose result depends on its encoded bytes alone.

        The instances of a study repeat most such elements (dates, UIDs, removed
        names), so each distinct one is rewritten once per process.
        """
        key = (self.buf[elem.start : elem.end], self.encoding, self.implicit, self.options)
        known = _rewritten.get(key)
        if known is None:
            out_from, removed_from = len(self.out), len(self.removed)
            self._rewrite_once(elem, action, level)
            written = b"".join(p for p in self.out[out_from:] if isinstance(p, bytes))
            del self.out[out_from:]
            known = (written, self.removed[removed_from:])
            if len(_rewritten) >= _MAX_REWRITTEN:
                _rewritten.clear()
            _rewritten[key] = known
        else:
            self.removed.extend(known[1])
        if known[0]:
            self.out.append(known[0])

    def _rewrite_once(self, elem: _Element, action: str, level: _Level) -> None:
        if action == "X":
            self._remember_raw(elem)
        elif action == "Z":
            self._remember_raw(elem)
            self.put(elem.tag, elem.vr, b"")
        elif action == "D":
            self._dummy(elem, level)
        elif action == "U":
            self._replace_uids(elem, level)
        elif elem.vr in _DATE_VRS:
            self._shift_dates(elem)
        else:
            slot = _Slot()
            self.out.append(slot)
            self.pending.append((slot, elem))

    def put(self, tag: int, vr: str, data: bytes) -> None:
        self.out.append(_encode(tag, vr, data, implicit=self.implicit))

    def _private(self, elem: _Element, level: _Level) -> None:
        number = elem.tag & 0xFFFF
        if 0x10 <= number <= 0xFF:
            slot = _Slot()
            self.out.append(slot)
            level.creator_slots.append(((elem.tag >> 16, number), slot, elem))
        elif elem.vr == "SQ":
            self._remember_items(elem)
        else:
            self.removed.extend(private_bytes_text(self.value(elem)))

    def _sequence(self, elem: _Element, action: str) -> None:
        if action in _REMOVING:
            self._remember_items(elem)
        if action == "X":
            return
        if action in _REMOVING:
            # Items of a removed sequence cannot be made safe generically.
            self.out.append(_element_header(elem.tag, "SQ", 0, implicit=self.implicit))
            return
        self.out.append(_element_header(elem.tag, "SQ", _UNDEFINED, implicit=self.implicit))
        for start, end in elem.items or ():
            self.out.append(_ITEM_START)
            self.item(start, end)
            self.out.append(_ITEM_STOP)
        self.out.append(_SEQUENCE_STOP)

    def _pseudonymise(self, elem: _Element, level: _Level) -> None:
        self._remember_raw(elem)
        if elem.tag == _STUDY_ID:
            value = _pseudonym(self.options.secret, "study", level.study_uid, 8)
            self.put(elem.tag, elem.vr, value.encode("ascii"))
            return
        slot = _Slot()
        self.out.append(slot)
        self.patient_slots.append((slot, elem))

    def _dummy(self, elem: _Element, level: _Level) -> None:
        vr = elem.vr
        if vr == "UI":
            self._replace_uids(elem, level)
            return
        if " or " in vr:
            raise Unsupported("ambiguous VR")
        self._remember_converted(elem)
        if vr in DUMMY:
            data = str(DUMMY[vr]).encode("ascii")
        elif vr in TEXT_VRS:
            data = DUMMY_TEXT.encode("ascii")
        elif vr in NUMERIC_VRS:
            data = struct.pack(_NUMERIC_FORMAT[vr], 0)
        else:
            data = b""
        self.put(elem.tag, vr, data)

    def _replace_uids(self, elem: _Element, level: _Level) -> None:
        originals = self._strings(elem)
        mapped = [_map_uid(self.options.secret, uid) for uid in originals]
        if elem.tag == _STUDY_UID or (level.top and elem.tag == _SOP_INSTANCE):
            if len(mapped) > 1:
                raise Unsupported("multi-valued instance UID")
            new = mapped[0] if mapped else ""
            if elem.tag == _STUDY_UID:
                level.study_uid = new
            else:
                self.new_sop_instance = new
        if not originals:
            self.out.append(self.buf[elem.start : elem.end])
            return
        self.put(elem.tag, "UI", "\\".join(mapped).encode("ascii"))

    def _shift_dates(self, elem: _Element) -> None:
        originals = self._strings(elem)
        if not originals:
            self.out.append(self.buf[elem.start : elem.end])
            return
        self.removed.extend(originals)
        shift = keyed.shift_da if elem.vr == "DA" else keyed.shift_dt
        try:
            shifted = [shift(v, self.options.date_shift_days) for v in originals]
        except ValueError:
            # A value that is not a valid date cannot be shifted: it goes.
            shifted = []
        self.put(elem.tag, elem.vr, "\\".join(shifted).encode("ascii"))

    # What was removed, to clean free text with (E.3.5)

    def _strings(self, elem: _Element) -> list[str]:
        """Values as the raw element reads: split, stripped, empty ones dropped."""
        text = _text(self.value(elem), self.encoding)
        return [part.strip("\x00 ") for part in text.split("\\") if part.strip("\x00 ")]

    def _remember_raw(self, elem: _Element) -> None:
        if elem.vr in REMEMBERED_VRS:
            self.removed.extend(self._strings(elem))

    def _remember_converted(self, elem: _Element) -> None:
        if elem.vr in REMEMBERED_VRS:
            self.removed.extend(self._text_values(elem))

    def _remember_items(self, elem: _Element) -> None:
        for start, end in elem.items or ():
            for child in self.children(start, end):
                group, number = child.tag >> 16, child.tag & 0xFFFF
                if self.implicit and group & 1 and number > 0xFF:
                    # pydicom would look the VR up in its private dictionary.
                    raise Unsupported("implicit VR private element in a removed sequence")
                if child.vr == "SQ":
                    self._remember_items(child)
                else:
                    self._remember_converted(child)

    def _text_values(self, elem: _Element) -> list[str]:
        """Values as pydicom decodes them (PS3.5 6.2: LT, ST, UT and UR hold one value)."""
        text = _text(self.value(elem), self.encoding)
        if elem.vr in _SINGLE_VALUED:
            return [text.rstrip("\x00 ")]
        return [part.rstrip("\x00 ") for part in text.split("\\")]

    # After the walk

    def finish(self) -> None:
        """Fill the slots: cleaned descriptors and the patient pseudonym."""
        patient_id = self.recorded.get(_PATIENT_ID, "")
        if "\\" in patient_id:
            raise Unsupported("multi-valued Patient ID")
        pseudonym = _pseudonym(self.options.secret, "patient", patient_id, 12)
        for slot, elem in self.patient_slots:
            slot.data = _encode(
                elem.tag, elem.vr, pseudonym.encode("ascii"), implicit=self.implicit
            )
        if not self.pending:
            return
        tokens = _token_pattern(frozenset(self.removed))
        for slot, elem in self.pending:
            values = self._text_values(elem)
            if values == [""]:
                slot.data = self.buf[elem.start : elem.end]
                continue
            limit = MAX_LENGTH.get(elem.vr)
            cleaned = "\\".join(_clean_text(v, tokens)[:limit] for v in values)
            slot.data = _encode(
                elem.tag, elem.vr, cleaned.encode(self.encoding), implicit=self.implicit
            )

    def output(self) -> bytes:
        return b"".join(part if isinstance(part, bytes) else part.data for part in self.out)


class _Level:
    """What one dataset level (the top level or an item) needs to remember."""

    __slots__ = ("creator_slots", "creators", "kept_blocks", "study_uid", "top")

    def __init__(self, *, top: bool) -> None:
        self.top = top
        self.creators: dict[tuple[int, int], str] = {}
        self.creator_slots: list[tuple[tuple[int, int], _Slot, _Element]] = []
        self.kept_blocks: set[tuple[int, int]] = set()
        self.study_uid = ""
