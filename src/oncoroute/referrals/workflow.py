"""The states of a referral (one case sent to one clinic) and the one table of allowed moves.

Each status maps to exactly one FHIR R4 `Task.status`, so a FHIR export is a lookup
(docs/referrals.md says why each one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoroute.accounts.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    OPENED = "opened", _("Opened by the clinic")
    ACCEPTED = "accepted", _("Accepted")
    RECORDS_REQUESTED = "records_requested", _("More records requested")
    DECLINED = "declined", _("Declined")
    REFERRED_ONWARD = "referred_onward", _("Referred to a better-suited centre")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


FHIR_TASK_STATUS: dict[str, str] = {
    ReferralStatus.SENT: "requested",
    ReferralStatus.OPENED: "received",
    ReferralStatus.ACCEPTED: "accepted",
    ReferralStatus.RECORDS_REQUESTED: "on-hold",
    ReferralStatus.DECLINED: "rejected",
    ReferralStatus.REFERRED_ONWARD: "failed",
    ReferralStatus.ANSWERED: "completed",
    ReferralStatus.WITHDRAWN: "cancelled",
}

CLOSED_STATUSES = frozenset(
    {ReferralStatus.DECLINED, ReferralStatus.REFERRED_ONWARD, ReferralStatus.WITHDRAWN}
)
# The clinic owes an answer: the response clock runs.
AWAITING_CLINIC = frozenset({ReferralStatus.SENT, ReferralStatus.OPENED, ReferralStatus.ACCEPTED})

CLINIC = frozenset({Role.CLINIC_DOCTOR})
COORDINATOR = frozenset({Role.COORDINATOR})


@dataclass(frozen=True)
class Move:
    """One allowed move and who may make it (a withdrawn consent withdraws as the system)."""

    label: StrOrPromise
    roles: frozenset[Role]
    needs_reason: bool = False


_S = ReferralStatus
_ANSWERS = {
    _S.ACCEPTED: Move(_("Accept"), CLINIC),
    _S.RECORDS_REQUESTED: Move(_("Ask for more records"), CLINIC, needs_reason=True),
    _S.DECLINED: Move(_("Decline"), CLINIC, needs_reason=True),
    _S.REFERRED_ONWARD: Move(_("Refer to a better-suited centre"), CLINIC, needs_reason=True),
}
_WITHDRAW = Move(_("Withdraw the referral"), COORDINATOR, needs_reason=True)

MOVES: dict[tuple[ReferralStatus, ReferralStatus], Move] = {
    (_S.SENT, _S.OPENED): Move(_("Open"), CLINIC),
    **{(_S.SENT, to): move for to, move in _ANSWERS.items()},
    (_S.SENT, _S.ANSWERED): Move(_("Answer"), CLINIC),
    **{(_S.OPENED, to): move for to, move in _ANSWERS.items()},
    (_S.OPENED, _S.ANSWERED): Move(_("Answer"), CLINIC),
    **{(_S.ACCEPTED, to): move for to, move in _ANSWERS.items() if to != _S.ACCEPTED},
    (_S.ACCEPTED, _S.ANSWERED): Move(_("Answer"), CLINIC),
    (_S.RECORDS_REQUESTED, _S.OPENED): Move(_("Records supplied"), COORDINATOR),
    (_S.RECORDS_REQUESTED, _S.DECLINED): _ANSWERS[_S.DECLINED],
    (_S.RECORDS_REQUESTED, _S.ANSWERED): Move(_("Answer"), CLINIC),
    **{(status, _S.WITHDRAWN): _WITHDRAW for status in _S if status not in CLOSED_STATUSES},
}


class MoveNotAllowed(Exception):
    """A referral move that the table does not allow, or not to this person."""


def move_rule(old: str, new: str) -> Move:
    try:
        return MOVES[ReferralStatus(old), ReferralStatus(new)]
    except (KeyError, ValueError):
        raise MoveNotAllowed(f"A referral cannot go from “{old}” to “{new}”.") from None


# Reached otherwise than by a button: opening the referral opens it, sending an opinion with its
# quote answers it.
NOT_A_BUTTON = frozenset({ReferralStatus.OPENED, ReferralStatus.ANSWERED})


def moves_from(status: str, role: Role) -> list[tuple[ReferralStatus, Move]]:
    """The moves a person of this role may make from a status by a button, in the table's order."""
    return [
        (new, move)
        for (old, new), move in MOVES.items()
        if old == status and role in move.roles and new not in NOT_A_BUTTON
    ]


class ConsultationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
    MISSED = "missed", _("Missed")


_C = ConsultationStatus
BOTH = CLINIC | COORDINATOR

# The one table of a consultation's moves: from → to, and who may make it.
CONSULTATION_MOVES: dict[tuple[ConsultationStatus, ConsultationStatus], Move] = {
    (_C.PROPOSED, _C.CONFIRMED): Move(_("Confirm"), BOTH),
    (_C.PROPOSED, _C.CANCELLED): Move(_("Cancel"), BOTH),
    (_C.CONFIRMED, _C.HELD): Move(_("Held"), BOTH),
    (_C.CONFIRMED, _C.MISSED): Move(_("Missed"), BOTH),
    (_C.CONFIRMED, _C.CANCELLED): Move(_("Cancel"), BOTH),
}
# Still to happen: reminded the day before.
CONSULTATION_UPCOMING = frozenset({_C.PROPOSED, _C.CONFIRMED})


def consultation_move_rule(old: str, new: str) -> Move:
    try:
        return CONSULTATION_MOVES[ConsultationStatus(old), ConsultationStatus(new)]
    except (KeyError, ValueError):
        raise MoveNotAllowed(f"A consultation cannot go from “{old}” to “{new}”.") from None


def consultation_moves_from(status: str, role: Role) -> list[tuple[ConsultationStatus, Move]]:
    return [
        (new, move)
        for (old, new), move in CONSULTATION_MOVES.items()
        if old == status and role in move.roles
    ]
