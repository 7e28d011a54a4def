"""The triage panel of a coordinator's case page."""

from __future__ import annotations

from typing import Any

from django import template

from oncoroute.cases.models import Case
from oncoroute.triage.display import triage_display
from oncoroute.triage.selectors import case_triage_snapshots

register = template.Library()


@register.inclusion_tag("triage/_triage_panel.html")
def case_triage_panel(case: Case) -> dict[str, Any]:
    """The latest triage of the case with its spine diagram, and how many came before."""
    snapshots = case_triage_snapshots(case=case)
    latest = snapshots.first()
    return {
        "case": case,
        "snapshot": latest,
        "snapshot_count": snapshots.count(),
        **triage_display(latest),
    }
