"""A real Chromium, driven by Playwright, against the live test server.

Screenshots land in test-artifacts/screenshots/ so that people can look at every page.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.factories import totp_code_to_type

# Playwright's sync API runs an event loop in this thread; the Django calls the tests make
# here are still synchronous, so Django's guard against async contexts does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def records_media(settings: Any, tmp_path: Path) -> None:
    """Stored records in the test's own folder, de-identified in one process."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RECORDS_DEID_JOBS = 1


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def small_phone_page(browser: Browser) -> Iterator[Page]:
    """The narrowest phone the pages are made for: 360 px."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Page, base: str, user: Any, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    submit_sign_in(page, user, password)


def submit_sign_in(page: Page, user: Any, password: str) -> None:
    """Fill the sign-in form on the current page; type the authenticator code if asked."""
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/2fa/authenticate/" in page.url:
        page.get_by_label("Code").fill(totp_code_to_type())
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/2fa/" not in url)


CYRILLIC = re.compile(r"[А-Яа-яЁё]{4,}")


def assert_no_sideways_scroll(page: Page, name: str) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px"


def check_russian_page(page: Page, name: str, english_chrome: tuple[str, ...]) -> None:
    """Russian, none of the page's own English (`english_chrome`), nothing wider than the
    window; then a screenshot."""
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    text = page.locator("main").inner_text()
    assert CYRILLIC.search(text), f"{name}: no Cyrillic text"
    leftovers = [phrase for phrase in english_chrome if phrase in text]
    assert not leftovers, f"{name}: English left on the Russian page: {leftovers}"
    assert_no_sideways_scroll(page, name)
    screenshot(page, name)


# axe-core's impacts that fail a page; "moderate" and "minor" are left to review by eye.
BLOCKING_IMPACTS = ("serious", "critical")


def assert_accessible(page: Page, name: str) -> None:
    """axe-core (shipped inside axe-playwright-python) finds no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, f"{name}: accessibility violations:\n" + "\n".join(blocking)


def assert_nothing_cut_off(page: Page, name: str) -> None:
    """No sideways scroll of the page, and no box on it that scrolls or clips sideways (a wide
    table in a scrolling wrapper is cut off on a phone just the same)."""
    assert_no_sideways_scroll(page, name)
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('main *')].filter(el => {
            const style = getComputedStyle(el);
            return ['auto', 'scroll', 'hidden'].includes(style.overflowX)
                && el.scrollWidth > el.clientWidth + 1
                && el.clientWidth > 1 && !el.closest('.honeypot, .skip, .sr-only');
        }).map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.')
            + ' ' + el.scrollWidth + '>' + el.clientWidth
            + ' in ' + (el.closest('section')?.getAttribute('aria-labelledby') || '?'))"""
    )
    assert not clipped, f"{name}: cut off sideways: {clipped}"


def use_language(page: Page, base: str, language: str) -> None:
    """The language cookie the switcher sets."""
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
