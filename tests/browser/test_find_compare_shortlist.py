from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from oncoroute.cases.demo import DEMO_CASES
from oncoroute.cases.models import CaseEvent
from oncoroute.clinics.demo import clinics_demo_load
from oncoroute.clinics.models import Shortlist
from oncoroute.triage.services import case_triage_record
from tests.browser.conftest import screenshot, sign_in
from tests.factories import submitted_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_finds_compares_and_shortlists_clinics(
    live_server: Any, page: Page, coordinator: Any, password: str
) -> None:
    clinics_demo_load()
    case = submitted_case(
        language="ru", country="KZ", primary_cancer="breast", preferred_countries=["TR", "ES"]
    )
    case_triage_record(case=case, actor=coordinator, findings=DEMO_CASES[0]["findings"])
    sign_in(page, live_server.url, coordinator, password)
    page.goto(f"{live_server.url}/coordinator/cases/{case.reference}/")
    page.get_by_role("link", name="Find clinics").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Find clinics")
    ranked = page.locator("article.ranked")
    expect(ranked.first).to_be_visible()
    assert ranked.count() >= 3
    # Matching starts from the NOMS recommendation's therapies, the other eligible ones offered.
    expect(page.get_by_text("The eligible therapies are alternatives.")).to_be_visible()
    screenshot(page, "clinics-find")

    names = [ranked.nth(i).locator("h3 a").inner_text() for i in range(3)]
    for i in range(3):
        ranked.nth(i).get_by_role("checkbox").check()
    page.get_by_role("button", name="Compare ticked").first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Compare clinics")
    headers = page.locator("table.compare thead th a")
    assert headers.all_inner_texts() == names
    expect(page.locator("table.compare")).to_contain_text("KZT")
    screenshot(page, "clinics-compare")

    page.get_by_role("button", name="Save shortlist").click()
    expect(page.get_by_role("status")).to_contain_text("Shortlist saved")
    shortlist = Shortlist.objects.get(case=case)
    assert [item.clinic.name for item in shortlist.items.all()] == names
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.SHORTLIST_SAVED).exists()
    screenshot(page, "clinics-case-shortlist")


def test_anyone_browses_the_public_directory(live_server: Any, page: Page) -> None:
    clinics_demo_load()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Clinics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinic directory")
    page.get_by_label("Country").select_option("TR")
    page.get_by_role("button", name="Show clinics").click()
    expect(page.locator("article.clinic-card")).to_have_count(3)
    page.goto(f"{live_server.url}/clinics/")
    screenshot(page, "clinics-directory")
    page.get_by_role("link", name="Assuta").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assuta")
    screenshot(page, "clinics-clinic")


def test_the_find_page_works_on_a_phone(
    live_server: Any, phone_page: Page, coordinator: Any, password: str
) -> None:
    clinics_demo_load()
    case = submitted_case(language="en", country="GB")
    sign_in(phone_page, live_server.url, coordinator, password)
    phone_page.goto(f"{live_server.url}/coordinator/cases/{case.reference}/clinics/")
    phone_page.get_by_label("Stereotactic radiosurgery / SBRT").first.check()
    phone_page.get_by_role("button", name="Rank clinics").click()
    expect(phone_page.locator("article.ranked").first).to_be_visible()
    screenshot(phone_page, "clinics-find-phone")
