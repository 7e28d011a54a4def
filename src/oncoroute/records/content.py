"""What a file is, judged by its bytes, and how to unpack a ZIP without being fooled by it."""

from __future__ import annotations

import hashlib
import shutil
import stat
import unicodedata
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import IO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, gettext_noop

HEAD_BYTES = 132
_COPY_BLOCK = 1024 * 1024
# Control, format (bidirectional overrides and isolates, marks, zero-width), surrogate and
# line/paragraph separator characters: none belongs in a file name shown to people.
_UNSHOWN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


class Kind(StrEnum):
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    ZIP = "zip"
    DICOM = "dicom"


class RecordRefused(Exception):
    """The file cannot be taken; the message says why in words for the person uploading.

    Raised with an English msgid marked with ``gettext_noop`` and the values it names, it is
    worded when read: ``str()`` gives the active language, the request's for a refusal answered
    at once. The same checks also run in the worker, which has no page language: there the
    English (``english``) is stored in ``Upload.error`` and translated when a page shows it.
    Text already worded by the request (``gettext(...) % values``) is taken as it is.
    """

    def __init__(self, message: str, values: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.values = dict(values or {})

    def __str__(self) -> str:
        return self._filled(gettext(self.message))

    @property
    def english(self) -> str:
        """The message as raised, untranslated: what is stored to be translated when shown."""
        return self._filled(self.message)

    def _filled(self, text: str) -> str:
        return text % self.values if self.values else text


def sniff(head: bytes) -> Kind | None:
    """The kind of a file from its first 132 bytes; None for anything we do not take."""
    if head.startswith(b"%PDF-"):
        return Kind.PDF
    if head.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if head.startswith(b"PK\x03\x04"):
        return Kind.ZIP
    if head[128:132] == b"DICM":
        return Kind.DICOM
    return None


def sniff_file(path: Path) -> Kind | None:
    with path.open("rb") as fp:
        return sniff(fp.read(HEAD_BYTES))


def sha256_of(path: Path) -> str:
    with path.open("rb") as fp:
        return sha256_of_stream(fp)


def sha256_of_stream(fp: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while block := fp.read(_COPY_BLOCK):
        digest.update(block)
    return digest.hexdigest()


def copy_stream(source: IO[bytes], target: Path) -> Path:
    with target.open("wb") as sink:
        shutil.copyfileobj(source, sink, _COPY_BLOCK)
    return target


def clean_filename(name: str, *, fallback: str = "file") -> str:
    """The last part of a sent file name, without characters that hide or reorder its text."""
    shown = "".join(c for c in name if unicodedata.category(c) not in _UNSHOWN_CATEGORIES)
    base = shown.replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    return base if base.strip(".") else fallback


@dataclass(frozen=True)
class ZipLimits:
    """Caps that keep a hostile archive from filling the disk."""

    max_total_bytes: int
    max_ratio: int
    max_files: int


def safe_member_path(name: str) -> PurePosixPath:
    """The member's path inside the folder, refusing anything that would land outside it."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or (path.parts and path.parts[0].endswith(":")):
        raise RecordRefused(
            gettext_noop("The ZIP contains an absolute path (%(name)s); it was refused."),
            {"name": _shown(name)},
        )
    if ".." in path.parts:
        raise RecordRefused(
            gettext_noop(
                "The ZIP contains a path that leaves its folder (%(name)s); it was refused."
            ),
            {"name": _shown(name)},
        )
    return path


def human_size(size: int) -> str:
    """Bytes as people read them, in the active language: '50.0 MB', '2,0 ГБ'."""
    return str(filesizeformat(size)).replace("\xa0", " ")


def _shown(name: str) -> str:
    return name if len(name) <= 60 else name[:57] + "…"


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def check_zip(archive: zipfile.ZipFile, *, compressed_size: int, limits: ZipLimits) -> None:
    """Refuse the archive before anything is written if it breaks a cap or escapes its folder."""
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > limits.max_files:
        raise RecordRefused(
            gettext_noop("The ZIP holds %(count)d files; at most %(limit)d are accepted."),
            {"count": len(members), "limit": limits.max_files},
        )
    total = 0
    for info in archive.infolist():
        safe_member_path(info.filename)
        if _is_symlink(info):
            raise RecordRefused(
                gettext_noop("The ZIP contains a link (%(name)s); it was refused."),
                {"name": _shown(info.filename)},
            )
        if info.flag_bits & 0x1:
            raise RecordRefused(
                gettext_noop("The ZIP is password-protected; please upload it without one.")
            )
        total += info.file_size
    if total > limits.max_total_bytes:
        raise RecordRefused(
            gettext_noop("The ZIP would unpack to %(size)s, more than the %(limit)s allowed."),
            {"size": human_size(total), "limit": human_size(limits.max_total_bytes)},
        )
    if total > limits.max_ratio * max(compressed_size, 1):
        raise RecordRefused(
            gettext_noop(
                "The ZIP unpacks to far more than its own size (a 'ZIP bomb'); it was refused."
            )
        )


def extract_zip(
    archive: zipfile.ZipFile,
    target: Path,
    *,
    limits: ZipLimits,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Unpack every file member into ``target``; sizes are enforced while writing, not trusted."""
    written: list[Path] = []
    total = 0
    members = archive.infolist()
    for index, info in enumerate(members):
        if progress is not None:
            progress(index, len(members))
        if info.is_dir():
            continue
        # Members are numbered, not named after their paths: no name from the archive touches
        # the file system, whatever characters it holds.
        out = target / f"{index:06d}"
        with archive.open(info) as source, out.open("wb") as sink:
            total += _copy_capped(source, sink, cap=info.file_size, total=total, limits=limits)
        written.append(out)
    return written


def _copy_capped(
    source: IO[bytes], sink: IO[bytes], *, cap: int, total: int, limits: ZipLimits
) -> int:
    copied = 0
    while block := source.read(_COPY_BLOCK):
        copied += len(block)
        if copied > cap or total + copied > limits.max_total_bytes:
            raise RecordRefused(
                gettext_noop("The ZIP unpacks to more than it declares; it was refused.")
            )
        sink.write(block)
    return copied


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
