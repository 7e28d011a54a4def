"""The referrals card of a coordinator's case page, and the clinics card of a patient's."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from oncoroute.cases.models import Case, Consent
from oncoroute.clinics.selectors import case_shortlists, patient_currency
from oncoroute.referrals import selectors
from oncoroute.referrals.forms import SendForm
from oncoroute.referrals.portal import sendable_clinics

register = template.Library()


@register.inclusion_tag("referrals/_case_referrals.html", takes_context=True)
def case_referrals_card(context: template.Context, case: Case) -> dict[str, Any]:
    """Every referral with its status, clock and answers, the quotes side by side, and the form
    that sends the case to another consented clinic."""
    clinics = sendable_clinics(case=case)
    referrals = list(selectors.case_referrals(case=case))
    return {
        "case": case,
        "csrf_token": context.get("csrf_token"),
        "now": timezone.now(),
        "referrals": referrals,
        "compared": selectors.quotes_compared(
            referrals=referrals, currency=patient_currency(case=case)
        ),
        "send_form": SendForm(clinics=clinics) if clinics else None,
    }


@register.inclusion_tag("referrals/_patient_case_clinics.html")
def patient_clinics_card(case: Case) -> dict[str, Any]:
    """On the patient's case page: the clinics' answers a coordinator released, and, once a
    shortlist is saved, the clinics the patient allowed so far with the way to choose."""
    allowed = (
        case.consents.filter(purpose=Consent.Purpose.CLINIC_SHARING, withdrawn_at__isnull=True)
        .select_related("clinic")
        .order_by("given_at", "pk")
    )
    return {
        "case": case,
        "clinics_offered": case_shortlists(case=case).exists(),
        "clinics_allowed": list(dict.fromkeys(consent.clinic for consent in allowed)),
        "released_opinions": list(selectors.released_opinions(case=case)),
    }
