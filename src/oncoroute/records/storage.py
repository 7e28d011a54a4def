"""Where records live: finished files in the default storage, partial ones on local disk.

The default storage (privacy.storage) encrypts each file with its case's data key as it is
written and decrypts it as it is read; stored names start ``records/<case id>/`` for that.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)


def work_dir() -> Path:
    """Local scratch space for partial uploads, unpacking and de-identification runs.

    Only the service's user may list or open what is in it (0700), whatever the umask.
    """
    path = Path(settings.MEDIA_ROOT) / "partial"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def store_file(path: Path, name: str) -> str:
    """Encrypt ``path`` into the default storage under ``name``; returns the stored name.

    The caller removes ``path`` (a partial or scratch file) once its transaction is done.
    """
    with path.open("rb") as fp:
        return default_storage.save(name, File(fp, name=path.name))


def store_stream(fp: IO[bytes], name: str) -> str:
    """Encrypt what ``fp`` holds into the default storage under ``name``; returns its name."""
    return default_storage.save(name, File(fp, name=name))


def store_bytes(data: bytes, name: str) -> str:
    from django.core.files.base import ContentFile

    return default_storage.save(name, ContentFile(data))


def delete_stored(names: list[str]) -> None:
    """Delete what a failed step stored. While the storage is away the files stay, named in
    the log: sealed, and with no row pointing to them, nobody can reach them."""
    for name in names:
        if not name:
            continue
        try:
            default_storage.delete(name)
        except OSError as error:
            # Stored names are random and hold no health data.
            logger.warning("could not delete %s (%s)", name, type(error).__name__)
