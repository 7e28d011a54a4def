"""The follow-up's entries on the case's timeline: one function per kind. They are coordinators'
notes (no new timeline kind, so the cases app's choices stay as they are), in plain words that
name the interval and never an answer."""

from __future__ import annotations

from oncoroute.accounts.models import User
from oncoroute.cases.events import case_event
from oncoroute.cases.models import Case, CaseEvent
from oncoroute.followup.models import CheckIn, FollowUp


def _note(*, case: Case, actor: User | None, text: str) -> CaseEvent:
    return case_event(
        case=case, kind=CaseEvent.Kind.NOTE, actor=actor, visible_to_patient=False, text=text
    )


def followup_planned_event(*, case: Case, actor: User | None, follow_up: FollowUp) -> CaseEvent:
    schedule = ", ".join(follow_up.schedule)
    return _note(
        case=case,
        actor=actor,
        text=f"Follow-up planned: home on {follow_up.returned_on:%Y-%m-%d}, check-ins {schedule}.",
    )


def check_in_answered_event(*, case: Case, check_in: CheckIn) -> CaseEvent:
    return _note(case=case, actor=None, text=f"Follow-up check-in ({check_in.interval}) answered.")


def check_in_warning_event(*, case: Case, check_in: CheckIn) -> CaseEvent:
    return _note(
        case=case,
        actor=None,
        text=(
            f"Follow-up check-in ({check_in.interval}) reported cord-compression warning signs: "
            "the patient was shown the emergency advice; the case is now an emergency and "
            "travel is blocked until a clinician's local assessment is recorded."
        ),
    )
