"""The image viewer in Chromium, as the referred clinic's doctor uses it: scroll a series with
the keyboard, change the window by preset and by dragging, put a second series beside it — and
no identifying text in any request or response (URLs, headers, bodies). As a coordinator uses
it: the keys move the pane last used, whatever had the focus before, and that pane is marked;
a series with nothing to show says why; the page in Russian."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pydicom
import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Locator, Page, Request, Response, expect
from pydicom.uid import generate_uid

from oncoroute.accounts.roles import Role
from oncoroute.cases.models import Consent
from oncoroute.cases.sharing import consent_give
from oncoroute.records.models import Study, ViewerImage
from oncoroute.records.tasks import study_deidentify
from oncoroute.referrals.services import referral_send
from tests.browser.conftest import (
    assert_accessible,
    assert_nothing_cut_off,
    screenshot,
    sign_in,
    use_language,
)
from tests.clinics.builders import clinic, rates
from tests.factories import person
from tests.records.helpers import upload_bytes
from tests.records.studies import study_zip
from tests.records.test_held_review import as_capture_with_a_name

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("records_media")]


class Traffic:
    """Every request and response the page makes, as text to search."""

    def __init__(self, page: Page) -> None:
        self.seen: list[tuple[str, bytes]] = []
        page.on("request", self.request)
        page.on("response", self.response)

    def request(self, request: Request) -> None:
        headers = "\n".join(f"{k}: {v}" for k, v in request.headers.items())
        self.seen.append(
            (
                request.url,
                f"{request.url}\n{headers}\n".encode() + (request.post_data_buffer or b""),
            )
        )

    def response(self, response: Response) -> None:
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted preload has no body
            body = b""
        self.seen.append((response.url, f"{response.url}\n{headers}\n".encode() + body))

    def containing(self, values: list[str]) -> list[str]:
        found = []
        for url, text in self.seen:
            lowered = text.lower()
            found += [
                f"{value!r} in {url}" for value in values if value.lower().encode() in lowered
            ]
        return found


def identifying_values(case: Any, synthetic: Any) -> list[str]:
    values = [case.full_name, case.email, str(case.reference)]
    for keyword in ("PatientName", "PatientID", "OtherPatientIDs", "AccessionNumber"):
        value = synthetic.identifiers.get(keyword, "")
        values += [part for part in str(value).replace("^", " ").split() if len(part) >= 4]
    values.append(str(synthetic.identifiers.get("StudyInstanceUID", "")) or "no-such-uid")
    return [v for v in values if v]


def test_a_clinic_doctor_scrolls_a_series_and_nothing_identifying_is_exchanged(
    live_server: Any,
    browser: Browser,
    patient: Any,
    password: str,
    coordinator: Any,
    tmp_path: Path,
) -> None:
    case = patient.cases.get()
    archive, synthetic = study_zip(tmp_path, n_slices=12)
    upload_bytes(case=case, actor=patient, data=archive.read_bytes(), filename="cd.zip")
    study = Study.objects.get()
    assert study_deidentify.call(study_id=study.pk) == "done"
    assert ViewerImage.objects.exclude(file="").count() == 12
    rates()
    clinic_x = clinic("clinic-x", name="Clinic X", country="TR")
    consent_give(case=case, actor=patient, purpose=Consent.Purpose.CLINIC_SHARING, clinic=clinic_x)
    referral = referral_send(
        case=case, clinic=clinic_x, actor=coordinator, question="SBRT or surgery?",
        deadline=case.created_at.replace(year=2099),
    )  # fmt: skip
    doctor = person(Role.CLINIC_DOCTOR, "doctor@clinic-x.example", first_name="Xavier")
    doctor.clinic = clinic_x
    doctor.save()

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, doctor, password)
    traffic = Traffic(page)
    page.goto(f"{live_server.url}/portal/referrals/{referral.pk}/")
    page.get_by_role("link", name="Open the viewer").first.click()
    left = page.locator('[data-pane="0"]')
    image = left.locator("[data-frame]")
    expect(left.locator("[data-where]")).to_contain_text("Slice 4 / 6")
    expect(image).to_have_attribute("src", re.compile(r"/frames/3\.png\?c=-?\d+&w=\d+$"))
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") == 64

    left.focus()
    for _ in range(2):
        page.keyboard.press("ArrowDown")
    expect(left.locator("[data-where]")).to_contain_text("Slice 6 / 6")
    expect(left.locator("[data-where]")).to_contain_text("position")
    expect(left.locator("[data-slider]")).to_have_value("5")
    page.keyboard.press("ArrowUp")
    expect(image).to_have_attribute("src", re.compile(r"/frames/4\.png"))

    left.locator("[data-preset]").select_option("bone")
    expect(image).to_have_attribute("src", re.compile(r"/frames/4\.png\?c=400&w=1800$"))
    expect(left.locator("[data-where]")).to_contain_text("W 1800 / L 400")
    box = image.bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2 + 20, steps=5)
    page.mouse.up()
    expect(image).not_to_have_attribute("src", re.compile(r"c=400&w=1800$"))
    expect(image).to_have_js_property("complete", True)

    right = page.locator('[data-pane="1"]')
    expect(right.locator("[data-series]")).to_have_value("1")
    expect(right.locator("[data-where]")).to_contain_text("Slice")
    page.mouse.move(10, 10)
    page.wait_for_load_state("networkidle")
    screenshot(page, "viewer-clinic-doctor")

    frames = [url for url, _ in traffic.seen if "/frames/" in url]
    assert len(frames) >= 6
    assert not traffic.containing(identifying_values(case, synthetic))


def held_capture(synthetic: Any) -> bytes:
    """A screen capture with text drawn into its pixels, in a third series of the synthetic
    study: de-identification holds it back for review, so that series has nothing to show."""
    ds = pydicom.dcmread(synthetic.files[0])
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.SeriesInstanceUID, ds.SeriesNumber = generate_uid(), 3
    return as_capture_with_a_name(ds)


def slice_of(pane: Locator) -> int:
    """The slice a pane shows, counted from 0."""
    return int(pane.locator("[data-frame]").get_attribute("data-index") or "-1")


def test_the_keys_move_the_pane_last_used_and_a_series_says_why_it_shows_nothing(
    live_server: Any,
    page: Page,
    phone_page: Page,
    patient: Any,
    password: str,
    coordinator: Any,
    tmp_path: Path,
) -> None:
    case = patient.cases.get()
    archive, synthetic = study_zip(tmp_path, n_slices=24)
    upload_bytes(case=case, actor=patient, data=archive.read_bytes(), filename="cd.zip")
    upload_bytes(case=case, actor=patient, data=held_capture(synthetic), filename="capture.dcm")
    study = Study.objects.get()
    assert study_deidentify.call(study_id=study.pk) == "done"
    assert study.held_images.count() == 1
    url = live_server.url + reverse("records_study_viewer", args=[study.pk])

    sign_in(page, live_server.url, coordinator, password)
    page.goto(url)
    left, right = page.locator('[data-pane="0"]'), page.locator('[data-pane="1"]')
    expect(left.locator("[data-where]")).to_contain_text("Slice 7 / 12")
    expect(right.locator("[data-where]")).to_contain_text("Slice 7 / 12")
    expect(left).to_have_class(re.compile(r"\bis-active\b"))

    # The left slider, clicked, has the focus: its keys go the viewer's way (down: forward).
    left.locator("[data-slider]").click()
    expect(left.locator("[data-slider]")).to_be_focused()
    start = slice_of(left)
    page.keyboard.press("ArrowDown")
    expect(left.locator("[data-frame]")).to_have_attribute("data-index", str(start + 1))
    expect(left.locator("[data-slider]")).to_have_value(str(start + 1))

    # The wheel over the right pane makes it the one the keys move, and marks it.
    box = right.locator("[data-stage]").bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 120)
    expect(right.locator("[data-frame]")).to_have_attribute("data-index", "7")
    expect(right).to_have_class(re.compile(r"\bis-active\b"))
    expect(left).not_to_have_class(re.compile(r"\bis-active\b"))
    expect(right.locator("[data-keys]")).to_be_visible()
    expect(left.locator("[data-keys]")).to_be_hidden()
    page.keyboard.press("ArrowDown")
    expect(right.locator("[data-frame]")).to_have_attribute("data-index", "8")
    expect(right.locator("[data-where]")).to_contain_text("Slice 9 / 12")
    assert slice_of(left) == start + 1
    page.keyboard.press("PageUp")
    expect(right.locator("[data-frame]")).to_have_attribute("data-index", "0")

    # A click on the left picture takes the focus and the keys back.
    left.locator("[data-frame]").click()
    expect(left).to_be_focused()
    expect(left).to_have_class(re.compile(r"\bis-active\b"))
    page.keyboard.press("End")
    expect(left.locator("[data-frame]")).to_have_attribute("data-index", "11")
    assert slice_of(right) == 0

    # The series whose only image is held back says so, and why.
    messages = page.evaluate("JSON.parse(document.getElementById('viewer-messages').textContent)")
    right.locator("[data-series]").focus()  # as a click on the list does
    expect(right).to_have_class(re.compile(r"\bis-active\b"))
    right.locator("[data-series]").select_option("2")
    expect(right.locator("[data-series] option:checked")).to_contain_text("(nothing to show)")
    expect(right.locator("[data-where]")).to_have_text(messages["none_shown"])
    expect(right.locator("[data-why]")).to_have_text(messages["held"].replace("{count}", "1"))
    expect(right.locator("[data-frame]")).not_to_have_attribute("src", re.compile("."))
    right.locator("[data-stage]").click()  # the keys are the empty pane's: nothing moves
    expect(right).to_be_focused()
    page.keyboard.press("ArrowUp")
    assert slice_of(left) == 11
    page.mouse.move(10, 10)
    page.wait_for_load_state("networkidle")
    screenshot(page, "viewer-coordinator-keys")

    # In Russian: the page's own words, and the series named as the records card names them.
    use_language(page, live_server.url, "ru")
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(left.locator("[data-series] option").first).to_contain_text("CT · серия 1")
    expect(left.locator("[data-preset] option[value=lung]")).to_have_text("Лёгкое")
    messages = page.evaluate("JSON.parse(document.getElementById('viewer-messages').textContent)")
    slice_words = messages["slice"].replace("{index}", "7").replace("{count}", "12")
    expect(left.locator("[data-where]")).to_contain_text(slice_words)
    page.mouse.move(10, 10)
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "viewer-coordinator-ru")
    screenshot(page, "viewer-coordinator-ru")

    # A phone (390 px), the same session: the panes one above the other, nothing cut off.
    phone_page.context.add_cookies(page.context.cookies())
    phone_page.goto(url)
    phone_left = phone_page.locator('[data-pane="0"]')
    expect(phone_left.locator("[data-where]")).to_contain_text(slice_words)
    phone_page.locator('[data-pane="1"] [data-series]').select_option("2")
    phone_page.wait_for_load_state("networkidle")
    assert_nothing_cut_off(phone_page, "viewer-coordinator-ru-phone")
    assert_accessible(phone_page, "viewer-coordinator-ru-phone")
    screenshot(phone_page, "viewer-coordinator-ru-phone")
