"""Timeline events of triage."""

from __future__ import annotations

from oncoroute.accounts.models import User
from oncoroute.cases.events import case_event
from oncoroute.cases.models import Case, CaseEvent
from oncoroute.triage.models import TriageSnapshot


def triage_recorded_event(*, case: Case, actor: User, snapshot: TriageSnapshot) -> CaseEvent:
    return case_event(
        case=case,
        kind=CaseEvent.Kind.TRIAGE_RECORDED,
        actor=actor,
        visible_to_patient=False,
        snapshot_id=snapshot.pk,
        rules_version=snapshot.rules_version,
    )
