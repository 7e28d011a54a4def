"""AES-256-GCM for field values and for stored files; no Django here, keys come from callers.

A field value is sealed as ``v1:<data key id>:<base64 nonce + ciphertext + tag>``. A file is a
20-byte header (magic, data key id, nonce prefix) followed by frames of at most FRAME plaintext
bytes, each sealed with its index and whether it is the last as associated data, so that frames
cannot be reordered, dropped or the file cut short without an error.
"""

from __future__ import annotations

import base64
import io
import os
import struct
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

TOKEN_VERSION = "v1"  # noqa: S105 - a format version, not a secret
NONCE = 12
TAG = 16
FRAME = 1024 * 1024
FILE_MAGIC = b"ORF1"
_HEADER = struct.Struct(">4sQ8s")
HEADER_SIZE = _HEADER.size


class DecryptionError(Exception):
    """A value or file that was altered, cut short, or sealed with another key."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(sealed[:NONCE], sealed[NONCE:], aad)
    except (InvalidTag, ValueError) as error:
        raise DecryptionError(
            "The value does not decrypt: altered or sealed with another key."
        ) from error


def token_seal(key: bytes, key_id: int, plaintext: str, aad: str) -> str:
    sealed = seal(key, plaintext.encode(), f"{key_id}|{aad}".encode())
    return f"{TOKEN_VERSION}:{key_id}:{base64.b64encode(sealed).decode()}"


def token_key_id(token: str) -> int:
    _, key_id, _ = _split(token)
    return key_id


def token_unseal(key: bytes, token: str, aad: str) -> str:
    _, key_id, body = _split(token)
    try:
        sealed = base64.b64decode(body, validate=True)
    except ValueError as error:
        raise DecryptionError("The value is not a sealed token.") from error
    return unseal(key, sealed, f"{key_id}|{aad}".encode()).decode()


def _split(token: str) -> tuple[str, int, str]:
    parts = token.split(":", 2)
    if len(parts) != 3 or parts[0] != TOKEN_VERSION or not parts[1].isdigit():
        raise DecryptionError("The value is not a sealed token.")
    return parts[0], int(parts[1]), parts[2]


def _frame_nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _frame_aad(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">I?", index, last)


def encrypt_stream(key: bytes, key_id: int, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Yield the encrypted file for the plaintext ``chunks``: the header, then sealed frames."""
    header = _HEADER.pack(FILE_MAGIC, key_id, os.urandom(8))
    prefix = header[12:]
    aead = AESGCM(key)
    yield header
    buffer, index = b"", 0
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= FRAME:
            frame, buffer = buffer[:FRAME], buffer[FRAME:]
            yield aead.encrypt(_frame_nonce(prefix, index), frame, _frame_aad(header, index, False))
            index += 1
    # The last frame is always shorter than FRAME (possibly empty): a cut at a frame boundary fails.
    yield aead.encrypt(_frame_nonce(prefix, index), buffer, _frame_aad(header, index, True))


def file_key_id(raw: IO[bytes]) -> int:
    """The data key id in an encrypted file's header."""
    raw.seek(0)
    header = raw.read(HEADER_SIZE)
    if len(header) != HEADER_SIZE or header[:4] != FILE_MAGIC:
        raise DecryptionError("The file is not an encrypted record.")
    return int(_HEADER.unpack(header)[1])


def plaintext_size(encrypted_size: int) -> int:
    body = encrypted_size - HEADER_SIZE
    full, rest = divmod(body, FRAME + TAG)
    if body < TAG or rest < TAG:
        raise DecryptionError("The encrypted file is cut short.")
    return full * FRAME + rest - TAG


class DecryptingReader(io.RawIOBase):
    """A seekable, read-only view of the plaintext of an encrypted file."""

    def __init__(self, raw: IO[bytes], key_for: Callable[[int], bytes]) -> None:
        super().__init__()
        self._raw = raw
        key_id = file_key_id(raw)
        raw.seek(0)
        self._header = raw.read(HEADER_SIZE)
        self._aead = AESGCM(key_for(key_id))
        raw.seek(0, io.SEEK_END)
        self.size = plaintext_size(raw.tell())
        self._frames = self.size // FRAME + 1
        self._pos = 0
        self._frame_index = -1
        self._frame = b""

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

    def _load(self, index: int) -> bytes:
        if index != self._frame_index:
            self._raw.seek(HEADER_SIZE + index * (FRAME + TAG))
            sealed = self._raw.read(FRAME + TAG)
            last = index == self._frames - 1
            try:
                self._frame = self._aead.decrypt(
                    _frame_nonce(self._header[12:], index),
                    sealed,
                    _frame_aad(self._header, index, last),
                )
            except InvalidTag as error:
                raise DecryptionError("The stored file was altered or cut short.") from error
            self._frame_index = index
        return self._frame

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._pos >= self.size:
            return 0
        index, offset = divmod(self._pos, FRAME)
        piece = self._load(index)[offset : offset + len(buffer)]
        buffer[: len(piece)] = piece
        self._pos += len(piece)
        return len(piece)

    def close(self) -> None:
        self._raw.close()
        super().close()
