"""Where the pixel data element sits in a file, and copying it byte for byte.

The de-identified header is written by pydicom; the pixel data element (tag,
length and value, native or encapsulated, PS3.5 7.1 and A.4) is then copied
from the source file by offset, so pixels never pass through Python objects
and stay identical (pixels are out of scope of the Basic Profile, E.2).
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO, Final, NamedTuple

PIXEL_TAGS: Final = frozenset({0x7FE00010, 0x7FE00009, 0x7FE00008})
LONG_LENGTH_VRS: Final = frozenset(
    {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR", b"UT", b"UV"}
)
_UNDEFINED: Final = 0xFFFFFFFF
_ITEM: Final = (0xFFFE, 0xE000)
_SEQUENCE_END: Final = (0xFFFE, 0xE0DD)
_COPY_CHUNK: Final = 1 << 20


class DeidFileError(ValueError):
    """A problem with one input file, described without quoting its values."""


class TruncatedFileError(DeidFileError):
    """The file ends inside its pixel data element."""


class PixelSpan(NamedTuple):
    """Byte range of a pixel data element, and how its header is encoded."""

    start: int
    end: int
    explicit_vr: bool


def pixel_element_span(fp: BinaryIO, start: int) -> PixelSpan | None:
    """Return the span of the little-endian pixel data element at ``start``, or None.

    None means no pixel data element begins at ``start``. The encoding is read
    from the element itself: files whose dataset contradicts their transfer
    syntax exist. Raises TruncatedFileError when the element runs past the end
    of the file.
    """
    size = os.fstat(fp.fileno()).st_size
    fp.seek(start)
    head = fp.read(8)
    if len(head) < 8:
        return None
    group, element = struct.unpack("<HH", head[:4])
    if (group << 16 | element) not in PIXEL_TAGS:
        return None
    # Pixel data is always OB, OW, OF, OD or UN, all with 4-byte lengths.
    explicit_vr = head[4:6] in LONG_LENGTH_VRS
    if explicit_vr:
        (length,) = struct.unpack("<I", _read_exact(fp, 4))
        value_start = start + 12
    else:
        (length,) = struct.unpack("<I", head[4:8])
        value_start = start + 8
    end = _encapsulated_end(fp, value_start) if length == _UNDEFINED else value_start + length
    if end > size:
        raise TruncatedFileError(f"pixel data ends at byte {end}, the file at {size}")
    return PixelSpan(start, end, explicit_vr)


def _encapsulated_end(fp: BinaryIO, position: int) -> int:
    """Walk the items of encapsulated pixel data up to its Sequence Delimiter."""
    while True:
        fp.seek(position)
        group, element, length = struct.unpack("<HHI", _read_exact(fp, 8))
        position += 8
        if (group, element) == _SEQUENCE_END:
            return position
        if (group, element) != _ITEM:
            raise ValueError(f"unexpected tag ({group:04X},{element:04X}) in encapsulated pixels")
        position += length


def _read_exact(fp: BinaryIO, count: int) -> bytes:
    data = fp.read(count)
    if len(data) != count:
        raise TruncatedFileError("the file ends inside its pixel data element")
    return data


def copy_range(src: BinaryIO, dst: BinaryIO, start: int, end: int) -> None:
    """Append bytes [start, end) of ``src`` to ``dst`` in the kernel where possible."""
    dst.flush()
    src_fd, dst_fd = src.fileno(), dst.fileno()
    offset, remaining = start, end - start
    try:
        while remaining > 0:
            sent = os.sendfile(dst_fd, src_fd, offset, remaining)
            if sent == 0:
                raise TruncatedFileError("the source file shrank while being copied")
            offset += sent
            remaining -= sent
    except OSError as exc:
        if exc.errno is None or offset != start:
            raise
        _copy_by_reading(src, dst, start, end)
    else:
        dst.seek(0, os.SEEK_END)


def _copy_by_reading(src: BinaryIO, dst: BinaryIO, start: int, end: int) -> None:
    src.seek(start)
    remaining = end - start
    while remaining > 0:
        chunk = src.read(min(_COPY_CHUNK, remaining))
        if not chunk:
            raise TruncatedFileError("the source file shrank while being copied")
        dst.write(chunk)
        remaining -= len(chunk)
