"""Reads on triage: a case's snapshots, newest first."""

from __future__ import annotations

from django.db.models import QuerySet

from oncoroute.cases.models import Case
from oncoroute.triage.models import TriageSnapshot
from oncoroute.triage.report import StoredTriage


def case_triage_snapshots(*, case: Case) -> QuerySet[TriageSnapshot]:
    """Every triage of the case, newest first."""
    return TriageSnapshot.objects.filter(case=case).select_related("recorded_by")


def latest_triage(*, case: Case) -> TriageSnapshot | None:
    return case_triage_snapshots(case=case).first()


def latest_travel(*, case: Case) -> str:
    """What the case's latest triage says of travel (SPEC §8), or "" before any triage."""
    snapshot = latest_triage(case=case)
    return StoredTriage.from_stored(snapshot.report).summary.travel if snapshot else ""
