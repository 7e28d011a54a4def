"""The states of a case and the one table of allowed moves between them.

Every move is made by `services.case_transition`, which checks this table, stamps the time and
writes a timeline event; a move not in the table raises `TransitionNotAllowed`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from oncoroute.accounts.roles import Role


class CaseState(models.TextChoices):
    NEW = "new", "New request"
    IN_REVIEW = "in_review", "In review"
    REFERRED_LOCAL_CARE = "referred_local_care", "Referred to local emergency care"
    MATCHING = "matching", "Finding clinics"
    CONSULTATIONS = "consultations", "Consultations arranged"
    AWAITING_DECISION = "awaiting_decision", "Opinions and quotes ready"
    PLANNING_TRIP = "planning_trip", "Planning the trip"
    IN_TREATMENT = "in_treatment", "Travelling and in treatment"
    FOLLOW_UP = "follow_up", "Back home, follow-up"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


CLOSED_STATES = frozenset({CaseState.CLOSED, CaseState.WITHDRAWN})

# What the patient reads on their own page: plain words, no clinical scores.
PATIENT_STATUS: dict[str, str] = {
    CaseState.NEW: "We have your request. A coordinator will answer you soon.",
    CaseState.IN_REVIEW: "A coordinator is reviewing your request and records.",
    CaseState.REFERRED_LOCAL_CARE: (
        "Your symptoms need urgent care where you are now. Please go to your local emergency "
        "department today. We will continue when you are safe."
    ),
    CaseState.MATCHING: "We are looking for clinics that can treat you.",
    CaseState.CONSULTATIONS: "Consultations with specialists abroad are being arranged.",
    CaseState.AWAITING_DECISION: "Clinics' opinions and quotes are ready for you to compare.",
    CaseState.PLANNING_TRIP: "We are planning your trip around your treatment.",
    CaseState.IN_TREATMENT: "You are travelling for treatment. Your coordinator is with you.",
    CaseState.FOLLOW_UP: "You are back home. We keep in touch for your follow-up.",
    CaseState.CLOSED: "This case is closed.",
    CaseState.WITHDRAWN: "This request was withdrawn.",
}


@dataclass(frozen=True)
class Transition:
    """One allowed move: who may make it, and whether it needs an explicit confirmation."""

    label: str
    roles: frozenset[Role] = frozenset({Role.COORDINATOR})
    needs_confirmation: bool = False


_OPEN = [state for state in CaseState if state not in CLOSED_STATES]

TRANSITIONS: dict[tuple[CaseState, CaseState], Transition] = {
    (CaseState.NEW, CaseState.IN_REVIEW): Transition("Start review"),
    (CaseState.IN_REVIEW, CaseState.MATCHING): Transition("Find clinics"),
    (CaseState.MATCHING, CaseState.CONSULTATIONS): Transition("Consultations arranged"),
    (CaseState.CONSULTATIONS, CaseState.AWAITING_DECISION): Transition("Opinions and quotes in"),
    (CaseState.AWAITING_DECISION, CaseState.MATCHING): Transition("Look for other clinics"),
    (CaseState.AWAITING_DECISION, CaseState.PLANNING_TRIP): Transition("Patient accepted a plan"),
    (CaseState.PLANNING_TRIP, CaseState.IN_TREATMENT): Transition("Patient has travelled"),
    (CaseState.IN_TREATMENT, CaseState.FOLLOW_UP): Transition("Patient is back home"),
    (CaseState.FOLLOW_UP, CaseState.CLOSED): Transition("Close the case"),
    (CaseState.REFERRED_LOCAL_CARE, CaseState.IN_REVIEW): Transition("Resume after local care"),
    **{
        (state, CaseState.REFERRED_LOCAL_CARE): Transition(
            "Refer to local emergency care", needs_confirmation=True
        )
        for state in (CaseState.NEW, CaseState.IN_REVIEW, CaseState.MATCHING)
    },
    **{
        (state, CaseState.WITHDRAWN): Transition("Withdraw", needs_confirmation=True)
        for state in _OPEN
    },
}


class TransitionNotAllowed(Exception):
    """A move that the TRANSITIONS table does not list, or that the actor may not make."""


def transitions_from(state: str) -> list[tuple[CaseState, Transition]]:
    """The moves open from a state, in table order."""
    return [(to, rule) for (frm, to), rule in TRANSITIONS.items() if frm == state]


def transition_rule(frm: str, to: str) -> Transition:
    try:
        return TRANSITIONS[(CaseState(frm), CaseState(to))]
    except (KeyError, ValueError):
        raise TransitionNotAllowed(f"A case cannot move from {frm!r} to {to!r}.") from None
