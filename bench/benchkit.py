"""What the benchmarks share: a fresh Django on its own SQLite file, timing and percentiles."""

from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def configure_django(name: str) -> Path:
    """Set Django up on a new SQLite file under var/bench/<name>/, migrated; that folder."""
    work = ROOT / "var" / "bench" / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["ONCOROUTE_VAR_DIR"] = str(ROOT / "var")
    os.environ["REQUEST_RATE_LIMIT_PER_HOUR"] = "1000000"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncoroute.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return work


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock milliseconds of each of `repeat` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples
