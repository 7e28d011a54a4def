"""The referrals card of a coordinator's case page (with its consultations), and the clinics and
consultations cards of a patient's."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from oncoroute.accounts.roles import Role
from oncoroute.cases.models import Case, Consent
from oncoroute.clinics.models import Doctor
from oncoroute.clinics.selectors import case_shortlists, patient_currency
from oncoroute.referrals import selectors
from oncoroute.referrals.consultations import (
    case_consultations,
    coordinator_time_zone,
    local_time,
    patient_time_zone,
)
from oncoroute.referrals.forms import ConsultationForm, SendForm
from oncoroute.referrals.models import Referral
from oncoroute.referrals.portal import sendable_clinics
from oncoroute.referrals.workflow import CLOSED_STATUSES, consultation_moves_from

register = template.Library()


@register.inclusion_tag("referrals/_case_referrals.html", takes_context=True)
def case_referrals_card(context: template.Context, case: Case) -> dict[str, Any]:
    """Every referral with its status, clock and answers, the quotes side by side, and the form
    that sends the case to another consented clinic."""
    clinics = sendable_clinics(case=case)
    referrals = list(selectors.case_referrals(case=case))
    _consultations_attach(case, referrals)
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


def _consultations_attach(case: Case, referrals: list[Referral]) -> None:
    """Each referral's consultations in the coordinator's zone with the clinic's time beside it,
    the moves open to a coordinator, and the form that schedules one."""
    mine = coordinator_time_zone()
    by_referral: dict[int, list[dict[str, Any]]] = {}
    for consultation in case_consultations(case=case):
        by_referral.setdefault(consultation.referral_id, []).append(
            {
                "consultation": consultation,
                "mine": local_time(consultation, mine),
                "clinic": local_time(consultation, consultation.referral.clinic.time_zone),
                "moves": consultation_moves_from(consultation.status, Role.COORDINATOR),
            }
        )
    doctors: dict[int, list[tuple[int, str]]] = {}
    for doctor in Doctor.objects.filter(clinic__in=[r.clinic_id for r in referrals]):
        doctors.setdefault(doctor.clinic_id, []).append((doctor.pk, doctor.name))
    for referral in referrals:
        referral.consultations_shown = by_referral.get(referral.pk, [])  # type: ignore[attr-defined]
        referral.consultation_form = (  # type: ignore[attr-defined]
            ConsultationForm(
                prefix=f"c{referral.pk}",
                doctors=doctors.get(referral.clinic_id, []),
                time_zone=referral.clinic.time_zone,
            )
            if referral.status not in CLOSED_STATUSES
            else None
        )


@register.inclusion_tag("referrals/_patient_consultations.html")
def patient_consultations_card(case: Case) -> dict[str, Any]:
    """On the patient's case page: the consultations, each at the patient's own local time."""
    zone = patient_time_zone(case)
    return {
        "consultations": [
            (consultation, local_time(consultation, zone))
            for consultation in case_consultations(case=case)
        ],
        "zone": zone,
        "case": case,
    }
