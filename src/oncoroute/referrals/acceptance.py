"""When the patient may accept a clinic's quote: the one set of rules for the answers page (which
shows the reason beside each answer) and for `services.plan_accept` (which refuses with it)."""

from __future__ import annotations

from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

from oncoroute.referrals.models import Opinion, Quote
from oncoroute.referrals.workflow import CLOSED_STATUSES


class AcceptanceRefused(Exception):
    """The quote may not be accepted; the message says why, in the page's language."""


def acceptance_refusal(*, quote: Quote, opinion: Opinion, latest_version: int, today: date) -> str:
    """Why this quote may not be accepted now, or "" when it may: its answer released, the latest
    version the clinic sent, still valid, its referral open, not accepted already."""
    if opinion.released_at is None:
        return _("Your coordinator has not passed this answer on to you yet.")
    if quote.version < latest_version:
        return _(
            "The clinic has sent a newer version of this price. Your coordinator will pass it "
            "on to you; please decide on the newer one."
        )
    if quote.accepted_at is not None:
        return _("You have already accepted this plan.")
    if opinion.referral.status in CLOSED_STATUSES:
        return _("This clinic's referral is closed, so its plan can no longer be accepted.")
    if quote.valid_until < today:
        return _(
            "This price was valid until %(date)s. Please ask your coordinator to request a new "
            "quote from the clinic."
        ) % {"date": formats.date_format(quote.valid_until, "j E Y")}
    return ""


def not_this_case() -> str:
    return _("This plan is not one of your case's answers.")


def cannot_move_on(reason: str) -> str:
    """The case's workflow refused trip planning (the safety gate, say), with its reason."""
    return _(
        "Your case cannot move on to trip planning just now: %(reason)s Please write to your "
        "coordinator."
    ) % {"reason": reason}


def follow_up_unsettled() -> str:
    """Accepting a plan needs to know who follows the patient at home (referrals.home_doctor)."""
    return _(
        "Before you accept a plan, please tell us who will look after you when you are back "
        "home: name your doctor at home, or record that you will arrange your follow-up "
        "yourself."
    )
