"""Timeline events written by the clinic directory: one function per kind."""

from __future__ import annotations

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case, CaseEvent


def shortlist_saved_event(
    *, case: Case, actor: User, shortlist_id: int, clinic_ids: list[str]
) -> CaseEvent:
    """The coordinator saved a shortlist; the event names clinics only, never health data."""
    return CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.SHORTLIST_SAVED,
        actor=actor,
        visible_to_patient=False,
        data={"shortlist_id": shortlist_id, "clinic_ids": clinic_ids},
    )
