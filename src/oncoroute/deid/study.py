"""De-identification of a whole study directory, one file per task, on every core."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any, Final

from oncoroute.deid import direct, keyed
from oncoroute.deid.files import FileOutcome, deidentify_file, import_pydicom, quiet_pydicom
from oncoroute.deid.rules import DeidOptions
from oncoroute.deid.table import METHOD_CODES

MANIFEST_NAME: Final = "manifest.json"
DICOMDIR_NAME: Final = "DICOMDIR"
_DICOMDIR_BUILD: Final = ".dicomdir-build"

Progress = Callable[[int, int], None]


class DeidSummary:
    """What a run did, file by file; ``to_manifest`` gives the shareable record."""

    def __init__(
        self,
        outcomes: list[FileOutcome] | None = None,
        seconds: float = 0.0,
        dicomdir: bool = False,
    ) -> None:
        self.outcomes: list[FileOutcome] = [] if outcomes is None else outcomes
        self.seconds = seconds
        self.dicomdir = dicomdir

    def __repr__(self) -> str:
        return (
            f"DeidSummary(outcomes={self.outcomes!r}, seconds={self.seconds!r}, "
            f"dicomdir={self.dicomdir!r})"
        )

    @property
    def files_in(self) -> int:
        return len(self.outcomes)

    def with_status(self, status: str) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def written(self) -> list[FileOutcome]:
        return self.with_status("written")

    @property
    def held_back(self) -> list[FileOutcome]:
        return self.with_status("held_back")

    @property
    def errors(self) -> list[FileOutcome]:
        return self.with_status("error")

    @property
    def bytes_in(self) -> int:
        return sum(o.bytes_in for o in self.outcomes)

    @property
    def bytes_out(self) -> int:
        return sum(o.bytes_out for o in self.outcomes)

    def to_manifest(self, *, include_sources: bool = False) -> dict[str, Any]:
        """Return a JSON-ready record of the run.

        Source paths may name the patient, so by default each source appears
        only as ``source_ref``, a keyed hash of its relative path that the
        sender (who holds the secret) can recompute; error details, which may
        quote values, are left out for the same reason.
        """
        files = []
        for outcome in self.outcomes:
            entry = outcome.as_dict()
            entry.pop("detail")
            if not include_sources:
                entry.pop("source")
            files.append(entry)
        return {
            "profile": "DICOM PS3.15 Annex E",
            "method_codes": [{"value": v, "scheme": "DCM", "meaning": m} for v, m in METHOD_CODES],
            "files_in": self.files_in,
            "written": len(self.written),
            "held_back": len(self.held_back),
            "errors": len(self.errors),
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "seconds": round(self.seconds, 3),
            "dicomdir": self.dicomdir,
            "files": files,
        }


def deidentify_study(
    in_dir: Path,
    out_dir: Path,
    *,
    secret: bytes,
    date_shift_days: int,
    jobs: int = 0,
    progress: Progress | None = None,
    dicomdir: bool | None = None,
) -> DeidSummary:
    """De-identify every file under ``in_dir`` into ``out_dir`` (PS3.15 Annex E).

    Output: ``<new SOP Instance UID>.dcm`` per instance, objects that may carry
    burned-in text under ``_review/``, and ``manifest.json``. A DICOMDIR is
    rebuilt (never copied) when ``dicomdir`` is True, or when it is None and
    the input had one; the instances then take the DICOMDIR's layout. ``jobs``
    0 means one process per core. Bad files are reported, never raised.
    """
    if not secret:
        raise ValueError("the de-identification secret must not be empty")
    started = time.perf_counter()
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = _list_sources(in_dir, out_dir)
    summary = DeidSummary()
    todo = []
    for relative in sources:
        if relative.name.upper() == DICOMDIR_NAME:
            summary.outcomes.append(_skipped_dicomdir(relative, in_dir))
        else:
            todo.append(relative)
    options = DeidOptions(secret=secret, date_shift_days=date_shift_days)
    for outcome in _run(in_dir, out_dir, todo, options, jobs, progress):
        summary.outcomes.append(outcome)
    for outcome in summary.outcomes:
        outcome.source_ref = keyed.pseudonym(secret, "source", outcome.source, length=16)
    summary.outcomes.sort(key=lambda o: o.source)
    summary.dicomdir = (
        dicomdir if dicomdir is not None else any(o.status == "skipped" for o in summary.outcomes)
    )
    if summary.dicomdir:
        summary.dicomdir = rebuild_dicomdir(out_dir, summary.written)
    summary.seconds = time.perf_counter() - started
    write_manifest(out_dir, summary)
    return summary


def _list_sources(in_dir: Path, out_dir: Path) -> list[Path]:
    if not in_dir.is_dir():
        raise NotADirectoryError(f"{in_dir} is not a directory")
    out_resolved = out_dir.resolve()
    sources: list[Path] = []
    for root, dirs, files in os.walk(in_dir):
        dirs.sort()
        if Path(root).resolve() == out_resolved:
            dirs.clear()
            continue
        sources.extend(Path(root, name).relative_to(in_dir) for name in sorted(files))
    return sources


def _skipped_dicomdir(relative: Path, in_dir: Path) -> FileOutcome:
    return FileOutcome(
        source=str(relative),
        status="skipped",
        reason="original DICOMDIR: not copied, rebuilt for the de-identified files",
        bytes_in=(in_dir / relative).stat().st_size,
    )


def _run(
    in_dir: Path,
    out_dir: Path,
    todo: list[Path],
    options: DeidOptions,
    jobs: int,
    progress: Progress | None,
) -> Iterator[FileOutcome]:
    total = len(todo)
    workers = min(jobs if jobs > 0 else _cpu_count(), max(total, 1))
    tasks = [(str(in_dir / rel), str(rel)) for rel in todo]
    if workers <= 1:
        _init_worker(options, str(out_dir))
        results: Iterator[FileOutcome] = map(_work, tasks)
        try:
            yield from _report(results, total, progress)
        finally:
            direct.clear_caches()
        return
    # Small chunks: the last ones, which the other worker may wait for, are short.
    chunksize = max(1, min(8, total // (workers * 8)))
    with _Pool(workers, _init_pool_worker, (options, str(out_dir)), context=_context()) as pool:
        yield from _report(pool.imap_unordered(_work, tasks, chunksize), total, progress)
        _close(pool)


class _Pool(Pool):
    """A pool whose worker-minding thread sleeps until a worker exits or the pool changes.

    ``Pool`` also wakes that thread whenever results arrive, and until the
    result thread has read them it wakes again at once: a busy loop in this
    process for every chunk of results, taking a core the workers could use.
    Without ``maxtasksperchild`` no result calls for minding workers, and the
    pool's state changes come through its notifier, as in ``ThreadPool``.
    """

    def _get_sentinels(self) -> list[Any]:
        return [self._change_notifier._reader]  # type: ignore[attr-defined]


def _close(pool: Pool) -> None:
    pool.close()
    pool.join()


def _report(
    results: Iterator[FileOutcome], total: int, progress: Progress | None
) -> Iterator[FileOutcome]:
    for done, outcome in enumerate(results, start=1):
        if progress is not None:
            progress(done, total)
        yield outcome


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    # Forking a process that runs other threads (a web or task server) can
    # copy a held lock into the child; start from a clean server process then.
    if threading.active_count() > 1:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("fork")


_worker_options: DeidOptions | None = None
_worker_out_dir: Path | None = None


def _init_worker(options: DeidOptions, out_dir: str) -> None:
    global _worker_options, _worker_out_dir  # per-process state of a pool worker
    _worker_options, _worker_out_dir = options, Path(out_dir)


def _init_pool_worker(options: DeidOptions, out_dir: str) -> None:
    quiet_pydicom()  # safe here, as the process is ours
    _init_worker(options, out_dir)


def _work(task: tuple[str, str]) -> FileOutcome:
    source, name = task
    if _worker_options is None or _worker_out_dir is None:
        raise RuntimeError("worker not initialised")
    return deidentify_file(Path(source), _worker_out_dir, _worker_options, name=name)


def rebuild_dicomdir(out_dir: Path, written: list[FileOutcome]) -> bool:
    """Write a new DICOMDIR (PS3.10 8, PS3.3 F) for ``written`` and move them into its layout;
    whether one was written (none when no instance has what a directory record requires).

    pydicom's FileSet builds the records from each de-identified header and
    lays files out as PTxxxxxx/STxxxxxx/SExxxxxx/IMxxxxxx. An instance that
    lacks what a directory record requires stays outside, with a note.
    """
    import_pydicom()  # only when a DICOMDIR is asked for
    import pydicom
    from pydicom.fileset import FileSet

    fileset = FileSet()
    by_uid: dict[str, FileOutcome] = {}
    for outcome in written:
        if outcome.output is None:
            continue
        ds = pydicom.dcmread(out_dir / outcome.output, stop_before_pixels=True)
        try:
            fileset.add(ds)
        except ValueError as exc:
            outcome.reason = f"not listed in the DICOMDIR: {exc}"
            continue
        by_uid[str(ds.SOPInstanceUID)] = outcome
    if not by_uid:
        return False
    build = out_dir / _DICOMDIR_BUILD
    shutil.rmtree(build, ignore_errors=True)
    try:
        fileset.write(build)
        for instance in fileset:
            outcome = by_uid[str(instance.SOPInstanceUID)]
            target = out_dir / instance.FileID
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(out_dir / str(outcome.output), target)
            outcome.output = str(Path(instance.FileID))
        os.replace(build / DICOMDIR_NAME, out_dir / DICOMDIR_NAME)
    finally:
        shutil.rmtree(build, ignore_errors=True)
    return True


def write_manifest(out_dir: Path, summary: DeidSummary) -> Path:
    """Write ``manifest.json`` atomically: a reader never sees half of it."""
    target = out_dir / MANIFEST_NAME
    partial = out_dir / f".{MANIFEST_NAME}.partial"
    partial.write_text(json.dumps(summary.to_manifest(), indent=2) + "\n", encoding="utf-8")
    os.replace(partial, target)
    return target
