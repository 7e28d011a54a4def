"""Telling the family: every change they should know about is queued, and a case's changes go
out as one email once it has been quiet for a minute, in the case's language, never with health
data; the patient's page names their coordinator and shows times in their own zone."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oncoroute.cases.models import Case, PatientNotice
from oncoroute.cases.services import (
    TimeZoneRefused,
    case_assign,
    case_time_zone_set,
    case_transition,
    message_send,
)
from oncoroute.cases.tasks import patient_notices_send
from oncoroute.cases.timezones import country_zones, zone_of
from tests.factories import confirmed_case

pytestmark = pytest.mark.django_db

SECRET = "Leg weakness since Tuesday"


def quiet(case: Case, seconds: int = 61) -> None:
    """As if the case's pending notices were written ``seconds`` ago."""
    case.notices.filter(sent_at__isnull=True).update(
        created_at=timezone.now() - timedelta(seconds=seconds)
    )


def notify(capture: Any) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("notify", stdout=out)
    return out.getvalue()


def to_patient(case: Case) -> list[Any]:
    return [email for email in mail.outbox if email.to == [case.email]]


@pytest.fixture
def russian_case(patient: Any) -> Case:
    return confirmed_case(patient, language="ru", country="TR", address="r1")


def test_five_changes_in_a_minute_make_one_email(
    russian_case: Case, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case=russian_case, actor=coordinator, to="in_review")
        message_send(case=russian_case, author=coordinator, side="coordinator", body=SECRET)
        message_send(case=russian_case, author=coordinator, side="coordinator", body="Second")
        message_send(case=russian_case, author=coordinator, side="coordinator", body="Third")
        message_send(case=russian_case, author=coordinator, side="coordinator", body="Fourth")
    assert russian_case.notices.filter(sent_at__isnull=True).count() == 5
    mail.outbox.clear()

    assert "Sent 0 email(s)" in notify(django_capture_on_commit_callbacks)  # not quiet yet
    assert to_patient(russian_case) == []

    quiet(russian_case)
    assert "Sent 1 email(s)" in notify(django_capture_on_commit_callbacks)
    assert "Sent 0 email(s)" in notify(django_capture_on_commit_callbacks)  # never twice
    (email,) = to_patient(russian_case)
    assert russian_case.reference in email.subject
    assert "Новости по вашему делу" in email.subject
    assert "Изменился статус вашего дела." in email.body
    assert "Вам пришло сообщение от координатора." in email.body
    assert email.body.count("Вам пришло сообщение от координатора.") == 1
    assert f"/my/cases/{russian_case.reference}/" in email.body
    for health in (SECRET, "Second", "In review", "На рассмотрении", russian_case.full_name):
        assert health not in email.subject + email.body
    assert not russian_case.notices.filter(sent_at__isnull=True).exists()


def test_a_change_during_the_quiet_minute_waits_for_the_next(
    patient_case: Case, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case=patient_case, actor=coordinator, to="in_review")
    quiet(patient_case, seconds=50)
    with django_capture_on_commit_callbacks(execute=True):
        message_send(case=patient_case, author=coordinator, side="coordinator", body="Hello")
    mail.outbox.clear()
    assert patient_notices_send.call(case_id=patient_case.pk) == 0
    quiet(patient_case)
    assert patient_notices_send.call(case_id=patient_case.pk) == 1
    assert patient_notices_send.call(case_id=patient_case.pk) == 0
    (email,) = to_patient(patient_case)
    assert "The status of your case has changed." in email.body
    assert "Your coordinator has written to you." in email.body


def test_changes_that_keep_coming_go_out_after_the_longest_wait(
    patient_case: Case, coordinator: Any, settings: Any
) -> None:
    PatientNotice.objects.create(
        case=patient_case,
        kind=PatientNotice.Kind.STATE,
        created_at=timezone.now() - timedelta(seconds=settings.PATIENT_NOTICE_MAX_WAIT_SECONDS),
    )
    PatientNotice.objects.create(case=patient_case, kind=PatientNotice.Kind.MESSAGE)
    mail.outbox.clear()
    assert patient_notices_send.call(case_id=patient_case.pk) == 1


def test_a_patients_own_message_is_not_news_to_them(
    patient: Any, patient_case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message_send(case=patient_case, author=patient, side="patient", body="A question")
    assert not patient_case.notices.exists()


def test_the_task_is_deferred_by_the_quiet_minute(
    patient_case: Case, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case=patient_case, actor=coordinator, to="in_review")
    queued = DBTaskResult.objects.get(task_path__endswith="patient_notices_send")
    assert queued.run_after is not None
    assert queued.run_after >= timezone.now() + timedelta(seconds=55)


def test_the_page_names_the_coordinator_and_how_to_reach_them(
    client: Client, patient: Any, patient_case: Case, coordinator: Any, password: str
) -> None:
    client.login(username=patient.username, password=password)
    url = reverse("patient_case", args=[patient_case.reference])
    assert "A coordinator will be assigned" in client.get(url).content.decode()
    case_assign(case=patient_case, actor=coordinator, assignee=coordinator)
    page = client.get(url).content.decode()
    assert f"{coordinator.display_name} looks after your case." in page
    assert 'href="#messages"' in page


def test_the_timeline_is_shown_in_the_single_zone_of_the_country(
    client: Client, patient: Any, password: str
) -> None:
    case = confirmed_case(patient, country="TR", address="t1")
    noon = timezone.now().replace(year=2026, month=1, day=15, hour=9, minute=0)
    case.events.update(created_at=noon)
    client.login(username=patient.username, password=password)
    page = client.get(reverse("patient_case", args=[case.reference])).content.decode()
    assert "15 Jan 2026, 12:00 Istanbul (UTC+03:00)" in page
    assert "Your country has several time zones" not in page


def test_a_country_with_several_zones_asks_which(
    client: Client, patient: Any, password: str
) -> None:
    case = confirmed_case(patient, country="RU", address="t2")
    case.events.update(
        created_at=timezone.now().replace(year=2026, month=1, day=15, hour=9, minute=0)
    )
    client.login(username=patient.username, password=password)
    url = reverse("patient_case", args=[case.reference])
    page = client.get(url).content.decode()
    assert "Your country has several time zones" in page
    assert "Yekaterinburg (UTC+05:00)" in page  # one of the choices
    # No zone chosen yet: the capital's, said so, and offered as the answer.
    assert "15 Jan 2026, 12:00 Moscow (UTC+03:00)" in page
    assert '<option value="Europe/Moscow" selected>' in page

    response = client.post(
        reverse("patient_case_time_zone", args=[case.reference]),
        {"time_zone": "Asia/Yekaterinburg"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.time_zone == "Asia/Yekaterinburg"
    page = client.get(url).content.decode()
    assert "15 Jan 2026, 14:00 Yekaterinburg (UTC+05:00)" in page
    assert "Your country has several time zones" not in page


def test_a_zone_of_another_country_is_refused(patient_case: Case, patient: Any) -> None:
    Case.objects.filter(pk=patient_case.pk).update(country="RU")
    patient_case.refresh_from_db()
    with pytest.raises(TimeZoneRefused):
        case_time_zone_set(case=patient_case, actor=patient, zone="Europe/Berlin")
    patient_case.refresh_from_db()
    assert patient_case.time_zone == ""


def test_zones_come_from_the_iana_table() -> None:
    assert country_zones("TR") == ("Europe/Istanbul",)
    assert "Europe/Moscow" in country_zones("RU") and len(country_zones("RU")) > 5
    assert zone_of(country="RU", chosen="") is None
    assert zone_of(country="RU", chosen="Europe/Berlin") is None
    assert zone_of(country="GB", chosen="") == "Europe/London"
