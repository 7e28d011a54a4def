"""A Russian-speaking family chooses which shortlisted clinics may see the case, on a desktop
and on a phone, and reads the answer a coordinator released. Screenshots:
test-artifacts/screenshots/ru-clinics-*."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from oncoroute.accounts.roles import Role
from oncoroute.accounts.services import email_verify
from oncoroute.cases.models import Consent
from oncoroute.cases.sharing import consent_give
from oncoroute.clinics.demo import clinics_demo_load
from oncoroute.clinics.models import Clinic
from oncoroute.clinics.services import shortlist_save
from oncoroute.referrals.answers import AnswerIn
from oncoroute.referrals.services import answer_release, answer_submit, referral_send
from tests.browser.conftest import check_russian_page, sign_in
from tests.factories import person, submitted_case
from tests.referrals.conftest import answer

pytestmark = pytest.mark.django_db(transaction=True)

SHORTLIST = ["american-hospital-istanbul", "teknon-barcelona", "assuta-tel-aviv"]
# The page's own words in English, which must not show through on the Russian page (the
# services and what clinics write are their data, in English).
ENGLISH_CHROME = (
    "Clinics for your case",
    "Your decision",
    "Save my choice",
    "Prices and waiting times",
    "Answers from clinics",
    "Total price",
    "What the clinic proposes",
)


def answered_by_teknon(case: Any, patient: Any, coordinator: Any) -> None:
    """Teknon had the family's consent, got the case, answered, and the answer was released."""
    teknon = Clinic.objects.get(slug="teknon-barcelona")
    with translation.override("ru"):
        consent_give(
            case=case, actor=patient, purpose=Consent.Purpose.CLINIC_SHARING, clinic=teknon
        )
    referral = referral_send(
        case=case,
        clinic=teknon,
        actor=coordinator,
        question="Is SBRT suitable, or surgery first?",
        deadline=timezone.now() + timedelta(days=7),
    )
    doctor = person(Role.CLINIC_DOCTOR, "doctor@teknon.example", first_name="Teresa")
    doctor.clinic = teknon
    doctor.save()
    quote = answer_submit(referral=referral, author=doctor, answer=AnswerIn(**answer()))
    answer_release(opinion=quote.opinion, actor=coordinator)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_family_chooses_clinics_in_russian(
    live_server: Any, request: pytest.FixtureRequest, device: str, coordinator: Any, password: str
) -> None:
    clinics_demo_load()
    case = submitted_case(
        language="ru", country="KZ", primary_cancer="breast", email=f"family-{device}@example.com"
    )
    patient = case.patient
    patient.set_password(password)
    patient.save()
    email_verify(user=patient)
    shortlist_save(case=case, actor=coordinator, clinic_slugs=SHORTLIST)
    answered_by_teknon(case, patient, coordinator)

    page: Page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    sign_in(page, live_server.url, patient, password)
    page.get_by_role("button", name="Русский").click()
    page.goto(f"{live_server.url}/my/cases/{case.reference}/")
    expect(page.get_by_role("heading", name="Ответы клиник")).to_be_visible()
    expect(page.get_by_test_id("quote-total")).to_have_text("26\xa0500,50 EUR")
    check_russian_page(page, f"ru-clinics-01-case-{device}", ENGLISH_CHROME)

    page.get_by_role("link", name="Посмотреть клиники и выбрать").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Клиники по вашей заявке")
    cards = page.locator("article.clinic-choice h2")
    expect(cards).to_have_text(["American Hospital", "Centro Médico Teknon", "Assuta"])
    expect(page.locator("article.clinic-choice .badge.demo")).to_have_count(3)
    expect(page.locator("#consent-text")).to_contain_text("Я даю согласие")
    teknon = page.get_by_role("checkbox", name=re.compile("Centro Médico Teknon"))
    expect(teknon).to_be_checked()
    check_russian_page(page, f"ru-clinics-02-choose-{device}", ENGLISH_CHROME)

    page.get_by_role("checkbox", name=re.compile("American Hospital")).check()
    page.get_by_role("button", name="Сохранить мой выбор").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Теперь этим клиникам можно передать ваш случай: American Hospital."
    )
    expect(page.get_by_role("checkbox", name=re.compile("American Hospital"))).to_be_checked()
    check_russian_page(page, f"ru-clinics-03-saved-{device}", ENGLISH_CHROME)

    consent = case.consents.get(
        purpose=Consent.Purpose.CLINIC_SHARING,
        clinic__slug="american-hospital-istanbul",
        withdrawn_at__isnull=True,
    )
    assert consent.language == "ru"
