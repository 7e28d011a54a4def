"""Moving TriageSnapshot from cases to triage keeps every row of a database filled with the demo."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from oncoroute.cases.demo import demo_data_load
from oncoroute.triage.models import TriageSnapshot
from oncoroute.triage.report import StoredTriage
from tests.migrations import migrate, migrate_to_latest


def _stored_rows() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, case_id, rules_version FROM cases_triagesnapshot ORDER BY id")
        return list(cursor.fetchall())


@pytest.fixture
def demo_rows() -> Iterator[list[tuple[Any, ...]]]:
    """The demo loaded at today's schema: the rows its triages wrote, and the database at the
    latest migrations again afterwards."""
    demo_data_load()
    rows = _stored_rows()
    assert rows, "the demo records triages"
    try:
        yield rows
    finally:
        migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_snapshot_of_the_demo(demo_rows: list[tuple[Any, ...]]) -> None:
    before = migrate([("triage", None)])
    assert "triagesnapshot" in before.all_models["cases"]
    assert _stored_rows() == demo_rows
    assert before.get_model("cases", "TriageSnapshot").objects.count() == len(demo_rows)

    migrate_to_latest()

    assert _stored_rows() == demo_rows
    moved = list(TriageSnapshot.objects.order_by("pk"))
    assert [(s.pk, s.case_id, s.rules_version) for s in moved] == demo_rows
    assert all(StoredTriage.from_stored(s.report).rules_version == s.rules_version for s in moved)
    assert ContentType.objects.filter(app_label="triage", model="triagesnapshot").exists()
    assert not ContentType.objects.filter(app_label="cases", model="triagesnapshot").exists()


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_unapplied_without_losing_a_row(
    demo_rows: list[tuple[Any, ...]],
) -> None:
    migrate([("triage", None)])
    migrate_to_latest()
    apps = migrate([("triage", None)])
    assert _stored_rows() == demo_rows
    assert apps.get_model("cases", "TriageSnapshot").objects.count() == len(demo_rows)
