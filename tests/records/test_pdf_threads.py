"""PDFium is not thread-safe: pages drawn and counted by several server threads at once must not
crash the process (a coordinator's redaction page draws each page in its own request)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.records.test_document_sharing import canary_pdf

# Run in a child process: without the lock, PDFium's crash would take the test run down with it.
DRAWN_BY_THREADS = """
import sys
from concurrent.futures import ThreadPoolExecutor
from oncoroute.records import cleaning

data = open(sys.argv[1], "rb").read()

def one(number):
    if number % 2:
        return cleaning.page_count(data, "pdf")
    return cleaning.pages_draw(data, "pdf", only=0)[0].size

with ThreadPoolExecutor(8) as pool:
    results = list(pool.map(one, range(400)))
print(len(set(results)))
"""


def test_pages_drawn_by_many_threads_at_once_do_not_crash_the_process(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(canary_pdf())
    child = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", DRAWN_BY_THREADS, str(pdf)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.strip() == "2"  # one page count, one page size
