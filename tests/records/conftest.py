"""Records tests write real files: every test gets its own MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    # One process: a pool per test costs more than these tiny studies.
    settings.RECORDS_DEID_JOBS = 1
    return Path(settings.MEDIA_ROOT)


def stored_files(media_root: Path) -> list[str]:
    """Every finished file under MEDIA_ROOT (the partial area excluded)."""
    return sorted(
        str(p.relative_to(media_root))
        for p in media_root.rglob("*")
        if p.is_file() and "partial" not in p.relative_to(media_root).parts
    )


def partial_files(media_root: Path) -> list[Path]:
    return sorted(p for p in (media_root / "partial").rglob("*") if p.is_file())
