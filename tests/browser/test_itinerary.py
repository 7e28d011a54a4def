"""The family reads its itinerary in Russian, on a desktop and on a phone: the picture of the
two trips (flights, the surgery, nights in hospital, the days when flying is not yet safe), the
days in words, the costs in their currency, the checklist; and takes the calendar file.
Screenshots: test-artifacts/screenshots/ru-itinerary-*."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest
from playwright.sync_api import Page, expect

from oncoroute.accounts.services import email_verify
from oncoroute.cases.models import Case
from oncoroute.trips.models import TripPlan
from tests.browser.conftest import (
    assert_no_sideways_scroll,
    check_russian_page,
    screenshot,
    sign_in,
)
from tests.trips.conftest import accepted, clinic_x, clinic_y, consented, planning, trip_plan

# The trip plan of tests/trips: clinic X's accepted plan in two trips.
__all__ = ["accepted", "clinic_x", "clinic_y", "consented", "planning", "trip_plan"]

pytestmark = pytest.mark.django_db(transaction=True)

ENGLISH_CHROME = (
    "Your trips",
    "What it costs",
    "Before this trip",
    "Not yet safe to fly",
    "Night in hospital",
    "Passport valid",
)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_family_reads_its_itinerary_in_russian(
    live_server: Any, request: pytest.FixtureRequest, device: str, trip_plan: TripPlan,
    password: str,
) -> None:  # fmt: skip
    case = trip_plan.case
    Case.objects.filter(pk=case.pk).update(language="ru")
    patient = case.patient
    patient.set_password(password)
    patient.save()
    email_verify(user=patient)

    page: Page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    sign_in(page, live_server.url, patient, password)
    page.get_by_role("button", name="Русский").click()
    page.goto(f"{live_server.url}/my/cases/{case.reference}/")
    page.get_by_test_id("your-trips").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ваши поездки")

    rows = page.get_by_test_id("trip-row")
    expect(rows).to_have_count(2)
    first = rows.first
    expect(first.locator(".day.flight")).to_have_count(2)
    expect(first.locator(".day.session")).to_have_count(1)
    expect(first.locator(".day.hospital")).to_have_count(4)
    expect(first.locator(".day.no_fly")).to_have_count(7)
    expect(rows.nth(1).locator(".day.session")).to_have_count(5)
    expect(page.get_by_test_id("total")).to_contain_text("USD")
    expect(page.get_by_test_id("checklist").first).to_contain_text("Паспорт")
    check_russian_page(page, f"ru-itinerary-{device}", ENGLISH_CHROME)

    href = page.get_by_test_id("itinerary-ics").get_attribute("href") or ""
    calendar = page.request.get(live_server.url + href)
    events = icalendar.Calendar.from_ical(calendar.body()).walk("VEVENT")
    assert len(events) == 2 * 2 + 6  # two flights a trip, six sessions
    assert any("Перелёт домой" in str(event["summary"]) for event in events)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_coordinator_moves_a_trip_later_and_sees_the_plan_again(
    live_server: Any, request: pytest.FixtureRequest, device: str, trip_plan: TripPlan,
    coordinator: Any, password: str,
) -> None:  # fmt: skip
    page: Page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    sign_in(page, live_server.url, coordinator, password)
    page.goto(f"{live_server.url}/coordinator/cases/{trip_plan.case.reference}/trips/")
    second = page.get_by_test_id("trip").nth(1)
    expect(second.get_by_label("Move later: fly out on")).to_have_attribute("min", "2027-03-21")
    second.get_by_label("Move later: fly out on").fill("2027-03-28")
    second.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The trip is moved")
    expect(page.get_by_test_id("trip-row").nth(1)).to_contain_text("28 March – 3 April 2027")
    expect(page.get_by_test_id("fitness").first).to_be_visible()
    assert_no_sideways_scroll(page, f"coordinator-trips-{device}")
    screenshot(page, f"coordinator-trips-{device}")
