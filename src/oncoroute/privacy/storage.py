"""The default file storage: every file is encrypted with its case's data key, in its region.

Names start ``records/<case id>/``; the case gives the data key (the patient's) and the data
region, whose folder comes from ``DATA_REGION_MEDIA_ROOTS`` (else ``MEDIA_ROOT``). Reading
decrypts as it streams, so downloads, previews and de-identification see the original bytes.

``privacy.s3storage.EncryptedS3Storage`` keeps the same sealed bytes in an S3-compatible bucket
instead (``STORAGE_BUCKET``).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_join

from oncoroute.privacy import crypto

_CASE_NAME = re.compile(r"^records/(\d+)/")


class StorageNameRefused(ValueError):
    """A name that does not say which case the file belongs to: it could not be encrypted."""


def case_id_of(name: str) -> int:
    match = _CASE_NAME.match(name.replace("\\", "/"))
    if match is None:
        raise StorageNameRefused(
            f"Stored files are named records/<case id>/…; {name!r} has no case to take a key from."
        )
    return int(match.group(1))


def _case(case_id: int) -> Any:
    from oncoroute.cases.models import Case

    return Case.objects.select_related("data_key", "patient").get(pk=case_id)


def _sealed_frames(name: str, content: File) -> Any:  # type: ignore[type-arg]
    """The encrypted frames of `content`, under the data key of the case `name` belongs to."""
    from oncoroute.privacy.keys import unwrap

    data_key = _case(case_id_of(name)).data_key_resolve()
    key = unwrap(data_key)
    content.seek(0)
    return crypto.encrypt_stream(key, data_key.pk, content.chunks())


def _opened(raw: IO[bytes], name: str) -> File:  # type: ignore[type-arg]
    from oncoroute.privacy.keys import data_key_by_id

    try:
        reader = crypto.DecryptingReader(raw, data_key_by_id)
    except BaseException:
        raw.close()
        raise
    plain = File(io.BufferedReader(reader, buffer_size=crypto.FRAME), name=name)
    plain.size = reader.size
    return plain


def region_root(region: str) -> str:
    roots: dict[str, str] = getattr(settings, "DATA_REGION_MEDIA_ROOTS", {}) or {}
    return str(roots.get(region) or settings.MEDIA_ROOT)


class EncryptedFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that seals on write, opens on read, and keeps each region's files apart."""

    def path(self, name: str) -> str:
        roots = getattr(settings, "DATA_REGION_MEDIA_ROOTS", {}) or {}
        if not roots:
            return super().path(name)
        region = _case(case_id_of(name)).data_region
        return safe_join(os.path.abspath(region_root(region)), name)

    def _save(self, name: str, content: File) -> str:  # type: ignore[type-arg]
        frames = _sealed_frames(name, content)
        while True:
            full_path = Path(self.path(name))
            full_path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(
                    full_path,
                    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                    0o600,
                )
            except FileExistsError:
                name = self.get_available_name(name)
                continue
            break
        try:
            with os.fdopen(fd, "wb") as out:
                for frame in frames:
                    out.write(frame)
        except BaseException:
            full_path.unlink(missing_ok=True)
            raise
        return str(name).replace("\\", "/")

    def _open(self, name: str, mode: str = "rb") -> File:  # type: ignore[type-arg]
        if mode not in {"rb", "r"}:
            raise ValueError("Encrypted records are opened for reading only; save a new file.")
        raw: IO[bytes] = open(self.path(name), "rb")  # noqa: SIM115 - closed with the reader
        return _opened(raw, name)

    def size(self, name: str) -> int:
        return crypto.plaintext_size(os.path.getsize(self.path(name)))
