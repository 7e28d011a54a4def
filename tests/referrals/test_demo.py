"""The demo has a doctor at each of two demo clinics, and a referral in one doctor's portal."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from oncoroute.accounts.demo import DEMO_CLINIC_DOCTORS, DEMO_PASSWORD
from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.cases.models import Consent
from oncoroute.referrals.models import Referral
from oncoroute.referrals.selectors import clinic_referrals

pytestmark = pytest.mark.django_db


def demo_data() -> str:
    out = StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def test_each_demo_doctor_works_at_a_demo_clinic_and_one_has_a_referral() -> None:
    printed = demo_data()

    doctors = [User.objects.get(email=email) for email, *_ in DEMO_CLINIC_DOCTORS]
    assert [doctor.clinic.slug for doctor in doctors if doctor.clinic] == [
        slug for *_, slug in DEMO_CLINIC_DOCTORS
    ]
    for doctor in doctors:
        assert doctor.has_role(Role.CLINIC_DOCTOR) and doctor.check_password(DEMO_PASSWORD)
        assert Authenticator.objects.filter(user=doctor, type=Authenticator.Type.TOTP).exists()
        assert f"({doctor.clinic.name}): {doctor.email} / {DEMO_PASSWORD}" in printed

    referral = Referral.objects.get()
    case = referral.case
    assert case.patient.email == "patient@oncoroute.example"
    consents = case.consents.filter(purpose=Consent.Purpose.CLINIC_SHARING)
    assert {consent.clinic for consent in consents} == {doctor.clinic for doctor in doctors}
    assert {consent.language for consent in consents} == {"ru"}
    assert case.shortlists.get().items.count() == 2
    assert list(clinic_referrals(user=doctors[0])) == [referral]
    assert not clinic_referrals(user=doctors[1]).exists()


def test_loading_the_demo_again_changes_nothing() -> None:
    demo_data()
    counts = (
        User.objects.count(),
        Referral.objects.count(),
        Consent.objects.count(),
        Authenticator.objects.count(),
    )
    demo_data()
    assert (
        User.objects.count(),
        Referral.objects.count(),
        Consent.objects.count(),
        Authenticator.objects.count(),
    ) == counts
