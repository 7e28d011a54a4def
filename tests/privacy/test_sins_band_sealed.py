"""The case's SINS band is a triage finding: sealed at rest like the other health fields, while
the queue still orders by the plain rank; bands stored before stay readable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from oncoroute.cases.models import Case
from oncoroute.cases.selectors import QueueFilters, case_queue
from oncoroute.triage.services import case_triage_record
from tests.factories import submitted_case
from tests.migrations import migrate, migrate_to_latest, migrated_back, parents_in_app
from tests.privacy.conftest import raw_rows

SEALING = ("cases", "0008_encrypt_sins_band")
FINDINGS = Path(__file__).resolve().parents[1] / "clinical" / "cases"


def _findings(name: str) -> dict[str, Any]:
    return dict(json.loads((FINDINGS / name).read_text())["findings"])


def _bands() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sins_band FROM cases_case ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_the_sins_band_is_sealed_and_the_queue_still_orders_by_rank(coordinator: Any) -> None:
    stable = submitted_case(address="192.0.2.31")
    unstable = submitted_case(address="192.0.2.32")
    case_triage_record(
        case=stable,
        actor=coordinator,
        findings=_findings("01_breast_solitary_blastic_observation.json"),
    )
    case_triage_record(
        case=unstable,
        actor=coordinator,
        findings=_findings("03_kidney_high_grade_separation_surgery.json"),
    )
    assert all(band.startswith("v1:") for band in _bands())
    assert "stable" not in raw_rows("cases_case")
    assert Case.objects.get(pk=unstable.pk).sins_band == "potentially_unstable"
    assert Case.objects.get(pk=stable.pk).sins_band == "stable"
    queue = list(case_queue(user=coordinator, filters=QueueFilters()))
    assert queue == [unstable, stable]


@pytest.fixture
def before_sealing(patient_case: Case) -> Iterator[None]:
    """The schema before sealing, with a case made by today's code (its band sealed as "")."""
    with migrated_back(parents_in_app(SEALING)):
        yield


@pytest.mark.django_db(transaction=True)
def test_bands_stored_before_sealing_are_sealed_and_read_back(
    before_sealing: None, patient_case: Case
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET sins_band = %s", ["unstable"])
    migrate([SEALING])
    assert _bands()[0].startswith("v1:")
    migrate(parents_in_app(SEALING))
    assert _bands() == ["unstable"]  # unapplied, the band is plain again
    migrate_to_latest()
    assert Case.objects.get(pk=patient_case.pk).sins_band == "unstable"
