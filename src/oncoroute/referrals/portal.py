"""What a clinic is shown of a case, and which clinics a case may be sent to."""

from __future__ import annotations

from typing import Any

from oncoroute.cases.models import Case, Consent
from oncoroute.cases.sharing import deidentified_case_view
from oncoroute.clinics.models import Clinic
from oncoroute.referrals.models import Referral
from oncoroute.referrals.workflow import ReferralStatus

# What a referral adds to the de-identified case, on purpose: where the patient lives (a country,
# for travel) and the coordinators' question.
REFERRAL_KEYS = frozenset({"country_of_residence", "question"})


def case_shared(referral: Referral) -> bool:
    """A withdrawn referral (the patient's consent went, or a coordinator withdrew it) shows the
    clinic nothing more of the case: not the case, not its images."""
    return referral.status != ReferralStatus.WITHDRAWN


def deidentified_referral(referral: Referral) -> dict[str, Any]:
    """The de-identified case of `cases.sharing`, with the referral's own allowed additions."""
    view = deidentified_case_view(referral.case)
    extra = {"country_of_residence": str(referral.case.country), "question": referral.question}
    assert set(extra) <= REFERRAL_KEYS  # noqa: S101 - the allow-list is the contract
    return {**view, **extra}


def sendable_clinics(*, case: Case) -> list[tuple[int, str]]:
    """Clinics the patient agreed to share with and that have no referral of this case yet."""
    consented = Consent.objects.filter(
        case=case, purpose=Consent.Purpose.CLINIC_SHARING, withdrawn_at__isnull=True
    ).values("clinic_id")
    referred = Referral.objects.filter(case=case).values("clinic_id")
    clinics = Clinic.objects.filter(pk__in=consented).exclude(pk__in=referred).order_by("name")
    return [(clinic.pk, f"{clinic.name} ({clinic.city})") for clinic in clinics]
