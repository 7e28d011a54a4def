"""The image viewer in Chromium, as the referred clinic's doctor uses it: scroll a series with
the keyboard, change the window by preset and by dragging, put a second series beside it — and
no identifying text in any request or response (URLs, headers, bodies)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Request, Response, expect

from oncoroute.accounts.roles import Role
from oncoroute.cases.models import Consent
from oncoroute.cases.sharing import consent_give
from oncoroute.records.models import Study, ViewerImage
from oncoroute.records.tasks import study_deidentify
from oncoroute.referrals.services import referral_send
from tests.browser.conftest import screenshot, sign_in
from tests.clinics.builders import clinic, rates
from tests.factories import person
from tests.records.helpers import upload_bytes
from tests.records.studies import study_zip

pytestmark = pytest.mark.django_db(transaction=True)


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
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RECORDS_DEID_JOBS = 1
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
