"""Records in an S3-compatible bucket (django-storages), sealed exactly as on disk.

Each file is encrypted in this process with its case's data key (privacy.storage), into a
scratch file, before one byte leaves for the bucket; the bucket gets the whole ciphertext or,
if the upload fails, nothing, and the error reaches the caller as an OSError, like a full
disk's would.
Reading decrypts as it streams.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files import File
from storages.backends.s3 import S3Storage

from oncoroute.privacy import crypto
from oncoroute.privacy.storage import _opened, _sealed_frames


class BucketUnreachable(OSError):
    """The bucket refused or did not answer: to callers, the same as a disk that failed."""


class EncryptedS3Storage(S3Storage):  # type: ignore[misc]
    """django-storages' S3 storage holding the same sealed files as the folder would."""

    def _save(self, name: str, content: File) -> str:  # type: ignore[type-arg]
        frames = _sealed_frames(name, content)
        # A large study never sits in memory; the scratch folder is the service's own (0700).
        scratch_dir = Path(settings.MEDIA_ROOT) / "partial"
        scratch_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=scratch_dir) as sealed:
            for frame in frames:
                sealed.write(frame)
            sealed.seek(0)
            saved: str = super()._save(name, File(sealed, name=name))
        return saved

    def save(self, name: str | None, content: File, max_length: int | None = None) -> str:  # type: ignore[type-arg]
        try:
            saved: str = super().save(name, content, max_length)
        except (BotoCoreError, ClientError) as error:
            raise BucketUnreachable(type(error).__name__) from error
        return saved

    def delete(self, name: str) -> None:
        try:
            super().delete(name)
        except (BotoCoreError, ClientError) as error:
            raise BucketUnreachable(type(error).__name__) from error

    def _open(self, name: str, mode: str = "rb") -> File:  # type: ignore[type-arg]
        if mode not in {"rb", "r"}:
            raise ValueError("Encrypted records are opened for reading only; save a new file.")
        return _opened(super()._open(name, "rb"), name)

    def size(self, name: str) -> int:
        return crypto.plaintext_size(super().size(name))
