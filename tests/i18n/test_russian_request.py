"""A request sent in Russian, end to end: the switcher, the form, its errors, the confirmation,
the consent as shown, and every email to the sender in the language the request asked for."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from oncoroute.cases.models import Case, Consent
from oncoroute.cases.tasks import case_emergency_advice_send, case_request_emails_send
from oncoroute.cases.vocabulary import CONSENT_TEXT_VERSION, CONSENT_TEXTS
from tests.factories import submitted_case

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "submission_token": str(uuid.uuid4()),
        "full_name": "Ольга Смирнова",
        "email": "olga@example.com",
        "phone": "+7 912 345 67 89",
        "country": "RU",
        "language": "ru",
        "writer_role": "relative",
        "patient_name": "Анна Смирнова",
        "patient_age": "71",
        "patient_sex": "F",
        "primary_cancer": "breast",
        "spine_regions": ["thoracic"],
        "wants": ["online_consultation"],
        "consent": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def russian(client: Client) -> Client:
    """A browser that chose Russian with the switcher of the page."""
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "ru"
    return client


def test_the_request_page_in_russian(russian: Client) -> None:
    page = russian.get("/").content.decode()
    assert '<html lang="ru">' in page
    assert "Оставьте заявку" in page
    assert "Новая слабость в ногах или руках" in page  # the warning signs
    assert "Я даю согласие на то, чтобы oncoroute обрабатывал" in page  # the consent
    assert '<option value="ru" selected>' in page  # we write in Russian unless told otherwise
    assert "Русский" in page and "English" in page  # the switcher


def test_the_default_stays_english(client: Client) -> None:
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Leave your request" in page
    assert '<option value="en" selected>' in page


def test_errors_are_in_russian(russian: Client) -> None:
    response = russian.post("/", form_data(email="", phone="", spine_regions=[], consent=""))
    page = response.content.decode()
    assert response.status_code == 422
    assert "Пожалуйста, проверьте отмеченные ниже поля." in page
    assert "Пожалуйста, укажите адрес электронной почты или номер телефона." in page
    assert "Обязательное поле." in page  # Django's own message, in Django's own Russian
    assert Case.objects.count() == 0


def test_a_russian_request_is_confirmed_in_russian_and_keeps_the_consent_shown(
    russian: Client,
) -> None:
    response = russian.post("/", form_data(warning_signs=["limb_weakness"]), follow=True)
    page = response.content.decode()
    case = Case.objects.get()
    assert "Спасибо — мы получили вашу заявку" in page
    assert case.reference in page
    # Emergency advice first, in Russian.
    assert page.index("сегодня же обратитесь за неотложной") < page.index("Спасибо")
    consent = case.consents.get(purpose=Consent.Purpose.HEALTH_DATA)
    assert consent.language == "ru"
    assert consent.text_version == CONSENT_TEXT_VERSION
    assert consent.text_sha256 == hashlib.sha256(CONSENT_TEXTS["ru"].encode()).hexdigest()


def test_the_consent_records_the_text_shown_not_the_contact_language(client: Client) -> None:
    client.post("/", form_data(language="ru"))  # an English page, Russian letters
    consent = Case.objects.get().consents.get()
    assert consent.language == "en"
    assert consent.text_sha256 == hashlib.sha256(CONSENT_TEXTS["en"].encode()).hexdigest()


def test_the_acknowledgement_is_in_the_language_of_the_request() -> None:
    case = submitted_case(email="olga@example.com", language="ru", symptoms=["limb_weakness"])
    case_request_emails_send.call(case_id=case.pk)
    to_coordinators, acknowledgement = mail.outbox
    assert to_coordinators.subject.startswith("URGENT New request")  # staff read English
    assert acknowledgement.subject == (
        f"Пожалуйста, обратитесь за неотложной помощью сегодня — ваша заявка {case.reference}"
    )
    body = acknowledgement.body
    assert body.startswith("ВАЖНО — ПРОЧИТАЙТЕ ЭТО В ПЕРВУЮ ОЧЕРЕДЬ")
    assert f"Спасибо за вашу заявку. Её номер — {case.reference}." in body
    assert "ответит вам в течение 24 часов" in body
    assert "/accounts/set-password/" in body


def test_the_emergency_advice_is_in_the_language_of_the_request() -> None:
    case = submitted_case(email="olga@example.com", language="ru")
    case_emergency_advice_send.call(case_id=case.pk)
    (advice,) = mail.outbox
    assert advice.subject.startswith("Пожалуйста, обратитесь за неотложной помощью сегодня")
    assert "МРТ всего позвоночника" in advice.body


def test_a_language_without_pages_gets_english_emails() -> None:
    case = submitted_case(email="ayse@example.com", language="tr")
    case_request_emails_send.call(case_id=case.pk)
    assert mail.outbox[1].subject == f"Your request {case.reference}"
    assert "Thank you for your request." in mail.outbox[1].body
