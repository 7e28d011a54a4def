"""What the case's workflow asks of referrals before a move (cases.workflow.REQUIREMENTS)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from oncoroute.cases.models import Case
from oncoroute.referrals.models import Opinion, Referral
from oncoroute.referrals.workflow import ReferralStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def referral_sent(case: Case) -> StrOrPromise | None:
    live = Referral.objects.filter(case=case).exclude(status=ReferralStatus.WITHDRAWN)
    return None if live.exists() else _("Send the case to at least one clinic first.")


def answer_released(case: Case) -> StrOrPromise | None:
    released = Opinion.objects.filter(referral__case=case, released_at__isnull=False)
    return None if released.exists() else _("Release at least one clinic's answer first.")
