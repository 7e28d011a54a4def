"""The states of a case and the one table of allowed moves between them.

Every move is made by `services.case_transition`, which checks this table, stamps the time and
writes a timeline event; a move not in the table raises `TransitionNotAllowed`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oncoroute.accounts.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CaseState(models.TextChoices):
    NEW = "new", _("New request")
    IN_REVIEW = "in_review", _("In review")
    REFERRED_LOCAL_CARE = "referred_local_care", _("Referred to local emergency care")
    MATCHING = "matching", _("Finding clinics")
    CONSULTATIONS = "consultations", _("Consultations arranged")
    AWAITING_DECISION = "awaiting_decision", _("Opinions and quotes ready")
    PLANNING_TRIP = "planning_trip", _("Planning the trip")
    IN_TREATMENT = "in_treatment", _("Travelling and in treatment")
    FOLLOW_UP = "follow_up", _("Back home, follow-up")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CLOSED_STATES = frozenset({CaseState.CLOSED, CaseState.WITHDRAWN})

# What the patient reads on their own page: plain words, no clinical scores.
PATIENT_STATUS: dict[str, StrOrPromise] = {
    CaseState.NEW: _("We have your request. A coordinator will answer you soon."),
    CaseState.IN_REVIEW: _("A coordinator is reviewing your request and records."),
    CaseState.REFERRED_LOCAL_CARE: _(
        "Your symptoms need urgent care where you are now. Please go to your local emergency "
        "department today. We will continue when you are safe."
    ),
    CaseState.MATCHING: _("We are looking for clinics that can treat you."),
    CaseState.CONSULTATIONS: _("Consultations with specialists abroad are being arranged."),
    CaseState.AWAITING_DECISION: _("Clinics' opinions and quotes are ready for you to compare."),
    CaseState.PLANNING_TRIP: _("We are planning your trip around your treatment."),
    CaseState.IN_TREATMENT: _("You are travelling for treatment. Your coordinator is with you."),
    CaseState.FOLLOW_UP: _("You are back home. We keep in touch for your follow-up."),
    CaseState.CLOSED: _("This case is closed."),
    CaseState.WITHDRAWN: _("This request was withdrawn."),
}


@dataclass(frozen=True)
class Transition:
    """One allowed move: who may make it, whether it needs an explicit confirmation, what must
    hold first (names in `REQUIREMENTS`), and whether only a patient's acceptance makes it."""

    label: StrOrPromise
    roles: frozenset[Role] = frozenset({Role.COORDINATOR})
    needs_confirmation: bool = False
    requires: tuple[str, ...] = ()
    by_acceptance: bool = False


_OPEN = [state for state in CaseState if state not in CLOSED_STATES]

TRANSITIONS: dict[tuple[CaseState, CaseState], Transition] = {
    (CaseState.NEW, CaseState.IN_REVIEW): Transition(_("Start review")),
    (CaseState.IN_REVIEW, CaseState.MATCHING): Transition(_("Find clinics")),
    (CaseState.MATCHING, CaseState.CONSULTATIONS): Transition(
        _("Consultations arranged"), requires=("referral_sent",)
    ),
    (CaseState.CONSULTATIONS, CaseState.AWAITING_DECISION): Transition(
        _("Opinions and quotes in"), requires=("answer_released",)
    ),
    (CaseState.AWAITING_DECISION, CaseState.MATCHING): Transition(_("Look for other clinics")),
    (CaseState.AWAITING_DECISION, CaseState.PLANNING_TRIP): Transition(
        _("Patient accepted a plan"), requires=("fit_to_travel",), by_acceptance=True
    ),
    (CaseState.PLANNING_TRIP, CaseState.IN_TREATMENT): Transition(
        _("Patient has travelled"), requires=("fit_to_travel",)
    ),
    (CaseState.IN_TREATMENT, CaseState.FOLLOW_UP): Transition(
        _("Patient is back home"), requires=("returned_home",)
    ),
    (CaseState.FOLLOW_UP, CaseState.CLOSED): Transition(_("Close the case")),
    (CaseState.REFERRED_LOCAL_CARE, CaseState.IN_REVIEW): Transition(_("Resume after local care")),
    **{
        (state, CaseState.REFERRED_LOCAL_CARE): Transition(
            _("Refer to local emergency care"), needs_confirmation=True
        )
        for state in (CaseState.NEW, CaseState.IN_REVIEW, CaseState.MATCHING)
    },
    **{
        (state, CaseState.WITHDRAWN): Transition(_("Withdraw"), needs_confirmation=True)
        for state in _OPEN
    },
}


class TransitionNotAllowed(Exception):
    """A move that the TRANSITIONS table does not list, or that the actor may not make."""


# A requirement reads the case and answers None when it holds, else the sentence that says why
# the move is refused. The cases app registers its own (the safety gate, `cases.safety`); other
# apps register theirs when they load (referrals: a referral sent, an answer released).
Requirement = Callable[[Any], "StrOrPromise | None"]
REQUIREMENTS: dict[str, Requirement] = {}


def requirement_register(name: str, check: Requirement) -> None:
    REQUIREMENTS[name] = check


def refusals(case: Any, rule: Transition) -> list[StrOrPromise]:
    """Why the move cannot be made now; empty when every requirement holds. A requirement no app
    registered refuses: a check that cannot run never lets a move through."""
    found: list[StrOrPromise] = []
    for name in rule.requires:
        check = REQUIREMENTS.get(name)
        reason = (
            check(case) if check else _("This move cannot be checked (%(name)s).") % {"name": name}
        )
        if reason:
            found.append(reason)
    return found


def transitions_from(state: str) -> list[tuple[CaseState, Transition]]:
    """The moves open from a state, in table order."""
    return [(to, rule) for (frm, to), rule in TRANSITIONS.items() if frm == state]


def transition_rule(frm: str, to: str) -> Transition:
    try:
        return TRANSITIONS[(CaseState(frm), CaseState(to))]
    except (KeyError, ValueError):
        raise TransitionNotAllowed(
            gettext("A case cannot move from %(old)r to %(new)r.") % {"old": frm, "new": to}
        ) from None
