"""A trip's documents, read back from the PDFs themselves: the MEDIF draft carries the trip's
dates and the patient's procedures, the treatment card exists only for radionuclide plans, the
printable plan is in the patient's language; the invitation-letter request goes to the clinic
only under the patient's identity consent, with nothing of their health; and who may download
what."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from oncoroute.cases.models import Case, Consent
from oncoroute.referrals.models import Quote
from oncoroute.trips.documents import (
    card_until,
    medif_draft_pdf,
    treatment_card_pdf,
    trip_plan_pdf,
    trip_sheet,
)
from oncoroute.trips.invitation import InvitationRefused, invitation_letter_request
from oncoroute.trips.models import Trip, TripPlan
from oncoroute.trips.services import trip_plan_save
from tests.trips.conftest import FIGURES
from tests.trips.pdftext import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_now_in_english(settings: Any) -> Iterator[None]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with translation.override("en"):
        yield


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def first_trip(plan: TripPlan) -> Trip:
    return plan.trips.get(number=1)


@pytest.fixture
def lutetium_plan(accepted: Quote, coordinator: Any) -> TripPlan:
    """Clinic X's plan made a consultation, then two ¹⁷⁷Lu-PSMA doses six weeks apart; the
    patient reads Russian."""
    first, second = accepted.opinion.items.order_by("position")
    first.service, first.hospital_nights, first.recovery_days = "consultation", 0, 0
    first.save()
    second.service, second.sessions, second.interval_days = "lu177_psma", 2, 42
    second.after_previous_days = 1
    second.save()
    Case.objects.filter(pk=accepted.referral.case_id).update(language="ru")
    case = Case.objects.get(pk=accepted.referral.case_id)
    return trip_plan_save(case=case, actor=coordinator, figures=FIGURES)


# The MEDIF draft ------------------------------------------------------------------------------


def test_the_medif_draft_carries_the_trips_dates_name_diagnosis_and_procedures(
    trip_plan: TripPlan,
) -> None:
    trip = first_trip(trip_plan)
    sheet = trip_sheet(trip)
    text = pdf_text(medif_draft_pdf(sheet))
    assert "Medical information form for air travel (MEDIF) — DRAFT" in text
    assert f"Flight out {trip.outbound.isoformat()}" in text
    assert f"flight home {trip.home.isoformat()}" in text
    assert "Pat Ient" in text
    assert "Spinal metastases (primary cancer:" in text
    surgery = sheet.sessions[0]
    assert f"spinal stabilisation surgery, {surgery.day.isoformat()}" in text
    assert f"earliest flight {surgery.first_flight.isoformat()}" in text
    # Escort: the plan's two travellers; the doctor's block left to fill in and sign.
    assert "☒ Yes ☐ No 1 companion(s)" in text
    assert "Signature and date ____" in text


def test_the_medif_is_in_english_whatever_the_patient_reads(lutetium_plan: TripPlan) -> None:
    text = pdf_text(medif_draft_pdf(trip_sheet(first_trip(lutetium_plan))))
    assert "Part 2 — the attending physician" in text
    assert "lutetium-177 PSMA therapy" in text
    assert not any("а" <= letter <= "я" for letter in text)


def test_only_a_coordinator_downloads_the_medif(trip_plan: TripPlan, coordinator: Any) -> None:
    trip = first_trip(trip_plan)
    url = reverse("trip_medif_pdf", args=[trip.pk])
    response = signed_in(coordinator).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="medif-draft-trip-1.pdf"'
    assert trip.outbound.isoformat() in pdf_text(response.content)
    assert signed_in(trip_plan.case.patient).get(url).status_code == 403


# The treatment card ---------------------------------------------------------------------------


def test_the_treatment_card_says_what_was_given_when_in_english_and_in_russian(
    lutetium_plan: TripPlan,
) -> None:
    trip = first_trip(lutetium_plan)
    sheet = trip_sheet(trip)
    english, russian = pdf_pages(treatment_card_pdf(sheet))
    dose = sheet.radionuclide_sessions[0].day
    assert "Radionuclide treatment card" in english
    assert "Lutetium-177 (¹⁷⁷Lu) PSMA-617" in english
    assert "Pat Ient" in english
    until = card_until(sheet)
    assert until is not None and (until - dose).days == 90
    with translation.override("en"):
        assert f"Carry this card on every journey until {until:%-d %B %Y}" in english
    assert "Карта радионуклидной терапии" in russian
    assert "Если в аэропорту или на границе сработает детектор радиации" in russian
    assert "Lutetium-177 (¹⁷⁷Lu) PSMA-617" in russian


def test_there_is_no_treatment_card_without_radionuclide_therapy(
    trip_plan: TripPlan, coordinator: Any
) -> None:
    trip = first_trip(trip_plan)
    with pytest.raises(ValueError, match="no radionuclide"):
        treatment_card_pdf(trip_sheet(trip))
    url = reverse("trip_treatment_card_pdf", args=[trip.pk])
    assert signed_in(coordinator).get(url).status_code == 404
    assert signed_in(trip_plan.case.patient).get(url).status_code == 404


def test_the_patient_downloads_their_card_and_another_patient_gets_a_404(
    lutetium_plan: TripPlan, other_patient: Any, clinic_doctor: Any
) -> None:
    url = reverse("trip_treatment_card_pdf", args=[first_trip(lutetium_plan).pk])
    response = signed_in(lutetium_plan.case.patient).get(url)
    assert response.status_code == 200
    assert "Radionuclide treatment card" in pdf_text(response.content)
    assert signed_in(other_patient).get(url).status_code == 404
    assert signed_in(clinic_doctor).get(url).status_code == 403


# The printable plan ---------------------------------------------------------------------------


def test_the_printable_plan_is_in_the_patients_language_day_by_day(
    lutetium_plan: TripPlan,
) -> None:
    trip = first_trip(lutetium_plan)
    with translation.override("ru"):
        outbound = f"{trip.outbound.day} " + date_words(trip.outbound)
    text = pdf_text(trip_plan_pdf(trip_sheet(trip)))
    assert "План вашей поездки: поездка 1 из" in text
    assert f"{outbound} Вылет: Somewhere (Clinic X)" in text
    assert "Терапия лютецием-177 PSMA" in text
    assert "Самый ранний безопасный день возвращения" in text
    assert "Перед поездкой: список дел" in text
    assert "Карта радионуклидной терапии" not in text
    assert "Возьмите в дорогу домой карту радионуклидной терапии" in text


def date_words(day: date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "E Y")


def test_the_printable_plan_names_the_day_home_and_why(trip_plan: TripPlan) -> None:
    trip = first_trip(trip_plan)
    text = pdf_text(trip_plan_pdf(trip_sheet(trip)))
    assert "Your trip plan: trip 1 of 2" in text
    assert "Spinal stabilisation surgery on" in text
    assert "(at least 7 days after the procedure; 7 days of recovery the clinic asks for" in text
    assert "Before you travel: the checklist" in text


def test_the_patient_and_coordinators_download_the_plan_nobody_else(
    trip_plan: TripPlan, coordinator: Any, other_patient: Any, clinic_doctor: Any
) -> None:
    url = reverse("trip_plan_pdf", args=[first_trip(trip_plan).pk])
    for user in (trip_plan.case.patient, coordinator):
        response = signed_in(user).get(url)
        assert response.status_code == 200
        assert pdf_text(response.content).startswith("Your trip plan")
    assert signed_in(other_patient).get(url).status_code == 404
    assert signed_in(clinic_doctor).get(url).status_code == 403
    assert signed_in(other_patient).get(reverse("trip_plan_pdf", args=[999999])).status_code == (
        404
    )


# The invitation letter ------------------------------------------------------------------------


@pytest.fixture
def reachable(trip_plan: TripPlan) -> TripPlan:
    clinic = trip_plan.quote.referral.clinic
    clinic.contact_name, clinic.contact_email = "Ayşe Demir", "intl@clinic-x.example"
    clinic.save()
    return trip_plan


def test_the_request_emails_the_clinic_name_and_dates_only_and_notes_the_checklist(
    reachable: TripPlan, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    trip = first_trip(reachable)
    with django_capture_on_commit_callbacks(execute=True):
        item = invitation_letter_request(trip=trip, actor=coordinator)
    assert item.note == f"requested on {timezone.localdate().isoformat()}"
    (sent,) = mail.outbox
    assert sent.to == ["intl@clinic-x.example"]
    assert "Dear Ayşe Demir," in sent.body
    assert "Pat Ient" in sent.body
    assert f"arriving on {trip.outbound.isoformat()}" in sent.body
    assert f"leaving on {trip.home.isoformat()}" in sent.body
    case = reachable.case
    for health in ("stabilis", "SBRT", "spinal", "metasta", str(case.primary_cancer_text)):
        assert health.lower() not in (sent.subject + sent.body).lower()


def test_without_the_identity_consent_for_that_clinic_the_request_is_refused(
    reachable: TripPlan, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reachable.case.consents.filter(purpose=Consent.Purpose.IDENTITY_SHARING).update(
        withdrawn_at=timezone.now()
    )
    trip = first_trip(reachable)
    refused = pytest.raises(InvitationRefused, match="has not agreed to share their identity")
    with django_capture_on_commit_callbacks(execute=True), refused:
        invitation_letter_request(trip=trip, actor=coordinator)
    assert not mail.outbox
    assert str(trip.checklist.get(code="invitation_letter").note) == ""


def test_a_clinic_without_an_international_patient_email_is_refused(
    trip_plan: TripPlan, coordinator: Any
) -> None:
    with pytest.raises(InvitationRefused, match="no international-patient email"):
        invitation_letter_request(trip=first_trip(trip_plan), actor=coordinator)


def test_the_coordinators_button_requests_it_and_goes_back_to_the_trips(
    reachable: TripPlan, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    trip = first_trip(reachable)
    url = reverse("trip_invitation_request", args=[trip.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(coordinator).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("trips_plan", args=[reachable.case.reference])
    assert len(mail.outbox) == 1
    assert signed_in(reachable.case.patient).post(url).status_code == 403
    assert len(mail.outbox) == 1


def test_the_card_is_carried_three_months_after_the_last_lutetium_dose(
    lutetium_plan: TripPlan,
) -> None:
    doses = {s.day for t in lutetium_plan.trips.all() for s in trip_sheet(t).radionuclide_sessions}
    assert len(doses) == 2
    last = lutetium_plan.trips.order_by("number").last()
    assert last is not None
    sheet = trip_sheet(last)
    assert card_until(sheet) == date.fromordinal(max(doses).toordinal() + 90)


def test_a_later_trip_lists_every_dose_so_far_and_needs_the_card_within_three_months(
    lutetium_plan: TripPlan,
) -> None:
    first, second = (trip_sheet(trip) for trip in lutetium_plan.trips.order_by("number"))
    (dose_1,) = first.radionuclide_sessions
    assert [s.day for s in second.radionuclide_sessions] == [dose_1.day, second.sessions[0].day]
    english = pdf_pages(treatment_card_pdf(second))[0]
    with translation.override("en"):
        for dose in second.radionuclide_sessions:
            assert f"Lutetium-177 (¹⁷⁷Lu) PSMA-617 {dose.day:%-d %B %Y}" in english
    # A trip with no dose of its own still needs the card within 90 days of the last one.
    later = replace(second, sessions=(), earlier_sessions=(dose_1,))
    assert replace(later, outbound=dose_1.day + timedelta(days=90)).has_radionuclide
    assert not replace(later, outbound=dose_1.day + timedelta(days=91)).has_radionuclide
