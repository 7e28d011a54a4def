"""Shape a snapshot for the coordinator's panel and the printable summary."""

from __future__ import annotations

from oncoroute.triage.models import TriageSnapshot
from oncoroute.triage.report import StoredTriage
from oncoroute.triage.spine import spine_diagram


def triage_display(snapshot: TriageSnapshot | None) -> dict[str, object]:
    """The panel's context: the stored report (`triage`) and its spine diagram (`spine`)."""
    if snapshot is None:
        return {"triage": None, "spine": None}
    report = StoredTriage.from_stored(snapshot.report)
    return {"triage": report, "spine": spine_diagram(snapshot.findings, report)}
