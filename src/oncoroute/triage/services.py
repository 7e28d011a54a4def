"""Writes on triage: record a case's findings and the report the clinical rules make of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case
from oncoroute.cases.services import case_priority_set
from oncoroute.clinical import triage
from oncoroute.triage import events
from oncoroute.triage.models import TriageSnapshot


@transaction.atomic
def case_triage_record(*, case: Case, actor: User, findings: Mapping[str, Any]) -> TriageSnapshot:
    """Triage the findings, keep both as a snapshot, and re-rank the case in the queue.

    Raises `oncoroute.clinical.FindingsError` (naming the field) for invalid findings; then
    nothing is stored.
    """
    report = triage(findings)
    case = case_priority_set(
        case=case, urgency=report.summary.triage, sins_band=report.summary.sins_band or ""
    )
    snapshot = TriageSnapshot.objects.create(
        case=case,
        findings=dict(findings),
        report=report.to_dict(),
        rules_version=report.rules_version,
        recorded_by=actor,
    )
    events.triage_recorded_event(case=case, actor=actor, snapshot=snapshot)
    return snapshot
