"""The patient's check-in through its emailed link: a short form, refused with clear reasons and
nothing stored when an answer is missing or wrong; warning signs of cord compression show the
emergency advice at once and put the case first in the coordinators' queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from oncoroute.cases.models import Case
from oncoroute.cases.selectors import QueueFilters, case_queue
from oncoroute.cases.vocabulary import Urgency
from oncoroute.followup.models import CheckIn
from oncoroute.followup.tasks import check_in_warning_notify
from tests.factories import submitted_case

from .conftest import CALM

pytestmark = pytest.mark.django_db

EMERGENCY_HEADING = "Please seek emergency medical care today, where you are now"


def _path(token: str) -> str:
    return reverse("followup_check_in", args=[token])


def _stored(check_in: CheckIn) -> CheckIn:
    return CheckIn.objects.get(pk=check_in.pk)


def test_the_form_asks_the_questions_with_labelled_choices(token: str) -> None:
    page = Client().get(_path(token))
    assert page.status_code == 200
    text = page.content.decode()
    for phrase in (
        "Who is answering?",
        "Pain now, from 0 (no pain) to 10",
        "Walks with a stick, crutches or a walker",
        "new weakness or numbness in the legs or arms",
        "change in bladder or bowel control",
        "Other new symptoms",
        "The disease is stable",
        "The patient has died",
        "2 weeks",
    ):
        assert phrase in text, phrase
    assert page["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"respondent": ""}, "respondent", "Please say who is answering."),
        ({"respondent": "doctor"}, "respondent", "Select a valid choice"),
        ({"respondent": "relative"}, "vital_status", "Please tell us how the patient is."),
        ({"pain": ""}, "pain", "Please choose the pain now, from 0 to 10."),
        ({"pain": "11"}, "pain", "The pain is a whole number from 0 to 10."),
        ({"pain": "-1"}, "pain", "The pain is a whole number from 0 to 10."),
        ({"pain": "3.5"}, "pain", "The pain is a whole number from 0 to 10."),
        ({"walking": ""}, "walking", "Please choose how the patient walks now."),
        ({"new_weakness": ""}, "new_weakness", "yes or no about new weakness"),
        ({"bladder_bowel": "maybe"}, "bladder_bowel", "Select a valid choice"),
        ({"response": ""}, "response", "Please choose what the doctor said"),
        ({"other_symptoms": "x" * 2001}, "other_symptoms", "at most 2000 characters"),
    ],
)
def test_bad_input_is_refused_with_its_reason_and_nothing_is_stored(
    token: str, first_check_in: CheckIn, change: dict[str, str], field: str, reason: str
) -> None:
    response = Client().post(_path(token), {**CALM, **change})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert reason in " ".join(errors[field])
    assert escape(reason) in response.content.decode()
    stored = _stored(first_check_in)
    assert stored.answered_at is None and stored.answers == {} and stored.warning_at is None


def test_a_calm_answer_is_stored_sealed_and_thanked_for(
    token: str, first_check_in: CheckIn, home_case: Case
) -> None:
    client = Client()
    response = client.post(_path(token), CALM)
    assert response.status_code == 302 and response["Location"] == _path(token)
    page = client.get(_path(token))
    assert "Thank you — your answers have reached us" in page.content.decode()
    assert EMERGENCY_HEADING not in page.content.decode()
    stored = _stored(first_check_in)
    assert stored.respondent == "patient" and stored.warning_at is None
    assert stored.answers["pain"] == 3 and stored.answers["walking"] == "aid"
    raw = CheckIn.objects.filter(pk=stored.pk).values_list("answers", flat=True).get()
    assert raw.startswith("v1:") and "aid" not in raw
    assert Case.objects.get(pk=home_case.pk).urgency == Urgency.ROUTINE


def test_answering_twice_stores_the_first_answer_only(token: str, first_check_in: CheckIn) -> None:
    client = Client()
    client.post(_path(token), CALM)
    again = client.post(_path(token), {**CALM, "pain": "9", "new_weakness": "yes"})
    assert again.status_code == 302
    stored = _stored(first_check_in)
    assert stored.answers["pain"] == 3 and stored.warning_at is None


def test_leg_weakness_shows_the_emergency_advice_and_puts_the_case_first_in_the_queue(
    token: str, first_check_in: CheckIn, home_case: Case, coordinator: Any
) -> None:
    # Two cases that came in before this one and wait longer: one urgent, one routine.
    submitted_case(email="waiting@example.com", symptoms=["nocturnal_pain"])
    submitted_case(email="routine@example.com")
    queue = case_queue(user=coordinator, filters=QueueFilters())
    assert list(queue).index(home_case) > 0  # not first before the answer

    client = Client()
    answer = {**CALM, "new_weakness": "yes", "other_symptoms": "legs feel heavy on stairs"}
    response = client.post(_path(token), answer, follow=True)
    text = response.content.decode()
    assert EMERGENCY_HEADING in text
    assert "Go to your nearest emergency department or call your local emergency number" in text
    assert text.index(EMERGENCY_HEADING) < text.index("Thank you — your answers have reached us")

    stored = _stored(first_check_in)
    assert stored.warning_at == stored.answered_at
    case = Case.objects.get(pk=home_case.pk)
    assert case.urgency == Urgency.EMERGENCY and case.queue_rank == 0
    queue = list(case_queue(user=coordinator, filters=QueueFilters()))
    assert queue[0] == case
    staff = Client()
    staff.force_login(coordinator)
    page = staff.get(reverse("coordinator_queue")).content.decode()
    references = [c.reference for c in queue]
    assert page.index(str(references[0])) < page.index(str(references[1]))
    assert "cord-compression warning signs" in str(case.events.filter(kind="note").last().data)


def test_a_bladder_change_alone_is_a_warning_sign(token: str, first_check_in: CheckIn) -> None:
    response = Client().post(_path(token), {**CALM, "bladder_bowel": "yes"}, follow=True)
    assert EMERGENCY_HEADING in response.content.decode()
    assert _stored(first_check_in).warning_at is not None


def test_the_coordinator_is_told_at_once_without_the_answers(
    token: str, first_check_in: CheckIn, home_case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(_path(token), {**CALM, "new_weakness": "yes", "other_symptoms": "numb feet"})
    mail.outbox.clear()
    assert check_in_warning_notify.call(check_in_id=first_check_in.pk) == 1
    (email,) = mail.outbox
    assert home_case.reference in email.subject and "URGENT" in email.subject
    assert reverse("followup_case", args=[home_case.reference]) in email.body
    for secret in ("numb feet", "weakness", "bladder", "Pain", home_case.full_name):
        assert secret not in email.body + email.subject


def test_a_relative_telling_us_of_a_death_needs_no_more_answers_and_stops_the_check_ins(
    token: str, first_check_in: CheckIn, home_case: Case
) -> None:
    client = Client()
    response = client.post(
        _path(token), {"respondent": "relative", "vital_status": "died"}, follow=True
    )
    assert "We are very sorry for your loss" in response.content.decode()
    stored = _stored(first_check_in)
    assert stored.respondent == "relative" and stored.answers["vital_status"] == "died"
    later = CheckIn.objects.filter(case=home_case).exclude(pk=stored.pk)
    assert later.count() == 3 and all(row.cancelled_at for row in later)


def test_a_relative_answering_for_a_living_patient_answers_everything(
    token: str, first_check_in: CheckIn
) -> None:
    relative = {**CALM, "respondent": "relative", "vital_status": "alive", "pain": ""}
    assert Client().post(_path(token), relative).status_code == 422
    relative["pain"] = "6"
    assert Client().post(_path(token), relative).status_code == 302
    assert _stored(first_check_in).answers["pain"] == 6


def test_the_form_and_its_pages_are_in_russian(token: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    page = client.get(_path(token)).content.decode()
    assert "Как вы себя чувствуете после возвращения домой?" in page
    assert "через 2 недели после возвращения домой" in page
    refused = client.post(_path(token), {**CALM, "pain": ""}).content.decode()
    assert "Пожалуйста, оцените боль сейчас — от 0 до 10." in refused
    done = client.post(_path(token), {**CALM, "new_weakness": "yes"}, follow=True)
    text = done.content.decode()
    assert "Пожалуйста, сегодня же обратитесь за неотложной медицинской помощью" in text
    assert "Спасибо — ваши ответы получены" in text
