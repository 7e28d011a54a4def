"""Drawing a preview in a child process whose address space is limited.

The header bound (``dicom.read_geometry``) cannot see everything a decoder allocates: a
compressed frame may declare other dimensions inside its own codestream, or be split into
fragments read whole. A child that runs out of its limit fails alone; the worker carries on.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

from oncoroute.records import dicom


class DrawingFailed(Exception):
    """The child could not draw the preview: unreadable pixels, or a limit reached."""


def draw(path: Path, *, memory_bytes: int, seconds: float) -> bytes:
    """The PNG preview of the DICOM file at ``path``, drawn by a child under both limits."""
    try:
        done = subprocess.run(  # noqa: S603 - this module, our interpreter, a path we made
            [sys.executable, "-m", __name__, str(path), str(memory_bytes)],
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DrawingFailed("the child ran out of time") from None
    # The child's error output may quote header values: only its status is reported.
    if done.returncode != 0 or not done.stdout:
        raise DrawingFailed(f"the child ended with status {done.returncode}")
    return done.stdout


def _limit_address_space(extra_bytes: int) -> None:
    statm = Path("/proc/self/statm")
    if not statm.exists():  # not Linux, where RLIMIT_AS is not enforced anyway
        return
    # Counted from what the interpreter and its libraries already hold, so that the limit
    # bounds the decoding alone, however much address space the imports reserved.
    pages = int(statm.read_text().split()[0])
    limit = pages * resource.getpagesize() + extra_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main(argv: list[str]) -> int:
    path, memory_bytes = Path(argv[0]), int(argv[1])
    _limit_address_space(memory_bytes)
    try:
        png = dicom.render_preview(path)
    except Exception:  # MemoryError included; the message could quote the file's values
        return 1
    sys.stdout.buffer.write(png)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
