"""The demo's referral: the demo patient's case shortlisted with the two demo clinics that have a
demo doctor, her consent to share it with both, and the case sent to the first, so its doctor's
portal has a case and the coordinator can still send it to the second. Loading again changes
nothing; every step goes through the services, as on the pages."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation

from oncoroute.accounts.demo import DEMO_CLINIC_DOCTORS
from oncoroute.accounts.models import User
from oncoroute.cases.demo import DEMO_CASES, DEMO_NAMESPACE
from oncoroute.cases.models import Case, Consent
from oncoroute.cases.sharing import consent_give
from oncoroute.clinics.models import Clinic
from oncoroute.clinics.services import shortlist_save
from oncoroute.referrals.models import Referral
from oncoroute.referrals.services import referral_send

DEMO_QUESTION = (
    "Painful lytic metastases at T7-T8 from breast cancer (the triage summary is below). Is SBRT "
    "suitable, or is stabilisation needed first? Please propose a plan and an itemised quote."
)


def demo_patient_case() -> Case | None:
    """The demo patient's case, once the demo cases are loaded."""
    token = uuid.uuid5(DEMO_NAMESPACE, DEMO_CASES[0]["email"])
    return Case.objects.filter(submission_token=token, patient__isnull=False).first()


@transaction.atomic
def referrals_demo_load(*, coordinator: User) -> int:
    """Shortlist, consents and one referral for the demo patient's case, each once; how many
    referrals were new."""
    case = demo_patient_case()
    slugs = [slug for *_, slug in DEMO_CLINIC_DOCTORS]
    clinics = {clinic.slug: clinic for clinic in Clinic.objects.filter(slug__in=slugs)}
    if case is None or len(clinics) != len(slugs):
        return 0
    if not case.shortlists.exists():
        shortlist_save(case=case, actor=coordinator, clinic_slugs=slugs)
    sharing = Consent.Purpose.CLINIC_SHARING
    with translation.override(case.language):
        for slug in slugs:
            if not case.consents.filter(purpose=sharing, clinic=clinics[slug]).exists():
                consent_give(case=case, actor=case.patient, purpose=sharing, clinic=clinics[slug])
    if Referral.objects.filter(case=case).exists():
        return 0
    referral_send(
        case=case,
        clinic=clinics[slugs[0]],
        actor=coordinator,
        question=DEMO_QUESTION,
        deadline=timezone.now() + timedelta(days=5),
    )
    return 1
