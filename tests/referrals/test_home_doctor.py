"""The home doctor: named by the patient, sent a read-only link by the coordinator, asked whether
they will follow the patient; the patient's waiver; the link's page and its audit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oncoroute.cases.models import Consent
from oncoroute.clinics.models import Clinic
from oncoroute.privacy.models import AuditEvent
from oncoroute.referrals.answers import AnswerIn
from oncoroute.referrals.home_doctor import (
    HomeDoctorRefused,
    chosen_opinions,
    follow_up_settled,
    home_doctor_agreement_known,
    home_doctor_agreement_record,
    home_doctor_link_revoke,
    home_doctor_link_send,
    home_doctor_name,
    home_doctor_waived,
    home_doctor_waiver_recorded,
)
from oncoroute.referrals.models import HomeDoctor, HomeDoctorLink
from oncoroute.referrals.services import answer_release, answer_submit
from oncoroute.triage.services import case_triage_record
from tests.referrals.conftest import answer, send

pytestmark = pytest.mark.django_db


def _token(url: str) -> str:
    return urlsplit(url).path.split("/")[2]


def _named(case: Any, actor: Any) -> HomeDoctor:
    return home_doctor_name(
        case=case, actor=actor, name="Dr Irina Home", email="irina@poliklinika.example",
        phone="+74951234567", country="RU",
    )  # fmt: skip


@pytest.fixture
def answered(consented: Any, clinic_x: Clinic, doctor_x: Any, coordinator: Any) -> Any:
    """The case with clinic X's answer released and a triage recorded."""
    referral = send(consented, clinic_x, coordinator)
    quote = answer_submit(referral=referral, author=doctor_x, answer=AnswerIn(**answer()))
    answer_release(opinion=quote.opinion, actor=coordinator)
    case_triage_record(case=consented, actor=coordinator, findings={"primary": "breast"})
    return quote


def test_the_patient_names_their_doctor_in_russian(patient_case: Any, patient: Any) -> None:
    client = Client()
    client.force_login(patient)
    path = reverse("patient_home_doctor", args=[patient_case.reference])
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    assert "Ваш врач" in page.content.decode()
    empty = client.post(path, {"name": "Dr Home"})
    assert empty.status_code == 422
    assert not HomeDoctor.objects.filter(case=patient_case).exists()
    done = client.post(path, {"name": "Dr Home", "email": "home@example.org", "country": "RU"})
    assert done.status_code == 302
    doctor = HomeDoctor.objects.get(case=patient_case)
    assert (doctor.name, doctor.email, doctor.country) == ("Dr Home", "home@example.org", "RU")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, email FROM referrals_homedoctor WHERE id = %s", [doctor.pk])
        stored = cursor.fetchone()
    assert all(value.startswith("v1:") for value in stored)
    assert "Dr Home" not in "".join(stored)


def test_the_coordinator_sends_a_hashed_time_limited_link_by_email(
    answered: Any, coordinator: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = answered.referral.case
    case.language = "ru"
    case.save(update_fields=["language"])
    _named(case, coordinator)
    settings.HOME_DOCTOR_LINK_DAYS = 14
    with django_capture_on_commit_callbacks(execute=True):
        issued = home_doctor_link_send(case=case, actor=coordinator)
    token = _token(issued.url)
    row = HomeDoctorLink.objects.get()
    assert token not in row.token_sha256 and len(row.token_sha256) == 64
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM referrals_homedoctorlink")
        assert token not in repr(cursor.fetchall())
    assert timedelta(days=13, hours=23) < row.expires_at - row.created_at <= timedelta(days=14)
    (email,) = mail.outbox
    assert email.to == ["irina@poliklinika.example"]
    assert issued.url in email.body
    assert "Dear doctor" in email.body and "Уважаемый доктор" in email.body
    for health in ("breast", "spine", "SBRT", case.full_name, case.reference):
        assert health.lower() not in email.subject.lower()
    assert case.full_name not in email.body


def test_the_link_is_refused_without_a_named_doctor_or_email(
    patient_case: Any, coordinator: Any
) -> None:
    with pytest.raises(HomeDoctorRefused):
        home_doctor_link_send(case=patient_case, actor=coordinator)
    home_doctor_name(case=patient_case, actor=coordinator, name="Dr Phone", phone="+7495")
    with pytest.raises(HomeDoctorRefused):
        home_doctor_link_send(case=patient_case, actor=coordinator)
    assert not HomeDoctorLink.objects.exists()


def test_the_page_shows_the_plan_opinion_and_triage_summary_and_audits_each_view(
    answered: Any, coordinator: Any
) -> None:
    case = answered.referral.case
    _named(case, coordinator)
    issued = home_doctor_link_send(case=case, actor=coordinator)
    path = reverse("home_doctor_view", args=[_token(issued.url)])
    for _view in range(2):
        page = Client().get(path)
        assert page.status_code == 200
    text = page.content.decode()
    assert case.full_name in text
    assert "Unstable L1 lesion; stabilise, then SBRT." in text
    assert "Opinion of Clinic X" in text
    assert "Summary of our assessment" in text
    for private in (case.email, case.phone, case.reference, "18500", "irina@poliklinika"):
        assert private not in text
    reads = AuditEvent.objects.filter(
        object_type="referrals.homedoctorlink", object_id=str(issued.row.pk), action="read"
    )
    assert reads.count() == 2
    assert all(event.actor_id is None for event in reads)
    issued.row.refresh_from_db()
    assert issued.row.views == 2


def test_an_accepted_quote_is_the_plan_shown(
    answered: Any, consented: Any, clinic_y: Clinic, doctor_y: Any, coordinator: Any
) -> None:
    other = send(consented, clinic_y, coordinator)
    second = answer_submit(referral=other, author=doctor_y, answer=AnswerIn(**answer()))
    answer_release(opinion=second.opinion, actor=coordinator)
    assert set(chosen_opinions(consented)) == {answered.opinion, second.opinion}
    second.accepted_at = timezone.now()
    second.save(update_fields=["accepted_at"])
    assert list(chosen_opinions(consented)) == [second.opinion]


@pytest.mark.parametrize("closed_by", ["expired", "revoked", "consent_withdrawn"])
def test_a_closed_link_shows_nothing_and_is_audited_as_refused(
    answered: Any, coordinator: Any, closed_by: str
) -> None:
    case = answered.referral.case
    _named(case, coordinator)
    issued = home_doctor_link_send(case=case, actor=coordinator)
    if closed_by == "expired":
        HomeDoctorLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    elif closed_by == "revoked":
        home_doctor_link_revoke(link=issued.row, actor=coordinator)
    else:
        Consent.objects.filter(case=case, purpose="health_data").update(withdrawn_at=timezone.now())
    page = Client().get(reverse("home_doctor_view", args=[_token(issued.url)]))
    assert page.status_code == 404
    text = page.content.decode()
    for shown in (case.full_name, "Unstable L1", "Opinion of", "Summary of our assessment"):
        assert shown not in text
    refused = AuditEvent.objects.get(object_type="referrals.homedoctorlink", action="denied")
    assert refused.object_id == str(issued.row.pk)
    assert refused.detail == {"reason": closed_by}
    assert refused.actor_id is None


def test_an_unknown_token_is_audited_without_an_id() -> None:
    page = Client().get(reverse("home_doctor_view", args=["made-up"]))
    assert page.status_code == 404
    refused = AuditEvent.objects.get(object_type="referrals.homedoctorlink")
    assert (refused.object_id, refused.detail) == ("", {"reason": "unknown"})


def test_the_coordinator_revokes_and_records_the_doctors_answer(
    answered: Any, coordinator: Any
) -> None:
    case = answered.referral.case
    _named(case, coordinator)
    client = Client()
    client.force_login(coordinator)
    client.post(reverse("home_doctor_link_send", args=[case.reference]))
    link = HomeDoctorLink.objects.get()
    page = client.get(reverse("coordinator_home_doctor", args=[case.reference]))
    assert page.status_code == 200 and "Dr Irina Home" in page.content.decode()
    client.post(reverse("home_doctor_link_revoke", args=[case.reference, link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == coordinator
    assert not home_doctor_agreement_known(case)
    client.post(
        reverse("home_doctor_agreement", args=[case.reference]),
        {"agreement": "yes", "note": "Will see her monthly."},
    )
    doctor = HomeDoctor.objects.get(case=case)
    assert doctor.agreement == "yes" and doctor.agreement_by == coordinator
    assert doctor.agreement_note == "Will see her monthly." and doctor.agreement_at is not None
    assert home_doctor_agreement_known(case) and follow_up_settled(case)
    with pytest.raises(HomeDoctorRefused):
        home_doctor_agreement_record(case=case, actor=coordinator, agreement="maybe")


def test_renaming_the_doctor_revokes_their_links_and_forgets_their_answer(
    answered: Any, coordinator: Any, patient: Any
) -> None:
    case = answered.referral.case
    _named(case, coordinator)
    issued = home_doctor_link_send(case=case, actor=coordinator)
    home_doctor_agreement_record(case=case, actor=coordinator, agreement="yes")
    home_doctor_name(case=case, actor=patient, name="Dr Other", email="other@example.org")
    issued.row.refresh_from_db()
    assert issued.row.revoked_at is not None
    assert not home_doctor_agreement_known(case)


def test_the_patients_waiver_is_recorded_with_its_time(patient_case: Any, patient: Any) -> None:
    assert not follow_up_settled(patient_case)
    client = Client()
    client.force_login(patient)
    response = client.post(reverse("patient_home_doctor_waive", args=[patient_case.reference]))
    assert response.status_code == 302
    doctor = HomeDoctor.objects.get(case=patient_case)
    assert doctor.waived_at is not None and doctor.waived_by == patient
    first = doctor.waived_at
    home_doctor_waived(case=patient_case, actor=patient)
    doctor.refresh_from_db()
    assert doctor.waived_at == first
    assert home_doctor_waiver_recorded(patient_case) and follow_up_settled(patient_case)
    assert not home_doctor_agreement_known(patient_case)
