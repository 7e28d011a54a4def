"""The way home: the handover (the clinic's discharge summary and the structured summary) is saved
only complete and with one of the case's own documents, sent only when the doctor at home can be
sent a link, and then read through that link in the patient's language and the clinic's, the
discharge summary downloaded with an audit row. The last trip's return needs the handover sent
and plans the follow-up check-ins; an earlier trip's does not.

Data used: the lead's `trip_plan` (tests/trips/conftest.py: clinic X's plan accepted, trips from
March 2027), moved into the past here so that a return can be recorded; a Russian-speaking
patient whose doctor at home is Dr Ivanova."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from oncoroute.cases.models import Case, CaseEvent, Consent
from oncoroute.followup.models import CheckIn
from oncoroute.privacy.models import AuditEvent
from oncoroute.records.models import Document
from oncoroute.referrals.home_doctor import home_doctor_link_revoke, home_doctor_name
from oncoroute.referrals.models import HomeDoctorLink
from oncoroute.trips.handover import (
    HandoverRefused,
    handover_save,
    handover_send,
    trip_return_complete,
)
from oncoroute.trips.handover_summary import (
    Contacts,
    HandoverSummary,
    Implant,
    Medicine,
    Procedure,
    Radiotherapy,
)
from oncoroute.trips.models import Handover, Trip, TripPlan

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SUMMARY = HandoverSummary(
    procedures=(
        Procedure(kind="stabilisation", done_on=TODAY - timedelta(days=30), detail="T11–L1"),
    ),
    radiotherapy=(
        Radiotherapy(
            site="T12",
            technique="sbrt",
            dose_gy=Decimal(24),
            fractions=3,
            finished_on=TODAY - timedelta(days=8),
        ),
    ),
    implants=(Implant(kind="screws_rods", levels="T11–L1", mri="conditional", maker="Acme"),),
    medicines=(
        Medicine(
            name="Dexamethasone",
            amount=Decimal(4),
            unit="mg",
            how_often="once_daily",
            until=TODAY + timedelta(days=10),
        ),
        Medicine(name="Enoxaparin", amount=Decimal(40), unit="mg", how_often="once_daily"),
    ),
    more_signs=("wound", "fever"),
    watch_note="Keep the wound dry for two weeks.",
    watch_note_patient="Держите рану сухой две недели.",
    contacts=Contacts(
        clinic_name="Clinic X",
        clinic_person="Dr Demir",
        clinic_phone="+902120000000",
        coordinator_name="Cora",
        coordinator_email="coordinator@test.example",
    ),
)


@pytest.fixture(autouse=True)
def _in_english(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


@pytest.fixture
def plan(trip_plan: TripPlan) -> TripPlan:
    """The plan with two trips, both in the past (the second is the last), for a patient who
    reads Russian and has named their doctor at home."""
    case = trip_plan.case
    Case.objects.filter(pk=case.pk).update(language="ru")
    trips = list(trip_plan.trips.order_by("number"))
    if len(trips) == 1:
        trips.append(Trip.objects.create(plan=trip_plan, number=2, outbound=TODAY, home=TODAY))
    start = TODAY - timedelta(days=60)
    for index, trip in enumerate(trips):
        trip.outbound = start + timedelta(days=25 * index)
        trip.home = trip.outbound + timedelta(days=14)
        trip.save(update_fields=["outbound", "home"])
    home_doctor_name(
        case=case, actor=case.patient, name="Dr Ivanova", email="ivanova@poliklinika.example"
    )
    return TripPlan.objects.select_related("case").get(pk=trip_plan.pk)


def document_of(case: Case, name: str = "discharge.pdf") -> Document:
    stored = default_storage.save(f"records/{case.pk}/{name}", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return Document.objects.create(
        case=case, uploaded_by=None, kind="pdf", original_name=name, file=stored, size=15,
        sha256="0" * 64,
    )  # fmt: skip


@pytest.fixture
def discharge(plan: TripPlan) -> Document:
    return document_of(plan.case)


@pytest.fixture
def saved(plan: TripPlan, discharge: Document, coordinator: Any) -> Handover:
    return handover_save(plan=plan, actor=coordinator, discharge_summary=discharge, summary=SUMMARY)


@pytest.fixture
def sent(
    saved: Handover, plan: TripPlan, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> Handover:
    # The link's email goes after commit; the test runs inside one transaction.
    with django_capture_on_commit_callbacks(execute=True):
        return handover_send(plan=plan, actor=coordinator)


def doctor_token() -> str:
    """The token of the newest link emailed to the doctor at home, as the doctor's email has it."""
    for line in mail.outbox[-1].body.splitlines():
        if "/h/" in line:
            return urlsplit(line.strip()).path.split("/")[2]
    raise AssertionError("no link in the email")


def last_trip(plan: TripPlan) -> Trip:
    return plan.trips.order_by("-number").first()  # type: ignore[return-value]


# Saving ------------------------------------------------------------------------------------------


def test_a_complete_handover_is_kept_sealed_and_read_back_alike(
    saved: Handover, discharge: Document
) -> None:
    handover = Handover.objects.get(pk=saved.pk)
    assert handover.discharge_summary == discharge
    assert HandoverSummary.from_stored(handover.summary) == SUMMARY
    assert handover.sent_at is None
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM trips_handover WHERE id = %s", [handover.pk])
        (raw,) = cursor.fetchone()
    assert "Dexamethasone" not in str(raw)


def test_another_cases_document_is_refused_and_nothing_is_saved(
    plan: TripPlan, other_case: Case, coordinator: Any
) -> None:
    with pytest.raises(HandoverRefused, match="one of this case's documents"):
        handover_save(
            plan=plan, actor=coordinator, discharge_summary=document_of(other_case),
            summary=SUMMARY,
        )  # fmt: skip
    assert not Handover.objects.exists()


def test_an_incomplete_summary_is_refused_with_each_reason(
    plan: TripPlan, discharge: Document, coordinator: Any
) -> None:
    incomplete = replace(
        SUMMARY,
        procedures=(Procedure(kind="other", done_on=TODAY + timedelta(days=1)),),
        radiotherapy=(replace(SUMMARY.radiotherapy[0], dose_gy=Decimal(120), fractions=0),),
        medicines=(),
        watch_note_patient="",
        contacts=Contacts(clinic_name="Clinic X"),
    )
    with pytest.raises(HandoverRefused) as refused:
        handover_save(plan=plan, actor=coordinator, discharge_summary=discharge, summary=incomplete)
    assert refused.value.problems == [
        "Procedure 1: say what the other procedure was.",
        "Procedure 1: the day cannot be in the future.",
        "Radiotherapy 1: the total dose must be more than 0 and at most 100 Gy.",
        "Radiotherapy 1: the number of fractions must be from 1 to 50.",
        "List the medicines to take at home, or tick that there are none.",
        "Write the other things to watch for both in English and in the patient's language, "
        "or in neither.",
        "Give the clinic and the person there to call.",
        "Give the clinic's phone or email address.",
        "Give the coordinator's name.",
        "Give the coordinator's phone or email address.",
    ]
    assert not Handover.objects.exists()


def test_a_summary_saying_nothing_was_done_is_refused(plan: TripPlan, coordinator: Any) -> None:
    with pytest.raises(HandoverRefused, match="say what was done"):
        handover_save(
            plan=plan, actor=coordinator, discharge_summary=None,
            summary=replace(SUMMARY, procedures=(), radiotherapy=()),
        )  # fmt: skip


def test_a_dose_per_fraction_beyond_any_schedule_is_refused(
    plan: TripPlan, coordinator: Any
) -> None:
    slip = replace(SUMMARY.radiotherapy[0], dose_gy=Decimal(40), fractions=1)
    with pytest.raises(
        HandoverRefused, match=r"more than 30 Gy a fraction \(40 Gy, fractions: 1\)"
    ):
        handover_save(
            plan=plan, actor=coordinator, discharge_summary=None,
            summary=replace(SUMMARY, radiotherapy=(slip,)),
        )  # fmt: skip


# Sending -----------------------------------------------------------------------------------------


def test_without_a_discharge_summary_the_handover_is_not_sent(
    plan: TripPlan, coordinator: Any
) -> None:
    handover_save(plan=plan, actor=coordinator, discharge_summary=None, summary=SUMMARY)
    with pytest.raises(HandoverRefused, match="discharge summary"):
        handover_send(plan=plan, actor=coordinator)
    assert Handover.objects.get().sent_at is None
    assert not HomeDoctorLink.objects.exists()
    assert not mail.outbox


def test_nothing_saved_is_nothing_to_send(plan: TripPlan, coordinator: Any) -> None:
    with pytest.raises(HandoverRefused, match="No handover is saved yet"):
        handover_send(plan=plan, actor=coordinator)


def test_without_a_named_home_doctor_the_handover_is_not_sent(
    saved: Handover, plan: TripPlan, coordinator: Any
) -> None:
    plan.case.home_doctor.delete()
    with pytest.raises(HandoverRefused, match="not named a home doctor"):
        handover_send(plan=plan, actor=coordinator)
    assert Handover.objects.get().sent_at is None
    assert not mail.outbox


def test_with_the_consent_withdrawn_the_handover_is_not_sent(
    saved: Handover, plan: TripPlan, coordinator: Any
) -> None:
    Consent.objects.filter(case=plan.case, purpose=Consent.Purpose.HEALTH_DATA).update(
        withdrawn_at=timezone.now()
    )
    with pytest.raises(HandoverRefused, match="withdrawn their health-data consent"):
        handover_send(plan=plan, actor=coordinator)
    assert Handover.objects.get().sent_at is None
    assert not HomeDoctorLink.objects.exists()


def test_sending_emails_the_doctor_a_new_link_and_no_health_data(
    sent: Handover, plan: TripPlan, coordinator: Any
) -> None:
    assert sent.sent_at is not None
    assert sent.sent_by == coordinator
    (email,) = mail.outbox
    assert email.to == ["ivanova@poliklinika.example"]
    text = email.subject + email.body
    for health_data in ("Dexamethasone", "Gy", "T11", "stabilisation", "Clinic X", "Pat Ient"):
        assert health_data not in text
    assert HomeDoctorLink.objects.filter(home_doctor__case=plan.case).count() == 1
    note = CaseEvent.objects.filter(case=plan.case, kind=CaseEvent.Kind.NOTE).last()
    assert note is not None
    assert note.data["text"] == "Handover home sent to the doctor at home with a new link."
    assert AuditEvent.objects.filter(
        action="share", object_type="trips.handover", object_id=str(sent.pk)
    ).exists()


def test_a_change_after_sending_needs_sending_again(
    sent: Handover, plan: TripPlan, discharge: Document, coordinator: Any
) -> None:
    changed = replace(SUMMARY, more_signs=("pain",))
    handover = handover_save(
        plan=plan, actor=coordinator, discharge_summary=discharge, summary=changed
    )
    assert handover.sent_at is None
    response = Client().get(reverse("home_doctor_view", args=[doctor_token()]))
    assert b"Handover home" not in response.content


# The doctor's link ------------------------------------------------------------------------------


def test_the_link_shows_no_handover_before_it_is_sent(
    saved: Handover, plan: TripPlan, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from oncoroute.referrals.home_doctor import home_doctor_link_send

    with django_capture_on_commit_callbacks(execute=True):
        home_doctor_link_send(case=plan.case, actor=coordinator)
    response = Client().get(reverse("home_doctor_view", args=[doctor_token()]))
    assert response.status_code == 200
    assert b"Handover home" not in response.content
    assert b"Dexamethasone" not in response.content
    download = Client().get(reverse("home_doctor_discharge_summary", args=[doctor_token()]))
    assert download.status_code == 404


def test_the_doctors_link_shows_the_handover_in_russian_and_english(sent: Handover) -> None:
    response = Client().get(reverse("home_doctor_view", args=[doctor_token()]))
    page = response.content.decode()
    assert response.status_code == 200
    russian, english = page.index('lang="ru"'), page.index('lang="en"', page.index("handover"))
    assert russian < english, "the patient's language first, then the clinic's"
    for words in (
        "Проведённые процедуры",  # Procedures done
        "24 Гр за 3 фракции",
        "Новая слабость в ногах или руках",  # a cord-compression sign, always there
        "Держите рану сухой две недели.",
        "Procedures done",
        "24 Gy in 3 fractions",
        "New weakness in the legs or arms",
        "Keep the wound dry for two weeks.",
        "Dexamethasone",
        "Dr Demir",
    ):
        assert words in page, words
    assert reverse("home_doctor_discharge_summary", args=[doctor_token()]) in page


def test_the_discharge_summary_downloads_through_the_link_and_each_download_is_audited(
    sent: Handover, discharge: Document
) -> None:
    path = reverse("home_doctor_discharge_summary", args=[doctor_token()])
    response = Client().get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"  # type: ignore[attr-defined]
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    link = HomeDoctorLink.objects.get()
    download = AuditEvent.objects.get(action="download", object_type="records.document")
    assert download.object_id == str(discharge.pk)
    assert download.actor_id is None
    assert download.detail["link"] == link.pk
    assert AuditEvent.objects.filter(
        action="read", object_type="referrals.homedoctorlink", object_id=str(link.pk)
    ).exists()


def test_a_revoked_link_downloads_nothing(sent: Handover, coordinator: Any) -> None:
    home_doctor_link_revoke(link=HomeDoctorLink.objects.get(), actor=coordinator)
    response = Client().get(reverse("home_doctor_discharge_summary", args=[doctor_token()]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="download").exists()


# The return home --------------------------------------------------------------------------------


def test_the_last_trip_return_is_refused_without_a_sent_handover(
    saved: Handover, plan: TripPlan, coordinator: Any
) -> None:
    trip = last_trip(plan)
    with pytest.raises(HandoverRefused, match="only with the handover sent"):
        trip_return_complete(trip=trip, actor=coordinator, returned_on=trip.home)
    trip.refresh_from_db()
    assert trip.status != Trip.Status.RETURNED
    assert not CheckIn.objects.exists()


def test_an_earlier_trip_returns_without_the_handover(plan: TripPlan, coordinator: Any) -> None:
    first = plan.trips.order_by("number").first()
    assert first is not None
    trip_return_complete(trip=first, actor=coordinator, returned_on=first.home)
    first.refresh_from_db()
    assert first.status == Trip.Status.RETURNED
    assert not CheckIn.objects.exists()


def test_the_last_return_after_the_handover_plans_the_check_ins(
    sent: Handover, plan: TripPlan, coordinator: Any
) -> None:
    trip = last_trip(plan)
    trip_return_complete(trip=trip, actor=coordinator, returned_on=trip.home)
    trip.refresh_from_db()
    assert trip.status == Trip.Status.RETURNED
    due = sorted(CheckIn.objects.filter(case=plan.case).values_list("interval", "due_on"))
    assert due == sorted(
        [
            ("2w", trip.home + timedelta(days=14)),
            ("6w", trip.home + timedelta(days=42)),
            ("3m", _months_after(trip.home, 3)),
            ("6m", _months_after(trip.home, 6)),
        ]
    )
    with pytest.raises(HandoverRefused, match="already marked as returned"):
        trip_return_complete(trip=trip, actor=coordinator, returned_on=trip.home)


def _months_after(day: date, months: int) -> date:
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


def test_a_return_in_the_future_or_before_the_flight_out_is_refused(
    sent: Handover, plan: TripPlan, coordinator: Any
) -> None:
    trip = last_trip(plan)
    with pytest.raises(HandoverRefused, match="cannot be in the future"):
        trip_return_complete(trip=trip, actor=coordinator, returned_on=TODAY + timedelta(days=1))
    with pytest.raises(HandoverRefused, match="before the trip's flight out"):
        trip_return_complete(
            trip=trip, actor=coordinator, returned_on=trip.outbound - timedelta(days=1)
        )
    assert not CheckIn.objects.exists()


# Pages ------------------------------------------------------------------------------------------


def signed_in(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def form_data(plan: TripPlan, discharge: Document, **changes: str) -> dict[str, str]:
    data = {
        "discharge_summary": str(discharge.pk),
        "no_implants": "on",
        "more_signs": "fever",
        "clinic_name": "Clinic X",
        "clinic_person": "Dr Demir",
        "clinic_phone": "+902120000000",
        "coordinator_name": "Cora",
        "coordinator_email": "coordinator@test.example",
        "procedures-0-kind": "vertebroplasty",
        "procedures-0-done_on": str(TODAY - timedelta(days=20)),
        "procedures-0-detail": "L2",
        "medicines-0-name": "Paracetamol",
        "medicines-0-amount": "1",
        "medicines-0-unit": "g",
        "medicines-0-how_often": "as_needed",
    }
    for prefix in ("procedures", "radiotherapy", "implants", "medicines"):
        data[f"{prefix}-TOTAL_FORMS"] = "3"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return {**data, **changes}


def test_the_coordinator_saves_the_handover_from_the_page(
    plan: TripPlan, discharge: Document, coordinator: Any
) -> None:
    client = signed_in(coordinator)
    url = reverse("trip_handover", args=[plan.case.reference])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(plan, discharge))
    assert response.status_code == 302
    summary = HandoverSummary.from_stored(Handover.objects.get().summary)
    assert summary.procedures == (
        Procedure(kind="vertebroplasty", done_on=TODAY - timedelta(days=20), detail="L2"),
    )
    assert summary.medicines[0].name == "Paracetamol"
    assert summary.no_implants
    page = client.get(url).content.decode()
    assert "Paracetamol" in page
    assert "Send to the doctor at home" in page


def test_a_refused_form_keeps_what_was_typed_and_says_why(
    plan: TripPlan, discharge: Document, coordinator: Any
) -> None:
    client = signed_in(coordinator)
    url = reverse("trip_handover", args=[plan.case.reference])
    response = client.post(url, form_data(plan, discharge, no_implants="", clinic_person=""))
    assert response.status_code == 422
    page = response.content.decode()
    assert "List the implants left in the patient, or tick that there are none." in page
    assert "Give the clinic and the person there to call." in page
    assert "Paracetamol" in page
    assert not Handover.objects.exists()


def test_another_cases_document_cannot_be_chosen_on_the_page(
    plan: TripPlan, discharge: Document, other_case: Case, coordinator: Any
) -> None:
    foreign = document_of(other_case)
    response = signed_in(coordinator).post(
        reverse("trip_handover", args=[plan.case.reference]),
        form_data(plan, discharge, discharge_summary=str(foreign.pk)),
    )
    assert response.status_code == 422
    assert not Handover.objects.exists()


def test_the_page_sends_and_records_the_return(
    saved: Handover, plan: TripPlan, coordinator: Any
) -> None:
    client = signed_in(coordinator)
    trip = last_trip(plan)
    returned = reverse("trip_returned", args=[trip.pk])
    response = client.post(returned, {"returned_on": str(trip.home)}, follow=True)
    assert "only with the handover sent" in response.content.decode()
    client.post(reverse("trip_handover_send", args=[plan.case.reference]))
    assert Handover.objects.get().sent_at is not None
    client.post(returned, {"returned_on": str(trip.home)})
    trip.refresh_from_db()
    assert trip.status == Trip.Status.RETURNED
    assert CheckIn.objects.filter(case=plan.case).count() == 4


def test_the_patient_reads_the_handover_in_russian(sent: Handover, plan: TripPlan) -> None:
    template = Template("{% load handover %}{% trips_handover_card case %}")
    with translation.override("ru"):
        card = template.render(Context({"case": plan.case}))
    assert "Ваша выписка домой" in card
    assert "Dr Ivanova" in card
    assert "Держите рану сухой две недели." in card
    assert "Новая слабость в ногах или руках" in card
    assert (
        reverse("records_document", args=[plan.case.reference, sent.discharge_summary_id]) in card
    )


def test_before_sending_the_patient_is_told_what_will_come(plan: TripPlan) -> None:
    card = Template("{% load handover %}{% trips_handover_card case %}").render(
        Context({"case": plan.case})
    )
    assert "will be sent to your doctor at home" in card
    assert "Dexamethasone" not in card
