"""Benchmark ``oncoroute deid`` against a plain copy, dicognito and dcmanon, in one run.

    .venv/bin/python bench/bench_deid.py [--slices 500] [--memory-files 2000]

Whole processes first, as from the shell: ``cp -r``, dcmanon 0.3.1 (Rust, default
settings, one file at a time in a 2-process pool, in its own virtual environment
var/bench-venv-dcmanon) and ``oncoroute deid IN OUT`` (start-up included), taking
turns run after run (``--process-runs``, default 7; the order rotates each round)
with warm inputs and outputs deleted outside the timings. Medians count, and the
ratios are oncoroute's median over the others'; the CPU seconds of each tool's processes
are shown too, as a check on how busy the machine was. Targets: no slower than dcmanon,
at most 2× ``cp -r``. Every output is checked after the timings: identifying values
left (``verify``), Patient Identity Removed, referenced UIDs kept and replaced
consistently, private elements left.

Then the in-process comparison:

A synthetic CT study (512×512 slices) is generated under var/bench/deid/. The
same study is then copied (shutil.copytree: the physical limit), de-identified
by dicognito 0.19.0 (the anchor, installed in its own virtual environment
var/bench-venv-dicognito, never in the project's), and de-identified by
oncoroute's API on all cores. Each output is checked with
``oncoroute.deid.verify``. Peak memory is measured on a larger study of
smaller images in a fresh process, through ru_maxrss of the process and of
its pool workers.

Before each timed run the tool's input is read once, so that every tool
(copy included) starts with its input in the page cache; otherwise the
first tool would pay for reading from disk and the others would not. Earlier
outputs are deleted before, and the checks with ``verify`` run after, outside
the timings. Each tool runs ``--repeats`` times (default 3) and its best time
counts, which keeps a burst of other work on a shared machine from deciding
the comparison; every tool gets the same treatment.

Targets: ≥ 4× dicognito's throughput, ≤ 3× the copy time, zero identifying
values left, peak memory < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from oncoroute.deid import deidentify_study, verify
from oncoroute.deid.synthetic import write_ct_study

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench" / "deid"
DICOGNITO_VENV = ROOT / "var" / "bench-venv-dicognito"
DICOGNITO_VERSION = "0.19.0"
DCMANON_VENV = ROOT / "var" / "bench-venv-dcmanon"
DCMANON_VERSION = "0.3.1"
# dcmanon as its documentation shows it, with defaults: one file per task, two processes.
DCMANON_SCRIPT = """
import sys
from multiprocessing import Pool
from pathlib import Path
from dcmanon import Anonymizer

SOURCE, TARGET = Path(sys.argv[1]), Path(sys.argv[2])
_anonymizer = None


def one(relative):
    global _anonymizer
    if _anonymizer is None:
        _anonymizer = Anonymizer()
    out = TARGET / relative
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(_anonymizer.anonymize(str(SOURCE / relative)))


if __name__ == "__main__":
    files = [str(p.relative_to(SOURCE)) for p in SOURCE.rglob("*.dcm")]
    with Pool(2) as pool:
        pool.map(one, files, chunksize=1)
"""
SECRET = b"benchmark-secret-not-for-production"
SHIFT_DAYS = -137


def main() -> int:
    args = _arguments()
    study = _study(WORK / f"study-{args.slices}x{args.size}", args.slices, args.size)
    megabytes = _size(study) / 1e6
    print(f"study: {args.slices} CT slices of {args.size}×{args.size}, {megabytes:.0f} MB")

    if args.process_runs:
        _whole_processes(study, args.process_runs)

    copy_out, oncoroute_out = WORK / "copy", WORK / "oncoroute"
    copy_seconds = _timed(lambda: shutil.copytree(study, copy_out), study, copy_out, args.repeats)
    oncoroute_seconds = _timed(
        lambda: deidentify_study(
            study,
            oncoroute_out,
            secret=SECRET,
            date_shift_days=SHIFT_DAYS,
            jobs=args.jobs,
        ),
        study,
        oncoroute_out,
        args.repeats,
    )
    dicognito_seconds = None if args.skip_dicognito else _run_dicognito(study, args.repeats)

    print()
    print(f"{'tool':<12} {'best s':>8} {'MB/s':>8} {'identifying values left':>24}   all runs, s")
    _row("copy", copy_seconds, megabytes, _survivors(study, WORK / "copy"))
    if dicognito_seconds is not None:
        _row("dicognito", dicognito_seconds, megabytes, _survivors(study, WORK / "dicognito-out"))
    _row("oncoroute", oncoroute_seconds, megabytes, _survivors(study, WORK / "oncoroute"))
    print()
    ratio = min(oncoroute_seconds) / min(copy_seconds)
    print(f"oncoroute time / copy time: {ratio:.2f}× (target ≤ 3×)")
    if dicognito_seconds is not None:
        speedup = min(dicognito_seconds) / min(oncoroute_seconds)
        print(f"oncoroute throughput / dicognito: {speedup:.1f}× (target ≥ 4×)")
    if args.memory_files:
        _memory(args.memory_files, args.memory_size, args.jobs)
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--slices", type=int, default=500)
    parser.add_argument("--size", type=int, default=512, help="rows and columns of each slice")
    parser.add_argument("--jobs", type=int, default=0, help="oncoroute workers (0: all cores)")
    parser.add_argument("--memory-files", type=int, default=2000, help="0 skips the memory part")
    parser.add_argument("--memory-size", type=int, default=256)
    parser.add_argument("--skip-dicognito", action="store_true")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per tool; best counts")
    parser.add_argument(
        "--process-runs", type=int, default=7, help="whole-process runs per tool (0 skips them)"
    )
    return parser.parse_args()


def _study(path: Path, slices: int, size: int) -> Path:
    marker = path / ".complete"
    if not marker.exists():
        _fresh(path)
        write_ct_study(path, slices, rows=size, cols=size, seed=2024)
        marker.write_text("ok\n")
    return path


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*.dcm"))


def _warm(path: Path) -> None:
    """Read every file under ``path`` once, so that it sits in the page cache."""
    for file in path.rglob("*"):
        if file.is_file():
            with file.open("rb") as fp:
                while fp.read(1 << 20):
                    pass


def _timed(action: object, source: Path, output: Path, repeats: int) -> list[float]:
    """Seconds of ``repeats`` runs, each into a fresh ``output`` with a warm ``source``."""
    runs = []
    for _ in range(max(repeats, 1)):
        _fresh(output)
        os.sync()
        _warm(source)
        started = time.perf_counter()
        action()  # type: ignore[operator]
        runs.append(time.perf_counter() - started)
    return runs


def _dicognito_python() -> Path:
    python = DICOGNITO_VENV / "bin" / "python"
    installed = (
        subprocess.run(  # noqa: S603 - arguments built here, no shell
            [str(python), "-c", "import dicognito; print(dicognito.__version__)"],
            capture_output=True,
            text=True,
            check=False,
        )
        if python.exists()
        else None
    )
    if installed is None or installed.stdout.strip() != DICOGNITO_VERSION:
        print(f"installing dicognito {DICOGNITO_VERSION} into {DICOGNITO_VENV} …")
        subprocess.run([sys.executable, "-m", "venv", str(DICOGNITO_VENV)], check=True)  # noqa: S603 - arguments built here, no shell
        subprocess.run(  # noqa: S603 - arguments built here, no shell
            [str(python), "-m", "pip", "install", "-q", f"dicognito=={DICOGNITO_VERSION}"],
            check=True,
        )
    return python


def _run_dicognito(study: Path, repeats: int) -> list[float]:
    python = _dicognito_python()
    source = WORK / "dicognito-in"
    shutil.copytree(study, _fresh(source))
    output = WORK / "dicognito-out"
    # dicognito 0.19.0's console script calls main() without its arguments, so
    # the module is run instead; same code, same options.
    command = [str(python), "-m", "dicognito", "--quiet", "--output-directory", str(output)]
    return _timed(
        lambda: subprocess.run([*command, str(source)], check=True),  # noqa: S603 - arguments built here, no shell
        source,
        output,
        repeats,
    )


def _dcmanon_python() -> Path:
    python = DCMANON_VENV / "bin" / "python"
    installed = (
        subprocess.run(  # noqa: S603 - arguments built here, no shell
            [str(python), "-m", "pip", "show", "dcmanon"], capture_output=True, text=True
        )
        if python.exists()
        else None
    )
    if installed is None or f"Version: {DCMANON_VERSION}" not in installed.stdout:
        print(f"installing dcmanon {DCMANON_VERSION} into {DCMANON_VENV} …")
        subprocess.run([sys.executable, "-m", "venv", str(DCMANON_VENV)], check=True)  # noqa: S603 - arguments built here, no shell
        subprocess.run(  # noqa: S603 - arguments built here, no shell
            [str(python), "-m", "pip", "install", "-q", f"dcmanon=={DCMANON_VERSION}"],
            check=True,
        )
    return python


def _whole_processes(study: Path, runs: int) -> None:
    """Each tool as a whole process from the shell, in turns; medians and ratios."""
    secret_file = WORK / "secret"
    secret_file.write_bytes(SECRET)
    oncoroute = Path(sys.executable).with_name("oncoroute")
    script = WORK / "dcmanon_run.py"
    script.write_text(DCMANON_SCRIPT)
    outputs = {name: WORK / f"process-{name}" for name in ("cp -r", "dcmanon", "oncoroute")}
    commands = {
        "cp -r": ["cp", "-r", str(study), str(outputs["cp -r"])],
        "dcmanon": [str(_dcmanon_python()), str(script), str(study), str(outputs["dcmanon"])],
        # As a person runs it: the secret from a file, everything else by default.
        "oncoroute": [
            str(oncoroute), "deid", str(study), str(outputs["oncoroute"]),
            "--secret-file", str(secret_file),
        ],
    }  # fmt: skip
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for round_number in range(runs):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            _fresh(outputs[name])
            os.sync()
            _warm(study)
            before = _children_cpu()
            started = time.perf_counter()
            subprocess.run(commands[name], check=True, capture_output=True)  # noqa: S603 - arguments built here, no shell
            seconds[name].append(time.perf_counter() - started)
            cpu[name].append(_children_cpu() - before)
    medians = {name: statistics.median(runs_) for name, runs_ in seconds.items()}
    print(f"whole processes, {runs} runs each in turns (medians, s):")
    for name in names:
        every = ", ".join(f"{run:.2f}" for run in seconds[name])
        print(f"  {name:<10} {medians[name]:6.2f}   {every}")
    # CPU time (user + system, all of a tool's processes) depends far less than elapsed
    # time on what else the machine runs; it tells a slow run from a busy machine.
    print("  CPU seconds (user + system, medians): " + ", ".join(
        f"{name} {statistics.median(cpu[name]):.2f}" for name in names
    ))  # fmt: skip
    paired_cp = statistics.median(
        o / c for o, c in zip(seconds["oncoroute"], seconds["cp -r"], strict=True)
    )
    paired_dcmanon = statistics.median(
        o / d for o, d in zip(seconds["oncoroute"], seconds["dcmanon"], strict=True)
    )
    print(
        f"  oncoroute / cp -r: {medians['oncoroute'] / medians['cp -r']:.2f}× of medians, "
        f"{paired_cp:.2f}× median of pairs (target ≤ 2×)"
    )
    print(
        f"  oncoroute / dcmanon: {medians['oncoroute'] / medians['dcmanon']:.2f}× of medians, "
        f"{paired_dcmanon:.2f}× median of pairs (target ≤ 1×)"
    )
    print()
    print("checks of each output:")
    for name in names:
        print(f"  {name:<10} {_checks(study, outputs[name])}")
    print()


def _children_cpu() -> float:
    """User and system seconds of every finished child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _checks(study: Path, output: Path) -> str:
    """What a receiver would check: values left, the marking, references, private elements."""
    import pydicom

    survivors = _survivors(study, output)
    files = sorted(p for p in output.rglob("*.dcm"))
    marked = referenced = private = 0
    uids_in: set[str] = set()
    for path in files:
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        marked += str(ds.get("PatientIdentityRemoved", "")).upper() == "YES"
        references = ds.get("ReferencedImageSequence") or ds.get("ReferencedStudySequence")
        referenced += bool(references) and any(
            "ReferencedSOPInstanceUID" in item for item in references
        )
        private += any(element.tag.is_private for element in ds)
        uids_in.add(str(ds.get("StudyInstanceUID", "")))
    return (
        f"{len(files)} files; identifying values left: {survivors}; Patient Identity Removed: "
        f"{marked}/{len(files)}; referenced UIDs kept: {referenced}/{len(files)}; with private "
        f"elements: {private}/{len(files)}; distinct Study Instance UIDs: {len(uids_in)}"
    )


def _survivors(study: Path, output: Path) -> int:
    return len(verify(study, output).survivors)


def _row(tool: str, runs: list[float], megabytes: float, survivors: int) -> None:
    seconds = min(runs)
    every = ", ".join(f"{run:.2f}" for run in runs)
    print(f"{tool:<12} {seconds:>8.2f} {megabytes / seconds:>8.0f} {survivors:>24}   {every}")


_MEMORY_CHILD = """
import json, resource, sys
from pathlib import Path
from oncoroute.deid import deidentify_study
summary = deidentify_study(Path(sys.argv[1]), Path(sys.argv[2]), secret=b"m",
                           date_shift_days=-10, jobs=int(sys.argv[3]))
print(json.dumps({
    "main_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "largest_worker_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    "written": len(summary.written),
}))
"""


def _memory(files: int, size: int, jobs: int) -> None:
    study = _study(WORK / f"memory-{files}x{size}", files, size)
    output = _fresh(WORK / "memory-out")
    result = subprocess.run(  # noqa: S603 - arguments built here, no shell
        [sys.executable, "-c", _MEMORY_CHILD, str(study), str(output), str(jobs)],
        capture_output=True,
        text=True,
        check=True,
    )
    peak = json.loads(result.stdout.strip().splitlines()[-1])
    workers = jobs if jobs > 0 else len(os.sched_getaffinity(0))
    main_mb, worker_mb = peak["main_kb"] / 1024, peak["largest_worker_kb"] / 1024
    total = main_mb + workers * worker_mb
    print()
    print(f"memory, {files} files of {size}×{size} ({peak['written']} written):")
    print(f"  peak RSS: main process {main_mb:.0f} MB, largest worker {worker_mb:.0f} MB")
    print(f"  main + {workers} workers at their peaks: {total:.0f} MB (target < 300 MB)")


if __name__ == "__main__":
    sys.exit(main())
