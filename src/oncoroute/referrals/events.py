"""The referral's own timeline: one row per thing that happened to it."""

from __future__ import annotations

from typing import Any

from oncoroute.accounts.models import User
from oncoroute.referrals.models import Referral, ReferralEvent

Kind = ReferralEvent.Kind


def referral_event(
    *, referral: Referral, kind: str, actor: User | None, **data: Any
) -> ReferralEvent:
    return ReferralEvent.objects.create(referral=referral, kind=kind, actor=actor, data=data)
