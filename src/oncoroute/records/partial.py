"""Partial uploads on local disk, sealed block by block with the case's data key as they arrive.

A partial file is a header (magic, data key id) and then one record per block received: the
block's length and the block sealed with AES-GCM (``privacy.crypto.seal``), whose associated
data is the upload id and the block's offset, so that a block cannot be moved, swapped or
taken from another upload without an error. Nothing of an upload lies on disk in plain text
while it waits for its next chunk, and the file is readable by the service's user only.
"""

from __future__ import annotations

import bisect
import io
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.utils.translation import gettext_noop

from oncoroute.privacy import crypto
from oncoroute.records.content import RecordRefused

MAGIC = b"ORP1"
_HEADER = struct.Struct(">4sQ")
_LENGTH = struct.Struct(">I")
_SEALING = crypto.NONCE + crypto.TAG


class PartialDamaged(RecordRefused):
    """The partial file does not hold what the upload says arrived: altered or cut short."""

    def __init__(self) -> None:
        super().__init__(
            gettext_noop("What arrived of this file was damaged; please upload it again.")
        )


@dataclass(frozen=True)
class Sealer:
    """The data key of the upload's case, and the upload it seals blocks for."""

    key: bytes = field(repr=False)
    key_id: int
    upload_id: str

    def aad(self, offset: int, length: int) -> bytes:
        return f"partial|{self.upload_id}|{offset}|{length}".encode()


def create(path: Path, sealer: Sealer) -> None:
    """An empty partial file, readable and writable by the service's user only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fp:
        fp.write(_HEADER.pack(MAGIC, sealer.key_id))


def _check_header(fp: IO[bytes], sealer: Sealer) -> None:
    fp.seek(0)
    header = fp.read(_HEADER.size)
    if len(header) != _HEADER.size or _HEADER.unpack(header) != (MAGIC, sealer.key_id):
        raise PartialDamaged


def _records(fp: IO[bytes], sealer: Sealer, upto: int) -> list[tuple[int, int, int]]:
    """(offset, position of the sealed block, length) of the records holding ``upto`` bytes."""
    _check_header(fp, sealer)
    size = os.fstat(fp.fileno()).st_size
    records, held = [], 0
    while held < upto:
        head = fp.read(_LENGTH.size)
        if len(head) != _LENGTH.size:
            raise PartialDamaged
        (length,) = _LENGTH.unpack(head)
        if not length:
            raise PartialDamaged
        records.append((held, fp.tell(), length))
        fp.seek(length + _SEALING, io.SEEK_CUR)
        held += length
    if held != upto or fp.tell() > size:
        raise PartialDamaged
    return records


def seek_after(fp: IO[bytes], sealer: Sealer, offset: int) -> None:
    """Move ``fp`` to just after the records that hold the first ``offset`` bytes."""
    _records(fp, sealer, offset)


def append(fp: IO[bytes], sealer: Sealer, offset: int, block: bytes) -> None:
    """Seal ``block``, which starts at ``offset`` of the upload, and write it where ``fp`` is."""
    sealed = crypto.seal(sealer.key, block, sealer.aad(offset, len(block)))
    record = memoryview(_LENGTH.pack(len(block)) + sealed)
    while record:  # an unbuffered file may take part of it; a full disk then raises
        record = record[fp.write(record) :]


class PartialReader(io.RawIOBase):
    """A seekable, read-only view of the ``size`` bytes a partial file holds."""

    def __init__(self, raw: IO[bytes], sealer: Sealer, size: int) -> None:
        super().__init__()
        self._raw = raw
        self._sealer = sealer
        self._records = _records(raw, sealer, size)
        self._offsets = [offset for offset, _, _ in self._records]
        self.size = size
        self._pos = 0
        self._loaded: tuple[int, bytes] = (-1, b"")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def _block(self, index: int) -> bytes:
        if self._loaded[0] != index:
            offset, position, length = self._records[index]
            self._raw.seek(position)
            sealed = self._raw.read(length + _SEALING)
            try:
                block = crypto.unseal(self._sealer.key, sealed, self._sealer.aad(offset, length))
            except crypto.DecryptionError:
                raise PartialDamaged from None
            self._loaded = (index, block)
        return self._loaded[1]

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._pos >= self.size:
            return 0
        index = bisect.bisect_right(self._offsets, self._pos) - 1
        start = self._pos - self._offsets[index]
        piece = self._block(index)[start : start + len(buffer)]
        buffer[: len(piece)] = piece
        self._pos += len(piece)
        return len(piece)

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_reader(path: Path, sealer: Sealer, size: int) -> io.BufferedReader:
    """The plain bytes of a complete partial file of ``size`` bytes, decrypted as they are read."""
    raw = path.open("rb")
    try:
        reader = PartialReader(raw, sealer, size)
    except BaseException:
        raw.close()
        raise
    return io.BufferedReader(reader, buffer_size=crypto.FRAME)
