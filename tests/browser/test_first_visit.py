"""What a new visitor meets first, in a real browser, in English and Russian, on a desktop and on
a 360 px phone: the landing page (with a way to jump to the form), the clinic directory and a
clinic's page, the knowledge pages (the warning signs from the footer), the error pages, the
set-password page of the request email, and the patient's account, data and case pages. Each
page: nothing scrolls or is cut off sideways, axe-core finds no serious or critical violation,
and a screenshot (first-visit-*)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page, expect

from oncoroute.clinics.demo import clinics_demo_load
from oncoroute.clinics.models import Clinic
from tests.browser.conftest import (
    assert_accessible,
    assert_nothing_cut_off,
    screenshot,
    sign_in,
    use_language,
)

pytestmark = pytest.mark.django_db(transaction=True)

DEVICES = ("desktop", "small_phone")
LANGUAGES = ("en", "ru")


def _page(request: pytest.FixtureRequest, device: str) -> Page:
    return request.getfixturevalue("page" if device == "desktop" else "small_phone_page")


def check(page: Page, name: str) -> None:
    assert_nothing_cut_off(page, name)
    assert_accessible(page, name)
    screenshot(page, name)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("device", DEVICES)
def test_the_public_pages(
    live_server: Any, request: pytest.FixtureRequest, device: str, language: str
) -> None:
    clinics_demo_load()
    page = _page(request, device)
    use_language(page, live_server.url, language)
    page.goto(live_server.url)
    jump = page.locator("a.jump")
    if device == "small_phone":
        # The form is far down on a phone: one tap takes the visitor there.
        expect(jump).to_be_visible()
        jump.click()
        expect(page.locator("#request")).to_be_in_viewport()
    else:
        expect(jump).to_be_hidden()
    check(page, f"first-visit-{language}-landing-{device}")

    page.goto(f"{live_server.url}/clinics/")
    check(page, f"first-visit-{language}-directory-{device}")
    # A visitor compares three clinics side by side.
    ticks = page.locator(".compare-tick input")
    for i in range(3):
        ticks.nth(i).check()
    page.locator(".compare-bar button").click()
    page.wait_for_url(re.compile(r"/clinics/compare/"))
    expect(page.locator("table.compare-public thead th a")).to_have_count(3)
    check(page, f"first-visit-{language}-compare-{device}")
    slug = Clinic.objects.order_by("name").values_list("slug", flat=True).first()
    page.goto(f"{live_server.url}/clinics/{slug}/")
    check(page, f"first-visit-{language}-clinic-{device}")

    # The warning signs, linked from every page's footer, then the other knowledge pages.
    page.locator("footer.site a").first.click()
    expect(page.locator("h1")).to_have_text(
        "Warning signs of spinal cord compression"
        if language == "en"
        else "Тревожные признаки сдавления спинного мозга"
    )
    check(page, f"first-visit-{language}-guide-warning-signs-{device}")
    for topic in ("treatments", "prognosis"):
        page.goto(f"{live_server.url}/guide/{topic}/")
        check(page, f"first-visit-{language}-guide-{topic}-{device}")
    page.goto(f"{live_server.url}/guide/")
    check(page, f"first-visit-{language}-guide-{device}")

    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text(
        "We could not find this page" if language == "en" else "Мы не нашли эту страницу"
    )
    check(page, f"first-visit-{language}-404-{device}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("device", DEVICES)
def test_the_patients_first_pages(
    live_server: Any,
    request: pytest.FixtureRequest,
    device: str,
    language: str,
    patient_case: Any,
    password: str,
) -> None:
    page = _page(request, device)
    use_language(page, live_server.url, language)
    user = patient_case.patient
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    page.goto(f"{live_server.url}/accounts/set-password/{uid}/{token}/")
    expect(page.locator("body")).not_to_contain_text("Django administration")
    check(page, f"first-visit-{language}-set-password-{device}")
    page.locator("#id_new_password1").fill(password)
    page.locator("#id_new_password2").fill(password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/accounts/set-password/done/"))
    check(page, f"first-visit-{language}-password-saved-{device}")

    use_language(page, live_server.url, "en")
    sign_in(page, live_server.url, user, password)
    use_language(page, live_server.url, language)
    page.goto(f"{live_server.url}/my/")
    check(page, f"first-visit-{language}-case-{device}")
    page.goto(f"{live_server.url}/accounts/me/")
    expect(page.locator("main")).to_contain_text(user.email)
    check(page, f"first-visit-{language}-account-{device}")
    page.goto(f"{live_server.url}/my/privacy/")
    check(page, f"first-visit-{language}-privacy-{device}")
    response = page.goto(f"{live_server.url}/coordinator/")
    assert response is not None and response.status == 403
    check(page, f"first-visit-{language}-403-{device}")
