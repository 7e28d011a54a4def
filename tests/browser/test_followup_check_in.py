"""A Russian-speaking patient answers a follow-up check-in from the emailed link on a phone
(390 px), without signing in: the form refuses a blank answer with its reasons, then an answer
with new leg weakness shows the emergency advice at once and puts the case first in the queue.
Screenshots: test-artifacts/screenshots/ru-followup-*."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from oncoroute.cases.models import Case
from oncoroute.cases.vocabulary import Urgency
from oncoroute.followup.models import CheckIn
from tests.browser.conftest import check_russian_page
from tests.factories import submitted_case
from tests.followup.conftest import back_home, issue

pytestmark = pytest.mark.django_db(transaction=True)

ENGLISH_CHROME = (
    "How are you since the return home?",
    "Who is answering?",
    "Pain now",
    "Walking now",
    "Since the return home",
    "Send my answers",
    "Please seek emergency medical care",
    "Thank you",
)


def test_a_patient_answers_a_check_in_in_russian_on_a_phone(
    live_server: Any, phone_page: Page, coordinator: Any
) -> None:
    case = submitted_case(language="ru", country="RU", email="semya@example.com")
    back_home(case, coordinator)
    first = CheckIn.objects.filter(case=case).order_by("due_on").first()
    assert first is not None
    token = issue(first)

    page = phone_page
    page.goto(f"{live_server.url}/f/{token}/")
    page.get_by_role("button", name="Русский").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Как вы себя чувствуете после возвращения домой?"
    )
    expect(page.locator(".lead")).to_contain_text("через 2 недели после возвращения домой")
    check_russian_page(page, "ru-followup-01-form-phone", ENGLISH_CHROME)

    page.get_by_role("button", name="Отправить ответы").click()
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.locator(".errorlist").first).to_contain_text("Пожалуйста, укажите, кто отвечает.")
    assert CheckIn.objects.get(pk=first.pk).answered_at is None
    check_russian_page(page, "ru-followup-02-refused-phone", ENGLISH_CHROME)

    def group(name: str) -> Any:
        return page.get_by_role("group", name=re.compile(name))

    group("Кто отвечает").get_by_label("Я пациент").check()
    group("Боль сейчас").get_by_label("4", exact=True).check()
    group("Ходьба сейчас").get_by_label("Ходит с тростью").check()
    group("новая слабость").get_by_label("Да", exact=True).check()
    group("мочеиспускание").get_by_label("Нет", exact=True).check()
    page.get_by_label("Другие новые симптомы").fill("Ноги стали ватными на лестнице")
    group("результате лечения").get_by_label("Болезнь без изменений").check()
    page.get_by_role("button", name="Отправить ответы").click()

    advice = page.get_by_role("alert")
    expect(advice).to_contain_text("Пожалуйста, сегодня же обратитесь за неотложной медицинской")
    expect(page.get_by_role("heading", level=1)).to_have_text("Спасибо — ваши ответы получены")
    advice_box = advice.bounding_box()
    heading_box = page.get_by_role("heading", level=1).bounding_box()
    assert advice_box and heading_box and advice_box["y"] < heading_box["y"]  # the advice first
    check_russian_page(page, "ru-followup-03-emergency-phone", ENGLISH_CHROME)

    stored = Case.objects.get(pk=case.pk)
    assert stored.urgency == Urgency.EMERGENCY and stored.queue_rank == 0
    assert CheckIn.objects.get(pk=first.pk).warning_at is not None
