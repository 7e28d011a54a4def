"""The Russian request path in a real browser, on a desktop and on a phone: the switcher, the
form, the confirmation and the patient's own page. Screenshots: test-artifacts/screenshots/ru-*."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from oncoroute.accounts.services import email_verify
from oncoroute.cases.models import Case
from oncoroute.clinics.demo import clinics_demo_load
from oncoroute.clinics.models import Clinic
from tests.browser.conftest import CYRILLIC, assert_no_sideways_scroll, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# Sentences of the English pages that must not show through on the Russian ones.
ENGLISH = re.compile(
    r"\b(the|and|your|request|please|what|where|with|case|sign|required)\b", re.IGNORECASE
)


def check_russian(page: Page, name: str) -> None:
    """Cyrillic on the page, no English sentence left, nothing wider than the window."""
    text = page.locator("body").inner_text()
    assert CYRILLIC.search(text), f"{name}: no Cyrillic text"
    leftovers = [
        line for line in text.splitlines() if ENGLISH.search(line) and not CYRILLIC.search(line)
    ]
    assert not leftovers, f"{name}: English left on the Russian page: {leftovers}"
    assert_no_sideways_scroll(page, name)
    screenshot(page, name)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_family_sends_a_request_and_follows_it_in_russian(
    live_server: Any, request: pytest.FixtureRequest, device: str, password: str
) -> None:
    page: Page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    page.goto(live_server.url)
    page.get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", name="Оставьте заявку")).to_be_visible()
    check_russian(page, f"ru-01-landing-{device}")

    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.get_by_role("alert").first).to_contain_text("проверьте отмеченные ниже поля")
    expect(page.locator("#id_full_name_error")).to_contain_text("Обязательное поле")
    check_russian(page, f"ru-02-errors-{device}")

    page.get_by_label("Имя и фамилия").fill("Ольга Смирнова")
    page.get_by_label("Электронная почта").fill(f"olga-{device}@example.com")
    page.get_by_label("Родственник или друг пациента").check()
    page.get_by_label("Как зовут пациента").fill("Анна Смирнова")
    page.get_by_label("Возраст пациента").fill("71")
    page.get_by_label("Пол пациента").select_option("F")
    page.get_by_label("Страна, где живёт пациент").select_option("RU")
    expect(page.get_by_label("На каком языке нам писать")).to_have_value("ru")
    page.get_by_label("Где возникла опухоль (первичный рак)?").select_option("breast")
    page.get_by_label("Верхняя и средняя часть спины (грудной отдел)").check()
    page.get_by_label("Боль в спине, из-за которой вы просыпаетесь ночью").check()
    page.get_by_label("Онлайн-консультация с зарубежным специалистом").check()
    page.get_by_label(re.compile("Я даю согласие")).check()
    page.get_by_role("button", name="Отправить заявку").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Спасибо — мы получили вашу заявку")
    expect(page.get_by_role("note")).to_contain_text("в течение 24 часов покажитесь врачу")
    reference = page.get_by_test_id("reference").inner_text()
    check_russian(page, f"ru-03-confirmation-{device}")

    case = Case.objects.get(reference=reference)
    assert case.language == "ru"
    assert case.consents.get().language == "ru"
    patient = case.patient
    patient.set_password(password)
    patient.save()
    email_verify(user=patient)

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Войти")
    check_russian(page, f"ru-04-sign-in-{device}")
    page.locator("input[name=login]").fill(patient.email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ваша заявка {reference}")
    expect(page.get_by_test_id("status")).to_have_text(
        "Мы получили вашу заявку. Координатор скоро вам ответит."
    )
    expect(page.get_by_text("Заявка получена")).to_be_visible()  # the timeline
    expect(page.get_by_text("Исследований пока нет.")).to_be_visible()  # the records card
    check_russian(page, f"ru-05-patient-case-{device}")


def test_the_clinic_directory_and_a_clinic_fit_a_phone_in_russian(
    live_server: Any, phone_page: Page
) -> None:
    """The directory's own words are Russian; services and clinics' texts are their data."""
    clinics_demo_load()
    page = phone_page
    page.goto(f"{live_server.url}/clinics/")
    page.get_by_role("button", name="Русский").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Каталог клиник")
    slug = Clinic.objects.order_by("name").values_list("slug", flat=True)[0]
    for name, path in (("directory", "/clinics/"), ("clinic", f"/clinics/{slug}/")):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        assert_no_sideways_scroll(page, name)
        screenshot(page, f"ru-06-{name}-phone")
    expect(page.get_by_role("heading", name="Услуги и цены")).to_be_visible()
