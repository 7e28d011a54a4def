"""Where records live: finished files in the default storage, partial ones on local disk."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage


def work_dir() -> Path:
    """Local scratch space for partial uploads, unpacking and de-identification runs."""
    # Inside MEDIA_ROOT, so that finishing a file is a rename on the same file system.
    path = Path(settings.MEDIA_ROOT) / "partial"
    path.mkdir(parents=True, exist_ok=True)
    return path


class _LocalFile(File):  # type: ignore[type-arg]
    """A finished local file; FileSystemStorage moves it into place instead of copying."""

    def temporary_file_path(self) -> str:
        return str(self.name)


def store_file(path: Path, name: str) -> str:
    """Move ``path`` into the default storage under ``name``; returns the stored name."""
    with path.open("rb") as fp:
        local = _LocalFile(fp, name=str(path))
        return default_storage.save(name, local)


def store_bytes(data: bytes, name: str) -> str:
    from django.core.files.base import ContentFile

    return default_storage.save(name, ContentFile(data))


def delete_stored(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def local_path(name: str) -> Path | None:
    """The file system path of a stored name, if the storage has one."""
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:
        return None
