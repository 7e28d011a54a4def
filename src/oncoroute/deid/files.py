"""De-identification of one file: the header rewritten directly or by pydicom, pixels by offset."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from oncoroute.deid import direct as direct_path
from oncoroute.deid.pixels import DeidFileError, PixelSpan, copy_range
from oncoroute.deid.rules import DeidOptions

if TYPE_CHECKING:
    from oncoroute.deid.through_pydicom import PydicomResult

REVIEW_DIR: Final = "_review"
NO_INSTANCE_UIDS: Final = "not a DICOM instance (no SOP Class or SOP Instance UID)"
# pydicom reads elements 8 bytes of header at a time: a shorter file reads as an empty dataset.
_SMALLEST_ELEMENT: Final = 8


class NotDicomError(DeidFileError):
    """The file is not a DICOM instance."""


class DuplicateInstanceError(DeidFileError):
    """Another input file has the same SOP Instance UID."""


class FileOutcome:
    """What happened to one input file.

    ``status`` is ``written``, ``held_back`` (written under ``_review/`` for a
    person to check), ``error`` or ``skipped`` (the original DICOMDIR). A plain
    class rather than a dataclass: importing ``dataclasses`` (and ``inspect``
    with it) is a sizeable part of the command's start-up.
    """

    __slots__ = _FIELDS = (
        "source",
        "status",
        "output",
        "reason",
        "bytes_in",
        "bytes_out",
        "source_ref",
        "detail",
    )

    def __init__(
        self,
        source: str,
        status: str,
        output: str | None = None,
        reason: str | None = None,
        bytes_in: int = 0,
        bytes_out: int = 0,
        source_ref: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.source, self.status, self.output, self.reason = source, status, output, reason
        self.bytes_in, self.bytes_out = bytes_in, bytes_out
        self.source_ref, self.detail = source_ref, detail

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._FIELDS}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FileOutcome):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass was

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self.as_dict().items())
        return f"FileOutcome({fields})"


def deidentify_file(
    source: Path, out_dir: Path, options: DeidOptions, *, name: str, direct: bool = True
) -> FileOutcome:
    """De-identify ``source`` into ``out_dir``, never raising for a bad input file.

    ``name`` is how the outcome refers to the source (a relative path). The
    output file is named after its new SOP Instance UID. With ``direct`` the
    header is rewritten from its bytes when ``direct.py`` handles the file,
    otherwise through pydicom; both give the same result.
    """
    outcome = FileOutcome(source=name, status="error")
    try:
        with source.open("rb") as fp:
            outcome.bytes_in = os.fstat(fp.fileno()).st_size
            _deidentify_into(fp, out_dir, options, outcome, direct=direct)
    except DeidFileError as exc:
        outcome.reason = str(exc)
    except Exception as exc:  # one broken file must never stop a batch
        # The message may quote a value of the file, so it stays out of the reason.
        outcome.reason = f"unreadable or invalid DICOM ({type(exc).__name__})"
        outcome.detail = str(exc)
    return outcome


def _deidentify_into(
    fp: BinaryIO, out_dir: Path, options: DeidOptions, outcome: FileOutcome, *, direct: bool
) -> None:
    write_header: Callable[[BinaryIO], object]
    try:
        if not direct:
            raise direct_path.Unsupported("the pydicom path was asked for")
        result = direct_path.deidentify_header(fp, options)
    except direct_path.Unsupported:
        if outcome.bytes_in < _SMALLEST_ELEMENT:
            raise NotDicomError(NO_INSTANCE_UIDS) from None  # what pydicom would find
        fp.seek(0)
        slow = _through_pydicom(fp, options)
        write_header, span = slow.write_header, slow.pixel_span
        uid, reason = slow.sop_instance_uid, slow.hold_back_reason
    else:
        header = result.header
        write_header, span = (lambda out: out.write(header)), result.pixel_span
        uid, reason = result.sop_instance_uid, result.hold_back_reason
    target = _target(out_dir, uid, reason)
    outcome.bytes_out = _write(fp, write_header, span, target)
    _done(outcome, out_dir, target, reason)


def _through_pydicom(fp: BinaryIO, options: DeidOptions) -> PydicomResult:
    import_pydicom()
    from oncoroute.deid.through_pydicom import deidentify_header

    return deidentify_header(fp, options)


_hidden_from_pydicom: tuple[str, ...] = ()
_pydicom_quiet = False


def hide_from_pydicom(names: tuple[str, ...]) -> None:
    """Have pydicom, if first imported later in this process, find none of ``names``.

    For a process that is the command itself: pydicom's optional helpers (pixel
    decoding, downloads, progress bars) are most of its import time, and the
    pydicom path needs none of them. Where pydicom is imported already (tests,
    the app), nothing changes.
    """
    global _hidden_from_pydicom  # per-process setting, made once at start-up
    _hidden_from_pydicom = names


def quiet_pydicom() -> None:
    """Turn pydicom's value validation off in this process, a pool worker of ours.

    Values are rewritten or copied, never trusted: checking each one as it is
    decoded or set only costs time. Applied when pydicom is imported.
    """
    global _pydicom_quiet  # per-process setting of a pool worker
    _pydicom_quiet = True
    if "pydicom" in sys.modules:
        import_pydicom()


def import_pydicom() -> None:
    """Import pydicom as ``hide_from_pydicom`` and ``quiet_pydicom`` set this process up."""
    if "pydicom" not in sys.modules:
        hidden = [name for name in _hidden_from_pydicom if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]
        try:
            import pydicom
        finally:
            for name in hidden:
                if name in sys.modules and sys.modules[name] is None:
                    del sys.modules[name]
    if _pydicom_quiet:
        import pydicom.config

        pydicom.config.settings.reading_validation_mode = pydicom.config.IGNORE
        pydicom.config.settings.writing_validation_mode = pydicom.config.IGNORE


def _target(out_dir: Path, sop_instance_uid: str, hold_back_reason: str | None) -> Path:
    target_dir = out_dir / REVIEW_DIR if hold_back_reason else out_dir
    return target_dir / f"{sop_instance_uid}.dcm"


def _done(outcome: FileOutcome, out_dir: Path, target: Path, hold_back_reason: str | None) -> None:
    outcome.output = str(target.relative_to(out_dir))
    outcome.status = "held_back" if hold_back_reason else "written"
    outcome.reason = hold_back_reason


def _write(
    fp: BinaryIO, write_header: Callable[[BinaryIO], object], span: PixelSpan | None, target: Path
) -> int:
    """Write to a hidden partial file, then link it into place without overwriting."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with _create(partial) as out:
            write_header(out)
            if span is not None:
                copy_range(fp, out, span.start, span.end)
            written = out.tell()
        try:
            os.link(partial, target)
        except FileExistsError:
            raise DuplicateInstanceError(
                "another input file has the same SOP Instance UID; this one was not written"
            ) from None
        return written
    finally:
        partial.unlink(missing_ok=True)


def _create(path: Path) -> BinaryIO:
    """Open ``path`` for writing, making its folder on first use (not a call per file)."""
    try:
        return path.open("wb")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("wb")
