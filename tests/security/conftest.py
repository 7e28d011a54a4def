"""The world of the security tests: every persona of tests/conftest.py, plus

- other_clinic_doctor: a partner doctor of another clinic; sees no more than clinic_doctor.
- admin_user: the operator; Django admin only, no case pages (no health data by default).
- world: one object of each kind behind a URL parameter, all belonging to `patient_case`, whose
  coordinator saved a shortlist of clinics X and Y, and a consultation proposed with clinic X.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from oncoroute.accounts.roles import Role
from oncoroute.cases.models import Case, Consent, Message
from oncoroute.cases.sharing import consent_give
from oncoroute.clinics.models import Clinic, ExchangeRate
from oncoroute.clinics.services import shortlist_save
from oncoroute.records.models import Document, Series, Study, Upload
from oncoroute.referrals.answers import AnswerIn
from oncoroute.referrals.models import Consultation, Opinion, Referral
from oncoroute.referrals.services import answer_submit
from oncoroute.triage.services import case_triage_record
from oncoroute.trips.models import Trip, TripPlan
from oncoroute.trips.services import checklist_ensure
from tests.factories import person
from tests.referrals.conftest import answer, send

from .access_matrix import ADMIN, ANON, COORDINATOR, DOCTOR, OTHER_DOCTOR, OTHER_PATIENT, PATIENT


@dataclass(frozen=True)
class World:
    case: Case
    document: Document
    study: Study
    series: Series
    upload: Upload
    clinic: Clinic
    referral: Referral
    opinion: Opinion
    trip: Trip


@pytest.fixture
def other_clinic_doctor(db: None) -> Any:
    return person(Role.CLINIC_DOCTOR, "doctor@clinic-y.example", first_name="Yusuf")


@pytest.fixture
def admin_user(db: None) -> Any:
    user = person(Role.ADMIN, "admin@oncoroute.example", first_name="Ada")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _stored(case: Case, name: str, content: bytes) -> str:
    # Records live under their case's folder (the storage keys encryption by case).
    return default_storage.save(f"records/{case.pk}/{name}", ContentFile(content))


@pytest.fixture
def world(
    patient_case: Case,
    patient: Any,
    coordinator: Any,
    clinic_doctor: Any,
    other_clinic_doctor: Any,
    media_root: Path,
) -> World:
    case_triage_record(case=patient_case, actor=coordinator, findings={"primary": "breast"})
    document = Document.objects.create(
        case=patient_case,
        uploaded_by=patient,
        kind="pdf",
        original_name="report.pdf",
        file=_stored(patient_case, "report.pdf", b"%PDF-1.4\n%%EOF\n"),
        size=15,
        sha256="0" * 64,
    )
    study = Study.objects.create(
        case=patient_case,
        study_uid="1.2.3",
        deid_state=Study.Deid.DONE,
        deid_summary={"files_in": 1, "written": 1, "held_back": 0, "released": 0, "errors": 0},
        deid_archive=_stored(patient_case, "study.zip", b"PK\x05\x06" + b"\0" * 18),
    )
    series = Series.objects.create(
        study=study, series_uid="1.2.3.4", preview=_stored(patient_case, "s.png", b"\x89PNG\r\n")
    )
    Message.objects.create(case=patient_case, author=patient, side="patient", body="A question.")
    upload = Upload.objects.create(
        case=patient_case, uploaded_by=patient, filename="scan.zip", size=10
    )
    clinic = Clinic.objects.create(
        slug="clinic-x",
        name="Clinic X",
        country="TR",
        city="Istanbul",
        time_zone="Europe/Istanbul",
        commercial_relationship="None.",
    )
    ExchangeRate.objects.create(
        currency="USD", rate=Decimal("1.1"), as_of=timezone.localdate(), source="test"
    )
    referral, opinion = _referred(patient_case, patient, coordinator, clinic, clinic_doctor)
    Consultation.objects.create(
        referral=referral, mode=Consultation.Mode.ONLINE, time_zone="Europe/Istanbul",
        starts_at=timezone.now() + timedelta(days=3), video_link="https://meet.example/x",
    )  # fmt: skip
    other_clinic_doctor.clinic = Clinic.objects.create(
        slug="clinic-y", name="Clinic Y", country="ES", city="Madrid",
        time_zone="Europe/Madrid", commercial_relationship="None.",
    )  # fmt: skip
    other_clinic_doctor.save()
    shortlist_save(case=patient_case, actor=coordinator, clinic_slugs=["clinic-x", "clinic-y"])
    trip = _trip(patient_case, referral)
    return World(patient_case, document, study, series, upload, clinic, referral, opinion, trip)


def _trip(case: Case, referral: Referral) -> Trip:
    """A trip of the case, with its checklist, stored as planned (no acceptance needed here)."""
    plan = TripPlan.objects.create(
        case=case, quote=referral.quotes.get(), earliest_arrival=date(2027, 3, 1),
        one_way_fare=Decimal("250"), per_night=Decimal("90"),
    )  # fmt: skip
    trip = Trip.objects.create(
        plan=plan, number=1, outbound=date(2027, 3, 1), home=date(2027, 3, 14)
    )
    checklist_ensure(trip=trip, needs_clearance=True)
    return trip


def _referred(
    case: Case, patient: Any, coordinator: Any, clinic: Clinic, doctor: Any
) -> tuple[Referral, Opinion]:
    """The case sent to clinic X (whose doctor is `clinic_doctor`), answered, not released."""
    doctor.clinic = clinic
    doctor.save()
    consent_give(case=case, actor=patient, purpose=Consent.Purpose.CLINIC_SHARING, clinic=clinic)
    referral = send(case, clinic, coordinator)
    quote = answer_submit(referral=referral, author=doctor, answer=AnswerIn(**answer()))
    return referral, quote.opinion


@pytest.fixture
def clients(
    patient: Any,
    other_patient: Any,
    coordinator: Any,
    clinic_doctor: Any,
    other_clinic_doctor: Any,
    admin_user: Any,
) -> dict[str, Client]:
    """One signed-in browser per persona, and one that never signed in."""
    people = {
        PATIENT: patient,
        OTHER_PATIENT: other_patient,
        COORDINATOR: coordinator,
        DOCTOR: clinic_doctor,
        OTHER_DOCTOR: other_clinic_doctor,
        ADMIN: admin_user,
    }
    signed_in = {}
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        signed_in[name] = client
    return {ANON: Client(), **signed_in}


@dataclass(frozen=True)
class HomeDoctorTokens:
    """Home-doctor link tokens of `patient_case` (valid, expired, revoked) and of `other_case`
    (valid), as the doctor's email carries them."""

    valid: str
    expired: str
    revoked: str
    other_case: str


@pytest.fixture
def home_doctor_tokens(world: World, other_case: Case, coordinator: Any) -> HomeDoctorTokens:
    from datetime import timedelta
    from urllib.parse import urlsplit

    from oncoroute.referrals.home_doctor import (
        home_doctor_link_revoke,
        home_doctor_link_send,
        home_doctor_name,
    )

    def issue(case: Case) -> tuple[Any, str]:
        home_doctor_name(
            case=case, actor=coordinator, name="Dr Home", email="home.doctor@clinic.example"
        )
        issued = home_doctor_link_send(case=case, actor=coordinator)
        return issued.row, urlsplit(issued.url).path.split("/")[2]

    _row, valid = issue(world.case)
    expired_row, expired = issue(world.case)
    expired_row.expires_at = timezone.now() - timedelta(minutes=1)
    expired_row.save(update_fields=["expires_at"])
    revoked_row, revoked = issue(world.case)
    home_doctor_link_revoke(link=revoked_row, actor=coordinator)
    _other_row, other = issue(other_case)
    return HomeDoctorTokens(valid, expired, revoked, other)
