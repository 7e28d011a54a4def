"""A Russian-speaking family reads two clinics' answers side by side and accepts one, on a
desktop and on a phone; the other clinic's referral is withdrawn and the case moves to trip
planning. Screenshots: test-artifacts/screenshots/ru-answers-*."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from oncoroute.accounts.services import email_verify
from oncoroute.cases.models import Case, Consent, Message
from oncoroute.cases.services import message_send
from oncoroute.cases.sharing import consent_give
from oncoroute.cases.workflow import CaseState
from oncoroute.clinics.demo import clinics_demo_load
from oncoroute.clinics.models import Clinic
from oncoroute.referrals.answers import AnswerIn
from oncoroute.referrals.home_doctor import home_doctor_waived
from oncoroute.referrals.models import Referral
from oncoroute.referrals.services import answer_release, answer_submit, referral_send
from oncoroute.referrals.workflow import ReferralStatus
from tests.browser.conftest import check_russian_page, sign_in
from tests.factories import submitted_case
from tests.referrals.conftest import answer

pytestmark = pytest.mark.django_db(transaction=True)

ENGLISH_CHROME = (
    "Compare the clinics' answers",
    "How long you would be away",
    "Total price",
    "Accept this plan",
    "Ask a question",
    "What the clinic proposes",
)


def answered_by(case: Case, patient: Any, coordinator: Any, slug: str, **quote: Any) -> Referral:
    """The clinic had the family's consent, got the case, answered, and the answer was
    released."""
    clinic = Clinic.objects.get(slug=slug)
    with translation.override("ru"):
        consent_give(
            case=case, actor=patient, purpose=Consent.Purpose.CLINIC_SHARING, clinic=clinic
        )
    referral = referral_send(
        case=case,
        clinic=clinic,
        actor=coordinator,
        question="Is SBRT suitable, or surgery first?",
        deadline=timezone.now() + timedelta(days=7),
    )
    submitted = answer_submit(referral=referral, author=None, answer=AnswerIn(**answer(**quote)))
    answer_release(opinion=submitted.opinion, actor=coordinator)
    return referral


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_family_compares_two_answers_and_accepts_one_in_russian(
    live_server: Any, request: pytest.FixtureRequest, device: str, coordinator: Any, password: str
) -> None:
    clinics_demo_load()
    case = submitted_case(
        language="ru", country="RU", primary_cancer="breast", email=f"family-{device}@example.com"
    )
    patient = case.patient
    patient.set_password(password)
    patient.save()
    email_verify(user=patient)
    teknon = answered_by(case, patient, coordinator, "teknon-barcelona")
    american = answered_by(
        case, patient, coordinator, "american-hospital-istanbul", currency="USD",
        contingency="0", included="SBRT planning and five fractions; two nights in hospital.",
        excluded="Flights, hotel, interpreter, surgery.",
    )  # fmt: skip
    Case.objects.filter(pk=case.pk).update(state=CaseState.AWAITING_DECISION)
    home_doctor_waived(case=case, actor=patient)  # the family arranges the follow-up at home

    page: Page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    sign_in(page, live_server.url, patient, password)
    page.get_by_role("button", name="Русский").click()
    page.goto(f"{live_server.url}/my/cases/{case.reference}/")
    page.get_by_role("link", name="Сравнить ответы и принять решение").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Сравните ответы клиник")
    columns = page.get_by_test_id("answer")
    expect(columns).to_have_count(2)
    expect(columns.locator("h2")).to_have_text(["American Hospital", "Centro Médico Teknon"])
    expect(page.get_by_test_id("converted-total").first).to_contain_text("RUB")
    expect(page.get_by_test_id("days-away").first).to_contain_text(re.compile(r"около \d+ ноч"))
    if device == "desktop":  # side by side: the two columns share a row
        boxes = [columns.nth(i).bounding_box() for i in range(2)]
        assert boxes[0] and boxes[1] and boxes[0]["y"] == boxes[1]["y"]
    check_russian_page(page, f"ru-answers-01-compare-{device}", ENGLISH_CHROME)

    ask_and_read_the_reply(page, case, coordinator, device)
    page.get_by_role("link", name="Сравнить ответы и принять решение").click()
    columns = page.get_by_test_id("answer")
    column = columns.filter(has_text="Centro Médico Teknon")
    column.get_by_role("button", name="Принять этот план").click()  # without the tick
    expect(page.get_by_role("heading", level=1)).to_have_text("Сравните ответы клиник")
    assert case.referrals.get(pk=teknon.pk).status == ReferralStatus.ANSWERED
    column.get_by_role("checkbox", name=re.compile("Я принимаю план клиники")).check()
    column.get_by_role("button", name="Принять этот план").click()
    page.wait_for_url(f"{live_server.url}/my/cases/{case.reference}/")
    expect(page.get_by_role("status")).to_contain_text("Вы приняли план клиники Centro Médico")
    expect(page.get_by_test_id("status")).to_contain_text("планируем вашу поездку")
    check_russian_page(page, f"ru-answers-03-accepted-{device}", ENGLISH_CHROME)

    assert Case.objects.get(pk=case.pk).state == CaseState.PLANNING_TRIP
    assert case.referrals.get(pk=american.pk).status == ReferralStatus.WITHDRAWN
    consent = case.consents.get(purpose=Consent.Purpose.IDENTITY_SHARING)
    assert consent.clinic_id == teknon.clinic_id and consent.language == "ru"

    page.goto(f"{live_server.url}/my/cases/{case.reference}/answers/")
    expect(page.locator(".alert.ok").first).to_contain_text("Вы приняли план клиники")
    check_russian_page(page, f"ru-answers-04-after-{device}", ENGLISH_CHROME)


def ask_and_read_the_reply(page: Page, case: Case, coordinator: Any, device: str) -> None:
    """A question about one answer, quoting it, goes to the thread; the coordinator's reply is
    on the family's page, marked new."""
    column = page.get_by_test_id("answer").filter(has_text="American Hospital")
    column.get_by_text("Задать вопрос об этом ответе").click()
    question = column.get_by_role("textbox", name="Ваш вопрос координатору")
    expect(question).to_have_value(re.compile("Об ответе клиники American Hospital"))
    question.fill(question.input_value() + " Можно ли лететь домой через неделю?")
    column.get_by_role("button", name="Отправить вопрос").click()
    page.wait_for_url(re.compile(rf"/my/cases/{case.reference}/"))
    thread = page.get_by_test_id("thread")
    expect(thread).to_contain_text("Можно ли лететь домой через неделю?")
    sent = case.messages.get()
    assert sent.side == Message.Side.PATIENT and "American Hospital" in sent.body

    message_send(
        case=case, author=coordinator, side=Message.Side.COORDINATOR,
        body="Да: после стереотаксической радиохирургии можно лететь на следующий день.",
    )  # fmt: skip
    page.reload()  # the coordinator wrote meanwhile
    reply = thread.locator(".message.coordinator")
    expect(reply).to_contain_text("можно лететь на следующий день")
    expect(reply.locator(".badge")).to_have_text("новое")
    check_russian_page(page, f"ru-answers-02-reply-{device}", ENGLISH_CHROME)
