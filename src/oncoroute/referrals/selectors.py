"""Reads on referrals: a clinic's list, one referral for its clinic's doctor, a case's
referrals with their answers, and what the patient may read."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case
from oncoroute.privacy.audit import Action, audit_denied, audit_record
from oncoroute.referrals.models import Opinion, Quote, Referral

_ANSWERS = (
    Prefetch("opinions", queryset=Opinion.objects.prefetch_related("items")),
    Prefetch("quotes", queryset=Quote.objects.prefetch_related("lines")),
)


def clinic_referrals(*, user: User) -> QuerySet[Referral]:
    """The referrals of the doctor's own clinic, the most pressing deadline first."""
    if user.clinic_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(clinic_id=user.clinic_id).select_related("clinic")


def referral_for_doctor(*, user: User, referral_id: int) -> Referral:
    """One referral of the doctor's clinic, else a 404 (and an audited refusal)."""
    referral = (
        clinic_referrals(user=user)
        .select_related("case", "case__data_key")
        .prefetch_related(*_ANSWERS, "events")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        audit_denied(actor=user, object_type="referrals.referral", object_id=str(referral_id))
        raise Http404("No such referral.")
    audit_record(actor=user, action=Action.READ, obj=referral)
    return referral


def case_referrals(*, case: Case) -> QuerySet[Referral]:
    """Every referral of a case with its answers and timeline, for the coordinator."""
    return (
        Referral.objects.filter(case=case)
        .select_related("clinic")
        .prefetch_related(*_ANSWERS, "events__actor")
        .order_by("sent_at", "pk")
    )


def released_opinions(*, case: Case) -> QuerySet[Opinion]:
    """The clinics' answers a coordinator released to the patient, newest first."""
    return (
        Opinion.objects.filter(referral__case=case, released_at__isnull=False)
        .select_related("referral__clinic")
        .prefetch_related("items", "quotes__lines")
    )
