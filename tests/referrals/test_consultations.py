"""Consultations: scheduled at an instant in a zone, shown to the patient, the clinic's doctor and
the coordinator each in their own zone, invited by email with an `.ics`, moved along their table,
reminded once the day before."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oncoroute.cases.models import Case
from oncoroute.clinics.models import Clinic, Doctor
from oncoroute.referrals.consultations import (
    local_time,
    patient_time_zone,
)
from oncoroute.referrals.models import Consultation, Referral, ReferralEvent
from oncoroute.referrals.services import (
    ConsultationRefused,
    consultation_move,
    consultation_outcome,
    consultation_schedule,
    consultations_remind,
)
from oncoroute.referrals.workflow import CONSULTATION_MOVES, ConsultationStatus, MoveNotAllowed

pytestmark = pytest.mark.django_db
S = ConsultationStatus
WINTER = datetime(2027, 1, 15, 10, 0)  # Istanbul is UTC+3 all year; London UTC+0 in winter
SUMMER = datetime(2027, 7, 15, 10, 0)  # and UTC+1 in summer


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.COORDINATOR_EMAILS = ["coordinators@test.example"]


@pytest.fixture
def istanbul(clinic_x: Clinic) -> Clinic:
    clinic_x.time_zone = "Europe/Istanbul"
    clinic_x.address = "Büyükdere Cd. 1, Istanbul"
    clinic_x.save()
    return clinic_x


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def schedule(referral: Referral, coordinator: Any, at: datetime = WINTER, **extra: Any) -> Any:
    given: dict[str, Any] = {
        "time_zone": "Europe/Istanbul", "mode": Consultation.Mode.ONLINE,
        "video_link": "https://meet.example/abc", **extra,
    }  # fmt: skip
    return consultation_schedule(referral=referral, actor=coordinator, starts_at=at, **given)


def living_in(case: Case, country: str) -> Case:
    Case.objects.filter(pk=case.pk).update(country=country)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(
    ("at", "country", "shown"),
    [(WINTER, "RU", "10:00"), (WINTER, "GB", "07:00"), (SUMMER, "GB", "08:00"),
     (SUMMER, "RU", "10:00")],
)  # fmt: skip
def test_ten_in_istanbul_is_shown_at_the_patients_own_time(
    referral_x: Referral, istanbul: Clinic, coordinator: Any, patient: Any,
    at: datetime, country: str, shown: str,
) -> None:  # fmt: skip
    consultation = schedule(referral_x, coordinator, at=at)
    case = living_in(referral_x.case, country)
    zone = {"RU": "Europe/Moscow", "GB": "Europe/London"}[country]
    assert patient_time_zone(case) == zone
    assert local_time(consultation, zone).at.strftime("%H:%M") == shown

    page = signed_in(patient).get(reverse("patient_case", args=[case.reference]))
    card = page.content.decode().split('data-testid="consultations"')[1].split("</section>")[0]
    assert shown in card and zone in card and "Clinic X" in card


def test_stored_as_the_instant_in_utc_with_the_zone_it_was_given_in(
    referral_x: Referral, istanbul: Clinic, coordinator: Any
) -> None:
    consultation = schedule(referral_x, coordinator)
    consultation.refresh_from_db()
    assert consultation.starts_at == datetime(2027, 1, 15, 7, 0, tzinfo=UTC)
    assert consultation.time_zone == "Europe/Istanbul"
    assert consultation.status == S.PROPOSED


def test_the_clinic_and_the_coordinator_each_read_their_own_zone(
    referral_x: Referral, istanbul: Clinic, coordinator: Any, doctor_x: Any
) -> None:
    consultation = schedule(referral_x, coordinator)
    portal = signed_in(doctor_x).get(reverse("referral_detail", args=[referral_x.pk]))
    card = portal.content.decode().split('data-testid="consultations"')[1]
    assert "15 Jan 2027, 10:00" in card and "Europe/Istanbul time" in card

    case_page = signed_in(coordinator).get(
        reverse("coordinator_case", args=[referral_x.case.reference])
    )
    row = case_page.content.decode().split(f'data-testid="consultation-{consultation.pk}"')[1]
    assert "15 Jan 2027, 07:00 UTC" in row
    assert "clinic: 15 Jan 2027, 10:00 Europe/Istanbul" in row


def test_the_ics_carries_the_right_instant_to_the_patient_and_the_clinic(
    referral_x: Referral, istanbul: Clinic, coordinator: Any, doctor_x: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        schedule(referral_x, coordinator, at=SUMMER)
    assert sorted(address for email in mail.outbox for address in email.to) == [
        "doctor@clinic-x.example", "patient@test.example",
    ]  # fmt: skip
    for email in mail.outbox:
        name, content, mimetype = email.attachments[0]
        assert name == "consultation.ics" and mimetype.startswith("text/calendar")
        event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
        start = event.decoded("dtstart")
        assert start == datetime(2027, 7, 15, 7, 0, tzinfo=UTC)
        assert start.astimezone(istanbul.zone).hour == 10
        assert event.decoded("dtend") - start == timedelta(minutes=45)
        assert str(event["location"]) == "https://meet.example/abc"


def test_the_clinics_email_names_no_patient_and_the_patients_says_only_the_clinic(
    referral_x: Referral, istanbul: Clinic, coordinator: Any, doctor_x: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        schedule(referral_x, coordinator, mode=Consultation.Mode.IN_PERSON, video_link="")
    case = referral_x.case
    to_clinic = next(e for e in mail.outbox if e.to == ["doctor@clinic-x.example"])
    to_patient = next(e for e in mail.outbox if e.to == ["patient@test.example"])
    clinic_text = to_clinic.subject + to_clinic.body + str(to_clinic.attachments[0][1])
    for identity in (case.full_name, case.email, str(case.reference), "Pat", "Ient"):
        assert identity not in clinic_text
    assert f"R-{referral_x.pk}" in clinic_text and "10:00" in to_clinic.body

    patient_ics = icalendar.Calendar.from_ical(to_patient.attachments[0][1]).walk("VEVENT")[0]
    assert str(patient_ics["summary"]) == "Consultation with Clinic X"
    assert "description" not in patient_ics
    assert "Büyükdere Cd. 1, Istanbul" in to_patient.body
    for health in ("SBRT", "surgery", case.get_primary_cancer_display()):
        assert health not in to_patient.body + to_patient.subject


def test_the_patients_email_is_in_the_cases_language(
    referral_x: Referral, istanbul: Clinic, coordinator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    Case.objects.filter(pk=referral_x.case.pk).update(language="ru", country="RU")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        schedule(referral_x, coordinator)
    to_patient = next(e for e in mail.outbox if e.to == ["patient@test.example"])
    assert "Консультация" in to_patient.subject
    assert "10:00" in to_patient.body and "Europe/Moscow" in to_patient.body


def test_a_time_in_the_past_is_refused_and_nothing_is_made(
    referral_x: Referral, istanbul: Clinic, coordinator: Any
) -> None:
    past = (timezone.now() - timedelta(minutes=5)).replace(tzinfo=None)
    with pytest.raises(ConsultationRefused, match="in the past"):
        schedule(referral_x, coordinator, at=past, time_zone="UTC")
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("zone", ["", "Mars/Olympus", "GMT+3 please"])
def test_a_missing_or_unknown_time_zone_is_refused(
    referral_x: Referral, istanbul: Clinic, coordinator: Any, zone: str
) -> None:
    with pytest.raises(ConsultationRefused, match="time zone"):
        schedule(referral_x, coordinator, time_zone=zone)
    assert not Consultation.objects.exists()


def test_another_clinics_doctor_is_refused(
    referral_x: Referral, istanbul: Clinic, clinic_y: Clinic, coordinator: Any
) -> None:
    elsewhere = Doctor.objects.create(clinic=clinic_y, name="Dr Y", specialty="Surgery")
    with pytest.raises(ConsultationRefused, match="another clinic"):
        schedule(referral_x, coordinator, doctor=elsewhere)


def test_the_form_refuses_with_the_reason_on_the_case_page(
    referral_x: Referral, istanbul: Clinic, coordinator: Any
) -> None:
    client = signed_in(coordinator)
    url = reverse("consultation_schedule", args=[referral_x.pk])
    prefix = f"c{referral_x.pk}-"
    form = {
        f"{prefix}mode": "online", f"{prefix}starts_at": "2020-01-01T10:00",
        f"{prefix}time_zone": "Europe/Istanbul", f"{prefix}video_link": "",
    }  # fmt: skip
    page = client.post(url, form, follow=True)
    assert "in the past" in page.content.decode() and not Consultation.objects.exists()

    page = client.post(url, {**form, f"{prefix}starts_at": "2027-01-15T10:00",
                             f"{prefix}time_zone": "Nowhere/Else"}, follow=True)  # fmt: skip
    assert "is not a time zone" in page.content.decode() and not Consultation.objects.exists()

    client.post(url, {**form, f"{prefix}starts_at": "2027-01-15T10:00"})
    assert Consultation.objects.get().starts_at == datetime(2027, 1, 15, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(("old", "new"), list(CONSULTATION_MOVES))
def test_each_move_of_the_table_is_allowed_and_is_an_event(
    referral_x: Referral, istanbul: Clinic, coordinator: Any, old: str, new: str
) -> None:
    consultation = schedule(referral_x, coordinator)
    Consultation.objects.filter(pk=consultation.pk).update(status=old)
    consultation_move(consultation=consultation, actor=coordinator, to=new)
    assert Consultation.objects.get().status == new
    event = referral_x.events.filter(kind=ReferralEvent.Kind.CONSULTATION).last()
    assert event is not None and event.data["old"] == old and event.data["new"] == new


@pytest.mark.parametrize(
    ("old", "new"),
    [(old, new) for old in S for new in S if (old, new) not in CONSULTATION_MOVES],
)
def test_a_move_outside_the_table_is_refused(
    referral_x: Referral, istanbul: Clinic, coordinator: Any, old: str, new: str
) -> None:
    consultation = schedule(referral_x, coordinator)
    Consultation.objects.filter(pk=consultation.pk).update(status=old)
    with pytest.raises(MoveNotAllowed):
        consultation_move(consultation=consultation, actor=coordinator, to=new)
    assert Consultation.objects.get().status == old


def test_the_clinic_confirms_on_the_portal_another_clinic_gets_a_404(
    referral_x: Referral, istanbul: Clinic, coordinator: Any, doctor_x: Any, doctor_y: Any,
    patient: Any, other_patient: Any,
) -> None:  # fmt: skip
    consultation = schedule(referral_x, coordinator)
    url = reverse("consultation_move_by_clinic", args=[consultation.pk])
    assert signed_in(doctor_y).post(url, {"to": "confirmed"}).status_code == 404
    assert signed_in(patient).post(url, {"to": "confirmed"}).status_code == 403
    with pytest.raises(MoveNotAllowed):
        consultation_move(consultation=consultation, actor=doctor_y, to=S.CONFIRMED)
    assert Consultation.objects.get().status == S.PROPOSED

    assert signed_in(doctor_x).post(url, {"to": "confirmed"}).status_code == 302
    assert Consultation.objects.get().status == S.CONFIRMED

    other = signed_in(other_patient).get(reverse("patient_case", args=[referral_x.case.reference]))
    assert other.status_code == 404


def test_the_outcome_note_is_sealed_and_only_after_it_was_held(
    referral_x: Referral, istanbul: Clinic, coordinator: Any
) -> None:
    consultation = schedule(referral_x, coordinator)
    with pytest.raises(MoveNotAllowed, match="held"):
        consultation_outcome(consultation=consultation, actor=coordinator, note="Fine.")
    consultation_move(consultation=consultation, actor=coordinator, to=S.CONFIRMED)
    consultation_move(consultation=consultation, actor=coordinator, to=S.HELD)
    consultation_outcome(consultation=consultation, actor=coordinator, note="Surgery advised.")
    assert Consultation.objects.get().outcome_note == "Surgery advised."
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT outcome_note FROM referrals_consultation")
        (stored,) = cursor.fetchone()
    assert "Surgery" not in str(stored)


def reminders(capture: Callable[..., Any]) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("reminders", stdout=out)
    return out.getvalue()


def test_a_consultation_within_a_day_is_reminded_once(
    referral_x: Referral, istanbul: Clinic, coordinator: Any, doctor_x: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    soon = schedule(referral_x, coordinator)
    later = schedule(referral_x, coordinator, at=SUMMER)
    Consultation.objects.filter(pk=soon.pk).update(starts_at=timezone.now() + timedelta(hours=20))
    mail.outbox.clear()

    first = reminders(django_capture_on_commit_callbacks)
    second = reminders(django_capture_on_commit_callbacks)

    assert "Reminded of 1 consultation(s)" in first
    assert "Reminded of 0 consultation(s)" in second
    assert sorted(address for email in mail.outbox for address in email.to) == [
        "doctor@clinic-x.example", "patient@test.example",
    ]  # fmt: skip
    assert all(email.subject.startswith("Reminder") for email in mail.outbox)
    assert Consultation.objects.get(pk=soon.pk).reminded
    assert not Consultation.objects.get(pk=later.pk).reminded
    events = referral_x.events.filter(kind=ReferralEvent.Kind.CONSULTATION)
    assert [e.data["action"] for e in events].count("reminded") == 1


def test_a_cancelled_or_past_consultation_is_not_reminded(
    referral_x: Referral, istanbul: Clinic, coordinator: Any
) -> None:
    cancelled = schedule(referral_x, coordinator)
    consultation_move(consultation=cancelled, actor=coordinator, to=S.CANCELLED)
    past = schedule(referral_x, coordinator)
    soon = timezone.now() + timedelta(hours=2)
    Consultation.objects.filter(pk=cancelled.pk).update(starts_at=soon)
    Consultation.objects.filter(pk=past.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    assert consultations_remind() == 0


def test_a_country_without_a_zone_of_its_own_reads_in_utc(patient_case: Case) -> None:
    assert patient_time_zone(living_in(patient_case, "BR")) == "UTC"


def _calendar(email: Any) -> tuple[Any, Any]:
    _name, content, _mimetype = email.attachments[0]
    calendar = icalendar.Calendar.from_ical(content)
    return calendar, calendar.walk("VEVENT")[0]


def test_a_cancellation_tells_both_sides_and_removes_the_event_from_their_calendars(
    referral_x: Referral, istanbul: Clinic, coordinator: Any, doctor_x: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    Case.objects.filter(pk=referral_x.case.pk).update(language="ru", country="RU")
    with django_capture_on_commit_callbacks(execute=True):
        consultation = schedule(referral_x, coordinator)
    _, invited = _calendar(mail.outbox[-1])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        consultation_move(consultation=consultation, actor=doctor_x, to=S.CANCELLED)
    assert sorted(a for email in mail.outbox for a in email.to) == [
        "doctor@clinic-x.example", "patient@test.example",
    ]  # fmt: skip
    to_patient = next(e for e in mail.outbox if e.to == ["patient@test.example"])
    assert to_patient.subject.startswith("Отменено") and "отменена" in to_patient.body
    for email in mail.outbox:
        calendar, event = _calendar(email)
        assert str(calendar["method"]) == "CANCEL" and "method=CANCEL" in email.attachments[0][2]
        assert str(event["status"]) == "CANCELLED" and event["uid"] == invited["uid"]
        assert event["sequence"] > invited["sequence"]


def test_a_confirmation_is_sent_with_a_newer_invitation(
    referral_x: Referral, istanbul: Clinic, coordinator: Any, doctor_x: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    consultation = schedule(referral_x, coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        consultation_move(consultation=consultation, actor=doctor_x, to=S.CONFIRMED)
    to_patient = next(e for e in mail.outbox if e.to == ["patient@test.example"])
    assert to_patient.subject == "Confirmed: Consultation with Clinic X"
    _, event = _calendar(to_patient)
    assert str(event["status"]) == "CONFIRMED" and event["sequence"] == 1


def test_a_held_consultation_sends_nothing(
    referral_x: Referral, istanbul: Clinic, coordinator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    consultation = schedule(referral_x, coordinator)
    Consultation.objects.filter(pk=consultation.pk).update(status=S.CONFIRMED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        consultation_move(consultation=consultation, actor=coordinator, to=S.HELD)
    assert mail.outbox == []


def test_the_patient_downloads_the_invitation_from_their_page(
    referral_x: Referral, istanbul: Clinic, coordinator: Any, patient: Any, other_patient: Any
) -> None:
    consultation = schedule(referral_x, coordinator, at=SUMMER)
    case = referral_x.case
    client = signed_in(patient)
    url = reverse("patient_consultation_ics", args=[case.reference, consultation.pk])
    assert url in client.get(reverse("patient_case", args=[case.reference])).content.decode()
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2027, 7, 15, 7, 0, tzinfo=UTC)
    assert str(event["summary"]) == "Consultation with Clinic X"
    assert signed_in(other_patient).get(url).status_code == 404
    wrong = reverse("patient_consultation_ics", args=[case.reference, consultation.pk + 1])
    assert client.get(wrong).status_code == 404
