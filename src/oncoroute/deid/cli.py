"""``oncoroute deid``: de-identify a study directory, or verify an output against its input.

Exit codes: 0 done (per-file problems are listed, not fatal) or verify clean;
1 nothing could be de-identified, or verify found identifying values;
2 usage or configuration error (such as no secret).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Final, TextIO

if TYPE_CHECKING:
    from oncoroute.deid.files import FileOutcome
    from oncoroute.deid.study import DeidSummary, Progress
    from oncoroute.deid.verify import VerifyResult

SECRET_ENV: Final = "ONCOROUTE_DEID_SECRET"  # noqa: S105 - the variable's name, not a secret
VAR_DIR_ENV: Final = "ONCOROUTE_VAR_DIR"
SECRET_FILE_NAME: Final = "deid_secret"  # noqa: S105 - a file name, not a secret
_MAX_LISTED: Final = 20
# SOP Class and SOP Instance UID, each at least a bare 8-byte element header.
_SMALLEST_INSTANCE: Final = 16
# Optional helpers that pydicom imports with itself (pixel decoding, images, downloading test
# files, progress bars); rewriting headers and copying pixels by offset needs none of them.
_OPTIONAL_FOR_PYDICOM: Final = (
    "numpy", "PIL", "requests", "tqdm", "pylibjpeg", "openjpeg", "libjpeg", "rle", "jpeg_ls",
    "gdcm",
)  # fmt: skip


class ConfigError(Exception):
    """A problem with the command line or the environment (exit code 2)."""


def main(argv: list[str]) -> int:
    """Run ``oncoroute deid`` with ``argv`` (the arguments after ``deid``)."""
    if argv[:1] == ["deid"]:
        argv = argv[1:]
    args = _parser().parse_args(argv)
    _import_core()
    try:
        if args.verify:
            return _verify(args.in_dir, args.out_dir, sys.stdout)
        return _deidentify(args, sys.stdout)
    except ConfigError as exc:
        print(f"oncoroute deid: error: {exc}", file=sys.stderr)
        return 2


def _import_core() -> None:
    """Have pydicom, if a file needs it, imported without its optional helpers, when this
    process is the command itself: they are most of pydicom's start-up time, and a shell
    command is judged start-up included. pydicom treats each as not installed; where pydicom
    was imported already (tests, the app), nothing changes."""
    from oncoroute.deid.files import hide_from_pydicom

    if "pydicom" not in sys.modules:
        hide_from_pydicom(_OPTIONAL_FOR_PYDICOM)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oncoroute deid",
        description="De-identify a DICOM study per DICOM PS3.15 Annex E (Basic Profile, "
        "Retain Longitudinal Temporal Information with Modified Dates, Clean Descriptors).",
    )
    parser.add_argument("in_dir", type=Path, metavar="IN_DIR")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument(
        "--verify",
        action="store_true",
        help="search OUT_DIR for every identifying value of IN_DIR; exit 1 if any is found",
    )
    parser.add_argument(
        "--date-shift-days",
        type=int,
        help="days added to every date (default: derived from the secret and the patient ID)",
    )
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    parser.add_argument(
        "--secret-file",
        type=Path,
        help=f"file holding the UID secret (default: ${SECRET_ENV}, else the app's "
        f"${VAR_DIR_ENV}/{SECRET_FILE_NAME}, ./var/{SECRET_FILE_NAME} by default, created once)",
    )
    parser.add_argument(
        "--show-paths",
        action="store_true",
        help="name problem files by their input path, which may contain the patient's name "
        "(default: by the keyed source_ref of manifest.json)",
    )
    return parser


def var_dir() -> Path:
    """The app's local state folder, found as its settings find it (without importing them)."""
    return Path(os.environ.get(VAR_DIR_ENV) or Path.cwd() / "var").resolve()


def _read_secret(secret_file: Path | None) -> tuple[bytes, str]:
    """The UID secret and where it came from: ``--secret-file``, the environment, or the
    app's own ``var/deid_secret`` (created once, as the app would), in that order."""
    if secret_file is not None:
        try:
            secret = secret_file.read_bytes().strip()
        except OSError as exc:
            raise ConfigError(f"cannot read the secret file: {exc.strerror}") from None
        if not secret:
            raise ConfigError(f"the secret file {secret_file} is empty")
        return secret, f"the secret file {secret_file}"
    if secret := os.environ.get(SECRET_ENV, "").strip().encode():
        return secret, f"${SECRET_ENV}"
    return _installation_secret(var_dir() / SECRET_FILE_NAME)


def _installation_secret(path: Path) -> tuple[bytes, str]:
    """The same secret the app uses; the first of the app or this command to need it makes it."""
    created = False
    if not path.exists():
        import secrets  # only to make the secret, once per installation

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            created = _create_once(path, secrets.token_urlsafe(64))
        except OSError as exc:
            raise ConfigError(
                f"cannot create {path}: {exc.strerror}; pass --secret-file PATH or set {SECRET_ENV}"
            ) from None
    try:
        secret = path.read_bytes().strip()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    if not secret:
        raise ConfigError(f"{path} is empty; pass --secret-file PATH or set {SECRET_ENV}")
    return secret, f"{path} ({'created now' if created else 'the app’s secret'})"


def _create_once(path: Path, value: str) -> bool:
    """Write ``value`` to ``path`` unless it exists; False if another process made it first.

    Written aside and linked into place, so that a reader never sees a half-written secret.
    """
    import secrets

    aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fp:
            fp.write(value)
        os.link(aside, path)
    except FileExistsError:
        return False
    finally:
        aside.unlink(missing_ok=True)
    return True


def _deidentify(args: argparse.Namespace, out: TextIO) -> int:
    from oncoroute.deid import keyed
    from oncoroute.deid.study import deidentify_study

    secret, source = _read_secret(args.secret_file)
    print(f"oncoroute deid: UID secret from {source}", file=sys.stderr)
    if not args.in_dir.is_dir():
        raise ConfigError(f"{args.in_dir} is not a directory")
    if args.jobs < 0:
        raise ConfigError("--jobs must be 0 (all cores) or more")
    shift = args.date_shift_days
    if shift is None:
        shift = keyed.derive_date_shift(secret, _first_patient_id(args.in_dir))
    with _progress_bar() as progress:
        summary = deidentify_study(
            args.in_dir,
            args.out_dir,
            secret=secret,
            date_shift_days=shift,
            jobs=args.jobs,
            progress=progress,
        )
    _print_summary(summary, args.out_dir, out, show_paths=args.show_paths)
    nothing_done = not summary.written and not summary.held_back and summary.errors
    return 1 if nothing_done else 0


@contextmanager
def _progress_bar() -> Iterator[Progress | None]:
    """A progress bar on a terminal; nothing when the output goes to a file or a pipe."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    # tqdm's monitor is a thread, and a process running threads starts its pool from a
    # forkserver, which imports the whole core again before the first file: much slower.
    tqdm.monitor_interval = 0
    with tqdm(total=0, unit="file", desc="de-identifying", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield progress


def _first_patient_id(in_dir: Path) -> str:
    """The Patient ID of the first readable instance, in path order."""
    for path in _files_in_path_order(in_dir):
        try:
            with open(path, "rb") as fp:
                return _patient_id(fp)
        except Exception:  # noqa: S112 - any readable instance will do
            continue
    return ""


def _files_in_path_order(directory: str | Path) -> Iterator[str]:
    """The files under ``directory`` in the order of ``sorted(Path.rglob("*"))``, listed lazily:
    usually only the folders on the way to the first file are read.

    Like ``rglob``, symbolic links to folders are not followed, and unreadable
    folders are passed over.
    """
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if _is_file(entry):
            yield entry.path
        elif _is_folder(entry):
            yield from _files_in_path_order(entry.path)


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir() and not entry.is_symlink()
    except OSError:
        return False


def _patient_id(fp: BinaryIO) -> str:
    """Read as pydicom reads it, through the header rewrite where it can (no pydicom import)."""
    from oncoroute.deid import direct

    if os.fstat(fp.fileno()).st_size < _SMALLEST_INSTANCE:
        raise ValueError("too short for a DICOM instance")
    try:
        return direct.read_patient_id(fp)
    except Exception:  # whatever the header rewrite cannot read, pydicom may
        fp.seek(0)
    from oncoroute.deid.files import import_pydicom

    import_pydicom()
    from oncoroute.deid.through_pydicom import read_dataset

    return str(read_dataset(fp, stop_before_pixels=True).get("PatientID", ""))


def _print_summary(summary: DeidSummary, out_dir: Path, out: TextIO, *, show_paths: bool) -> None:
    megabytes = summary.bytes_in / 1e6
    rate = megabytes / summary.seconds if summary.seconds else 0.0
    print(
        f"{summary.files_in} files in, {len(summary.written)} written, "
        f"{len(summary.held_back)} held back for review, {len(summary.errors)} errors; "
        f"{megabytes:.1f} MB in {summary.seconds:.2f} s ({rate:.0f} MB/s)",
        file=out,
    )
    for outcome in summary.held_back[:_MAX_LISTED]:
        source = _source_name(outcome, show_paths)
        print(f"  held back: {source} → {outcome.output}: {outcome.reason}", file=out)
    for outcome in summary.errors[:_MAX_LISTED]:
        print(f"  error: {_source_name(outcome, show_paths)}: {outcome.reason}", file=out)
    hidden = len(summary.held_back) + len(summary.errors) - 2 * _MAX_LISTED
    if hidden > 0:
        print(f"  … and more, see {out_dir / 'manifest.json'}", file=out)
    if summary.dicomdir:
        print(f"  DICOMDIR rebuilt in {out_dir}", file=out)


def _source_name(outcome: FileOutcome, show_paths: bool) -> str:
    """Folder and file names on CD exports often carry the patient's name."""
    if show_paths:
        return outcome.source
    return f"source_ref {outcome.source_ref}"


def _verify(in_dir: Path, out_dir: Path, out: TextIO) -> int:
    for directory in (in_dir, out_dir):
        if not directory.is_dir():
            raise ConfigError(f"{directory} is not a directory")
    from oncoroute.deid.verify import verify

    result = verify(in_dir, out_dir)
    _print_verify(result, out)
    return 0 if result.ok else 1


def _print_verify(result: VerifyResult, out: TextIO) -> None:
    print(
        f"{result.values_checked} identifying values from {result.inputs_read} input files, "
        f"searched in {result.outputs_searched} output files: "
        f"{len(result.survivors)} found",
        file=out,
    )
    # Attribute names and file names only: the values themselves stay out of logs.
    files_by_attribute: dict[str, set[str]] = {}
    for survivor in result.survivors:
        files_by_attribute.setdefault(survivor.source, set()).add(survivor.output)
    for attribute, outputs in sorted(files_by_attribute.items()):
        example = min(outputs)
        print(f"  {attribute} survives in {len(outputs)} files, e.g. {example}", file=out)
