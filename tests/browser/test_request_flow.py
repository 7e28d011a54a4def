from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from oncoroute.cases.models import Case
from tests.browser.conftest import screenshot, submit_sign_in
from tests.factories import submitted_case

pytestmark = pytest.mark.django_db(transaction=True)


def fill_request(page: Page, *, warning_sign: str | None) -> None:
    page.get_by_label("Full name").fill("Gulnara Serikbayeva")
    page.get_by_label("Email").fill("gulnara@example.com")
    page.get_by_label("Phone").fill("+7 701 555 1234")
    page.get_by_label("A relative or friend of the patient").check()
    page.get_by_label("The patient's name").fill("Aliya Serikbayeva")
    page.get_by_label("The patient's age").fill("64")
    page.get_by_label("The patient's sex").select_option("F")
    page.get_by_label("Country where the patient lives").select_option("KZ")
    page.get_by_label("Language we should write in").select_option("ru")
    page.get_by_label("Where did the cancer start (primary cancer)?").select_option("breast")
    page.get_by_label("Upper and middle back (thoracic)").check()
    if warning_sign:
        page.get_by_label(warning_sign).check()
    page.get_by_label("Back pain that wakes you at night").check()
    page.get_by_label("Treatment", exact=True).check()
    page.get_by_label("Turkey").check()
    page.get_by_label(re.compile("I agree that oncoroute processes")).check()


def test_a_patient_with_a_warning_sign_is_told_to_seek_care_and_leads_the_queue(
    live_server: Any, page: Page, coordinator: Any, password: str
) -> None:
    older = submitted_case(address="older", symptoms=["nocturnal_pain"])
    page.goto(live_server.url)
    screenshot(page, "01-landing")
    fill_request(page, warning_sign="New weakness in the legs or arms")
    page.get_by_role("button", name="Send my request").click()

    expect(page.get_by_role("alert")).to_contain_text("Please seek emergency medical care today")
    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"OR-\d{4}-\d{6}", reference)
    screenshot(page, "02-confirmation-emergency")
    assert Case.objects.get(reference=reference).urgency == "emergency_mscc"

    page.goto(f"{live_server.url}/accounts/login/")
    screenshot(page, "03-login")
    submit_sign_in(page, coordinator, password)
    first_row = page.locator("table.list tbody tr").first
    expect(first_row).to_contain_text(reference)
    expect(page.locator("table.list tbody tr").nth(1)).to_contain_text(older.reference)
    screenshot(page, "04-queue")

    first_row.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_role("status")).to_contain_text("assigned to you")
    screenshot(page, "05-case")


def test_errors_show_beside_the_fields_on_a_phone(live_server: Any, phone_page: Page) -> None:
    phone_page.goto(live_server.url)
    phone_page.get_by_label("Full name").fill("Someone")
    phone_page.get_by_label("Phone").fill("12345")
    phone_page.get_by_role("button", name="Send my request").click()
    expect(phone_page.locator("#id_phone_error")).to_contain_text("country code")
    expect(phone_page.locator("#id_consent_error")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone"
    screenshot(phone_page, "06-phone-errors")
    assert Case.objects.count() == 0


def test_the_form_can_be_completed_with_the_keyboard_alone(live_server: Any, page: Page) -> None:
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.get_by_label("Full name").focus()
    page.keyboard.type("Keyboard User")
    page.keyboard.press("Tab")
    page.keyboard.type("keys@example.com")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "id_email"
