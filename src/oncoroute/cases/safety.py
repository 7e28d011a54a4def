"""The safety gate: no move into trip planning, travel or treatment abroad while the case shows
cord-compression warning signs that no clinician has cleared since (DESIGN.md, rules that do
not bend). The signs come from the request, from the latest triage, or from a source another
app registers (e.g. a flagged message)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from oncoroute.cases.models import Case
from oncoroute.cases.vocabulary import Urgency
from oncoroute.cases.workflow import requirement_register

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Other sources of warning signs: each returns when the latest sign was raised, or None.
FlagSource = Callable[[Case], datetime | None]
FLAG_SOURCES: list[FlagSource] = []


def _urgency_flag(case: Case) -> datetime | None:
    """The case's urgency is the latest triage's, else the request's: when it became an
    emergency is the latest triage's time, else the request's."""
    if case.urgency != Urgency.EMERGENCY:
        return None
    latest = case.triage_snapshots.order_by("-recorded_at").values_list("recorded_at", flat=True)
    return latest.first() or case.created_at


def _message_flag(case: Case) -> datetime | None:
    """When a coordinator last flagged one of the family's messages for warning signs."""
    flagged = case.messages.filter(warning_flagged_at__isnull=False).order_by("-warning_flagged_at")
    return flagged.values_list("warning_flagged_at", flat=True).first()


def cord_flag_raised_at(case: Case) -> datetime | None:
    """When the latest warning sign was raised, from every source."""
    sources = (_urgency_flag, _message_flag, *FLAG_SOURCES)
    raised = [when for source in sources if (when := source(case))]
    return max(raised, default=None)


def cord_flag_unresolved(case: Case) -> bool:
    """Warning signs were raised and no clinician's clearance was recorded after them."""
    raised = cord_flag_raised_at(case)
    if raised is None:
        return False
    return not case.travel_clearances.filter(recorded_at__gte=raised).exists()


def fit_to_travel(case: Case) -> StrOrPromise | None:
    if cord_flag_unresolved(case):
        return _(
            "Cord-compression warning signs: no planning of travel or treatment abroad until a "
            "clinician records that the patient was assessed locally and is fit to travel."
        )
    return None


requirement_register("fit_to_travel", fit_to_travel)
