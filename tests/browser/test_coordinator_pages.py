"""The coordinator's pages this work changed, in a real browser, for people to look at (desktop
and 360 px, English and Russian; screenshots coordinator-*): the queue with each priority's
clock and a likely duplicate, a case page with the merge offer and the phone-call note, the
findings form, the triage panel and its history in words."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from oncoroute.cases.models import Case
from oncoroute.triage.services import case_triage_record
from tests.browser.conftest import assert_no_sideways_scroll, screenshot, sign_in, use_language
from tests.factories import submitted_case
from tests.triage.test_labels import FINDINGS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("device", ["desktop", "small_phone"])
def test_the_coordinators_changed_pages(
    live_server: Any,
    request: pytest.FixtureRequest,
    device: str,
    language: str,
    coordinator: Any,
    password: str,
) -> None:
    page: Page = request.getfixturevalue("page" if device == "desktop" else "small_phone_page")
    emergency = submitted_case(symptoms=["limb_weakness"], full_name="Ruslan Akhmetov")
    Case.objects.filter(pk=emergency.pk).update(created_at=timezone.now() - timedelta(minutes=50))
    first = submitted_case(
        email="family@example.com",
        writer_role="relative",
        full_name="Dana Omarova",
        patient_name="Bolat Omarov",
        patient_age=68,
        patient_sex="M",
    )
    second = submitted_case(email="family@example.com", full_name="Dana Omarova")
    case_triage_record(case=first, findings=FINDINGS, actor=coordinator)
    case_triage_record(case=first, findings={**FINDINGS, "kps": 50}, actor=coordinator)
    sign_in(page, live_server.url, coordinator, password)
    use_language(page, live_server.url, language)
    name = f"{language}-{device}"

    page.goto(f"{live_server.url}/coordinator/")
    expect(page.locator("main")).to_contain_text("30 min")
    screenshot(page, f"coordinator-queue-{name}")
    page.goto(f"{live_server.url}/coordinator/cases/{second.reference}/")
    expect(page.locator("#dup-title")).to_be_visible()
    screenshot(page, f"coordinator-duplicate-{name}")
    page.goto(f"{live_server.url}/coordinator/cases/{first.reference}/")
    expect(page.locator("h1")).to_contain_text("Bolat Omarov")
    screenshot(page, f"coordinator-case-triage-{name}")
    if device == "small_phone":
        assert_no_sideways_scroll(page, f"coordinator-case-triage-{name}")
    page.goto(f"{live_server.url}/coordinator/cases/{first.reference}/triage/history/")
    screenshot(page, f"coordinator-triage-history-{name}")
    page.goto(f"{live_server.url}/coordinator/cases/{first.reference}/findings/")
    screenshot(page, f"coordinator-findings-{name}")
