from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from oncoroute.triage.models import TriageSnapshot
from tests.browser.conftest import screenshot, sign_in
from tests.factories import submitted_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_enters_findings_and_reads_the_explained_triage(
    live_server: Any, page: Page, coordinator: Any, password: str
) -> None:
    case = submitted_case(symptoms=["nocturnal_pain"], primary_cancer="kidney")
    sign_in(page, live_server.url, coordinator, password)
    page.goto(f"{live_server.url}/coordinator/cases/{case.reference}/")
    page.get_by_role("link", name="Enter clinical findings").click()

    lesion = page.get_by_role("group", name="Lesion 1")
    lesion.get_by_label("L1", exact=True).check()
    lesion.get_by_label("Pain").select_option("mechanical")
    lesion.get_by_label("Lesion type").select_option("lytic")
    lesion.get_by_label("Alignment").select_option("deformity")
    lesion.get_by_label("Collapse").select_option("gt50")
    lesion.get_by_label("Posterolateral").select_option("bilateral")
    page.get_by_label("Primary", exact=True).select_option("kidney")
    page.get_by_label("Karnofsky performance status (KPS)").select_option("70")
    page.get_by_label("Bilsky ESCC grade").select_option("2")
    page.get_by_label("Frankel grade").select_option("D")
    screenshot(page, "07-findings-form")
    page.get_by_role("button", name="Save findings and triage").click()

    expect(page.get_by_role("status")).to_contain_text("Findings saved")
    panel = page.locator("section.triage")
    expect(panel).to_contain_text("SINS")
    expect(panel.locator("td.score-value").first).to_have_text("16")
    expect(panel).to_contain_text("Specialist clearance")
    assert page.locator("g.vertebra.unstable title").text_content() == "L1: Unstable (SINS 13–18)"
    screenshot(page, "08-case-with-triage")
    assert TriageSnapshot.objects.filter(case=case).count() == 1

    page.get_by_role("link", name="Printable summary").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Triage summary")
    screenshot(page, "09-triage-print")
