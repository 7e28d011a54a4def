"""axe-core in a real browser on the pages of patients, families and clinic doctors, in English
and Russian, on a desktop and a 360 px phone: no serious or critical violation, nothing cut off
sideways, a screenshot of each (a11y-*). The public pages are in test_first_visit.py. Then a
keyboard-only path through the patient's page: from the skip link to sending a message."""

from __future__ import annotations

# The world and its personas are the access matrix's fixtures, imported here as fixtures: pytest
# finds them by name in the module, which ruff reads as redefinitions.
# ruff: noqa: F811
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    assert_accessible,
    assert_nothing_cut_off,
    screenshot,
    sign_in,
    use_language,
)
from tests.security.conftest import (  # noqa: F401 - fixtures shared with the access matrix
    World,
    admin_user,
    media_root,
    other_clinic_doctor,
    world,
)
from tests.security.routes import all_routes
from tests.security.test_access_matrix import sampler

pytestmark = pytest.mark.django_db(transaction=True)

PATIENT_PAGES = (
    "patient_case",
    "patient_clinics",
    "patient_answers",
    "patient_home_doctor",
    "patient_itinerary",
    "my_privacy",
    "account_overview",
)
CLINIC_PAGES = ("clinic_home", "referral_detail", "referral_answer")
ANONYMOUS_PAGES = ("login", "landing", "guide_index", "clinic_directory")


def _path(name: str, world: World, admin_user: Any) -> str:
    (route,) = [r for r in all_routes() if r.name == name]
    return route.path(sampler(world, admin_user))


def _sweep(page: Page, base: str, names: tuple[str, ...], who: str, **context: Any) -> None:
    for language in ("en", "ru"):
        use_language(page, base, language)
        for name in names:
            response = page.goto(base + _path(name, **context))
            assert response is not None and response.status == 200, f"{name}: {response}"
            label = f"a11y-{who}-{language}-{name}-{page.viewport_size['width']}"  # type: ignore[index]
            assert_nothing_cut_off(page, label)
            assert_accessible(page, label)
            screenshot(page, label)


@pytest.mark.parametrize("device", ["desktop", "small_phone"])
def test_patient_pages(
    live_server: Any,
    request: pytest.FixtureRequest,
    device: str,
    world: World,
    admin_user: Any,
    patient: Any,
    password: str,
) -> None:
    page: Page = request.getfixturevalue("page" if device == "desktop" else "small_phone_page")
    sign_in(page, live_server.url, patient, password)
    _sweep(page, live_server.url, PATIENT_PAGES, "patient", world=world, admin_user=admin_user)


@pytest.mark.parametrize("device", ["desktop", "small_phone"])
def test_clinic_doctor_pages(
    live_server: Any,
    request: pytest.FixtureRequest,
    device: str,
    world: World,
    admin_user: Any,
    clinic_doctor: Any,
    password: str,
) -> None:
    page: Page = request.getfixturevalue("page" if device == "desktop" else "small_phone_page")
    sign_in(page, live_server.url, clinic_doctor, password)
    _sweep(page, live_server.url, CLINIC_PAGES, "clinic", world=world, admin_user=admin_user)


@pytest.mark.parametrize("device", ["desktop", "small_phone"])
def test_pages_before_signing_in(
    live_server: Any, request: pytest.FixtureRequest, device: str, world: World, admin_user: Any
) -> None:
    page: Page = request.getfixturevalue("page" if device == "desktop" else "small_phone_page")
    _sweep(page, live_server.url, ANONYMOUS_PAGES, "visitor", world=world, admin_user=admin_user)


def test_the_patients_page_by_keyboard_alone(
    live_server: Any, page: Page, patient_case: Any, patient: Any, password: str
) -> None:
    sign_in(page, live_server.url, patient, password)
    page.goto(f"{live_server.url}/my/cases/{patient_case.reference}/")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    page.keyboard.press("Enter")
    body = page.get_by_label("Your message")
    for _ in range(60):
        page.keyboard.press("Tab")
        if body.evaluate("el => el === document.activeElement"):
            break
    expect(body).to_be_focused()
    page.keyboard.type("We have new MRI images from last week.")
    send = page.get_by_role("button", name="Send", exact=True)
    for _ in range(10):
        page.keyboard.press("Tab")
        if send.evaluate("el => el === document.activeElement"):
            break
    expect(send).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("We have new MRI images from last week.")
    screenshot(page, "a11y-keyboard-patient-message-sent")
