"""Privacy tests: real files in a per-test MEDIA_ROOT, canaries that must never show in clear."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from oncoroute.cases.models import Case
from tests.factories import submitted_case

CANARY = "Zzcanary-Ivanova-7f3a"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def canary_case(db: None) -> Case:
    """A case whose every free-text health field carries the canary."""
    return submitted_case(
        email="canary@test.example",
        full_name="Cana Ry",
        primary_cancer="other",
        primary_cancer_other=f"{CANARY} chordoma",
        current_treatment=f"{CANARY} current",
        past_treatment=f"{CANARY} past",
        message=f"{CANARY} message",
        address="192.0.2.77",
    )


def raw_rows(table: str) -> str:
    """Every value of every row of ``table`` as stored, joined into one string."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - test
        return "\n".join(
            bytes(v).decode("latin-1") if isinstance(v, (bytes, memoryview)) else str(v)
            for row in cursor.fetchall()
            for v in row
        )


def all_tables_text() -> str:
    from django.db import connection

    return "\n".join(raw_rows(t) for t in connection.introspection.table_names())
