"""The referral's own timeline: one row per thing that happened to it."""

from __future__ import annotations

from typing import Any

from oncoroute.accounts.models import User
from oncoroute.referrals.models import ClinicApiToken, Referral, ReferralEvent

Kind = ReferralEvent.Kind


def referral_event(
    *,
    referral: Referral,
    kind: str,
    actor: User | None,
    api_token: ClinicApiToken | None = None,
    **data: Any,
) -> ReferralEvent:
    """`api_token`: the clinic's own system did it through the API (`actor` is then None)."""
    return ReferralEvent.objects.create(
        referral=referral, kind=kind, actor=actor, api_token=api_token, data=data
    )
