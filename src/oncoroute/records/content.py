"""What a file is, judged by its bytes, and how to unpack a ZIP without being fooled by it."""

from __future__ import annotations

import hashlib
import shutil
import stat
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import IO

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
    """The file cannot be taken; the message says why in words for the person uploading."""


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
        raise RecordRefused(f"The ZIP contains an absolute path ({_shown(name)}); it was refused.")
    if ".." in path.parts:
        raise RecordRefused(
            f"The ZIP contains a path that leaves its folder ({_shown(name)}); it was refused."
        )
    return path


def human_size(size: int) -> str:
    """Bytes as people read them: '50.0 MB', '2.0 GB'."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def _shown(name: str) -> str:
    return name if len(name) <= 60 else name[:57] + "…"


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def check_zip(archive: zipfile.ZipFile, *, compressed_size: int, limits: ZipLimits) -> None:
    """Refuse the archive before anything is written if it breaks a cap or escapes its folder."""
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > limits.max_files:
        raise RecordRefused(
            f"The ZIP holds {len(members)} files; at most {limits.max_files} are accepted."
        )
    total = 0
    for info in archive.infolist():
        safe_member_path(info.filename)
        if _is_symlink(info):
            raise RecordRefused(f"The ZIP contains a link ({_shown(info.filename)}); refused.")
        if info.flag_bits & 0x1:
            raise RecordRefused("The ZIP is password-protected; please upload it without one.")
        total += info.file_size
    if total > limits.max_total_bytes:
        raise RecordRefused(
            f"The ZIP would unpack to {human_size(total)}, "
            f"more than the {human_size(limits.max_total_bytes)} allowed."
        )
    if total > limits.max_ratio * max(compressed_size, 1):
        raise RecordRefused(
            "The ZIP unpacks to far more than its own size (a 'ZIP bomb'); it was refused."
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
            raise RecordRefused("The ZIP unpacks to more than it declares; it was refused.")
        sink.write(block)
    return copied


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
