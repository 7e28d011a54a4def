"""One access function per case: visible_to / editable_by, 404 for others, a de-identified view."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from oncoroute.accounts.roles import Role
from oncoroute.cases.access import case_for
from oncoroute.cases.models import Case, Consent
from oncoroute.cases.sharing import (
    DEIDENTIFIED_KEYS,
    SharingRefused,
    case_share,
    consent_give,
    consent_withdraw,
    deidentified_case_view,
)
from oncoroute.clinics.models import Clinic
from oncoroute.triage.services import case_triage_record
from tests.factories import person
from tests.privacy.conftest import CANARY

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic_x(db: None) -> Clinic:
    return Clinic.objects.create(
        slug="clinic-x",
        name="Clinic X",
        country="TR",
        city="Istanbul",
        time_zone="Europe/Istanbul",
        commercial_relationship="None.",
    )


@pytest.fixture
def doctor_x(clinic_x: Clinic) -> Any:
    doctor = person(Role.CLINIC_DOCTOR, "dr@clinic-x.example")
    doctor.clinic = clinic_x
    doctor.save()
    return doctor


def test_patients_see_their_own_cases_and_coordinators_all(
    patient: Any, patient_case: Case, other_case: Case, coordinator: Any
) -> None:
    assert list(Case.objects.visible_to(patient)) == [patient_case]
    assert set(Case.objects.visible_to(coordinator)) == {patient_case, other_case}
    assert list(Case.objects.editable_by(patient)) == [patient_case]


def test_another_patients_case_is_a_404(patient: Any, other_case: Case) -> None:
    with pytest.raises(Http404):
        case_for(user=patient, reference=str(other_case.reference))


def test_a_clinic_doctor_sees_nothing_until_shared_with_consent(
    canary_case: Case, doctor_x: Any, clinic_x: Clinic, coordinator: Any
) -> None:
    assert not Case.objects.visible_to(doctor_x).exists()
    assert not Case.objects.editable_by(doctor_x).exists()
    consent = consent_give(
        case=canary_case, actor=None, purpose=Consent.Purpose.CLINIC_SHARING, clinic=clinic_x
    )
    case_share(case=canary_case, clinic=clinic_x, actor=coordinator)
    assert list(Case.objects.visible_to(doctor_x)) == [canary_case]
    consent_withdraw(consent=consent, actor=canary_case.patient)
    assert not Case.objects.visible_to(doctor_x).exists()


def test_the_admin_sees_no_case_without_a_role_that_opens_it(patient_case: Case) -> None:
    from oncoroute.accounts.models import User

    operator = User.objects.create_superuser("op", "op@test.example", "a-long-pass-123456")
    assert not Case.objects.visible_to(operator).exists()


def test_the_deidentified_view_holds_only_allowed_keys_and_no_identifiers(
    canary_case: Case, coordinator: Any
) -> None:
    case_triage_record(
        case=canary_case,
        actor=coordinator,
        findings={"primary": "breast", "age": 67, "sex": "F", "histology": CANARY},
    )
    view = deidentified_case_view(Case.objects.get(pk=canary_case.pk))
    assert set(view) == DEIDENTIFIED_KEYS
    assert view["age_band"] == "60-69"
    assert view["sex"] == "F"
    assert view["primary_cancer"] == "other"
    text = repr(view)
    for private in (
        CANARY,
        "Cana Ry",
        "canary@test.example",
        "+90532",
        str(canary_case.reference),
        f"#{canary_case.pk}",
    ):
        assert private not in text
    assert view["pseudonym"].startswith("P-")


def test_sharing_without_an_active_consent_for_that_clinic_is_refused(
    canary_case: Case, clinic_x: Clinic, coordinator: Any
) -> None:
    other = Clinic.objects.create(
        slug="clinic-y",
        name="Clinic Y",
        country="ES",
        city="Madrid",
        time_zone="Europe/Madrid",
        commercial_relationship="None.",
    )
    consent_give(case=canary_case, actor=None, purpose=Consent.Purpose.CLINIC_SHARING, clinic=other)
    with pytest.raises(SharingRefused):
        case_share(case=canary_case, clinic=clinic_x, actor=coordinator)
    assert not canary_case.shares.exists()


def test_sharing_with_consent_records_the_share_and_a_transfer_out_of_the_region(
    canary_case: Case, clinic_x: Clinic, coordinator: Any
) -> None:
    from oncoroute.privacy.models import AuditEvent

    consent_give(
        case=canary_case, actor=None, purpose=Consent.Purpose.CLINIC_SHARING, clinic=clinic_x
    )
    share, view = case_share(case=canary_case, clinic=clinic_x, actor=coordinator)
    assert share.consent.clinic == clinic_x
    assert set(view) <= DEIDENTIFIED_KEYS
    transfer = AuditEvent.objects.get(action=AuditEvent.Action.TRANSFER)
    assert transfer.detail["from"] == "eu" and transfer.detail["to"] == "tr"


def test_consents_keep_the_text_version_hash_language_and_marketing_is_off_by_default(
    canary_case: Case,
) -> None:
    consents = list(canary_case.consents.all())
    assert [c.purpose for c in consents] == [Consent.Purpose.HEALTH_DATA]
    marketing = consent_give(case=canary_case, actor=None, purpose=Consent.Purpose.MARKETING)
    assert marketing.text_version.startswith("marketing-")
    assert len(marketing.text_sha256) == 64
    assert marketing.language == canary_case.language
    assert marketing.given_at is not None
