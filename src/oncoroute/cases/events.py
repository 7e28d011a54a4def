"""One function per kind of timeline event; each writes one row and returns it."""

from __future__ import annotations

from typing import Any

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case, CaseEvent, PatientNotice
from oncoroute.cases.notices import patient_notice_queue


def case_event(
    *, case: Case, kind: str, actor: User | None, visible_to_patient: bool, **data: Any
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor, data=data, visible_to_patient=visible_to_patient
    )


def request_submitted_event(*, case: Case) -> CaseEvent:
    return case_event(
        case=case,
        kind=CaseEvent.Kind.SUBMITTED,
        actor=None,
        visible_to_patient=True,
        urgency=case.urgency,
    )


def received_over_rate_limit_event(*, case: Case) -> CaseEvent:
    return case_event(
        case=case, kind=CaseEvent.Kind.OVER_RATE_LIMIT, actor=None, visible_to_patient=False
    )


def linked_to_account_event(*, case: Case) -> CaseEvent:
    return case_event(case=case, kind=CaseEvent.Kind.LINKED, actor=None, visible_to_patient=True)


def emails_sent_event(*, case: Case, recipients: int) -> CaseEvent:
    return case_event(
        case=case,
        kind=CaseEvent.Kind.EMAILS_SENT,
        actor=None,
        visible_to_patient=True,
        recipients=recipients,
    )


def case_assigned_event(*, case: Case, actor: User, assignee: User) -> CaseEvent:
    return case_event(
        case=case,
        kind=CaseEvent.Kind.ASSIGNED,
        actor=actor,
        visible_to_patient=False,
        assignee=assignee.display_name,
    )


def note_added_event(*, case: Case, actor: User, text: str) -> CaseEvent:
    return case_event(
        case=case, kind=CaseEvent.Kind.NOTE, actor=actor, visible_to_patient=False, text=text
    )


def state_changed_event(*, case: Case, actor: User, old: str, new: str, reason: str) -> CaseEvent:
    patient_notice_queue(case=case, kind=PatientNotice.Kind.STATE)
    return case_event(
        case=case,
        kind=CaseEvent.Kind.TRANSITION,
        actor=actor,
        visible_to_patient=True,
        old=old,
        new=new,
        reason=reason,
    )


def emergency_advice_sent_event(*, case: Case, recipients: int) -> CaseEvent:
    return case_event(
        case=case,
        kind=CaseEvent.Kind.EMERGENCY_ADVICE_SENT,
        actor=None,
        visible_to_patient=True,
        recipients=recipients,
    )


def case_shared_event(*, case: Case, actor: User, clinic_id: int) -> CaseEvent:
    return case_event(
        case=case,
        kind=CaseEvent.Kind.SHARED,
        actor=actor,
        visible_to_patient=True,
        clinic_id=clinic_id,
    )


def consent_withdrawn_event(*, case: Case, actor: User, purpose: str) -> CaseEvent:
    return case_event(
        case=case,
        kind=CaseEvent.Kind.CONSENT_WITHDRAWN,
        actor=actor,
        visible_to_patient=True,
        purpose=purpose,
    )


def message_sent_event(*, case: Case, actor: User, side: str) -> CaseEvent:
    """A message on the thread; the event names its side, never its text."""
    return case_event(
        case=case, kind=CaseEvent.Kind.MESSAGE, actor=actor, visible_to_patient=True, side=side
    )


def warning_flagged_event(*, case: Case, actor: User, message_id: int) -> CaseEvent:
    return case_event(
        case=case,
        kind=CaseEvent.Kind.WARNING_FLAGGED,
        actor=actor,
        visible_to_patient=False,
        message=message_id,
    )


def travel_cleared_event(*, case: Case, actor: User, assessed_on: str) -> CaseEvent:
    return case_event(
        case=case,
        kind=CaseEvent.Kind.TRAVEL_CLEARED,
        actor=actor,
        visible_to_patient=False,
        assessed_on=assessed_on,
    )


def duplicate_flagged_event(*, case: Case, earlier: Case) -> CaseEvent:
    return case_event(
        case=case,
        kind=CaseEvent.Kind.DUPLICATE_FLAGGED,
        actor=None,
        visible_to_patient=False,
        earlier=earlier.reference,
    )


def merged_event(*, case: Case, actor: User, merged: Case, into: Case) -> CaseEvent:
    return case_event(
        case=case,
        kind=CaseEvent.Kind.MERGED,
        actor=actor,
        visible_to_patient=False,
        merged=merged.reference,
        into=into.reference,
    )
