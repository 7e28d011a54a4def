"""The review of held-back images and the redaction of a document in Chromium: the coordinator
drags a box over the burned-in name, releases, and the box is what the server recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from playwright.sync_api import Page, expect

from oncoroute.records.models import Document, HeldImage, Study
from oncoroute.records.tasks import study_deidentify
from tests.browser.conftest import screenshot, sign_in
from tests.records.helpers import upload_bytes
from tests.records.test_document_sharing import canary_pdf
from tests.records.test_held_review import secondary_capture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("records_media")]


def drag(page: Page, selector: str, start: tuple[float, float], end: tuple[float, float]) -> None:
    """Drag across the image from and to fractions of its size."""
    box = page.locator(selector).bounding_box()
    assert box
    page.mouse.move(box["x"] + start[0] * box["width"], box["y"] + start[1] * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + end[0] * box["width"], box["y"] + end[1] * box["height"], steps=6)
    page.mouse.up()


def test_a_coordinator_masks_a_held_image_and_redacts_a_document(
    live_server: Any,
    page: Page,
    patient: Any,
    coordinator: Any,
    password: str,
    tmp_path: Path,
) -> None:
    case = patient.cases.get()
    upload_bytes(case=case, actor=patient, data=secondary_capture(tmp_path))
    study = Study.objects.get()
    assert study_deidentify.call(study_id=study.pk) == "done"
    held = HeldImage.objects.get()
    sign_in(page, live_server.url, coordinator, password)

    page.goto(f"{live_server.url}/records/cases/{case.reference}/studies/{study.pk}/review/")
    image = f'[data-testid="held-{held.pk}"] .mask-page img'
    expect(page.locator(image)).to_have_js_property("complete", True)
    # The whole image fits the window, so that no text sits unseen below the fold.
    assert page.locator(image).bounding_box()["height"] <= page.viewport_size["height"]  # type: ignore[index]
    page.get_by_role("button", name="Black out and release").click()  # no box drawn yet
    expect(page.get_by_text("or tick that there is none")).to_be_visible()
    assert HeldImage.objects.get().state == HeldImage.State.PENDING
    expect(page.locator(image)).to_have_js_property("complete", True)
    drag(page, image, (0.0, 0.0), (1.0, 0.25))
    expect(page.locator("[data-masks-count]")).to_have_text("Boxes drawn: 1")
    screenshot(page, "records-review-masked")
    page.get_by_role("button", name="Black out and release").click()
    expect(page.get_by_text("The image is being masked")).to_be_visible()
    held.refresh_from_db()
    assert held.state == HeldImage.State.RELEASING
    (box,) = held.mask
    assert box["y1"] == pytest.approx(0.25, abs=0.03) and box["x1"] == pytest.approx(1, abs=0.03)

    name = default_storage.save(f"records/{case.pk}/documents/r.pdf", ContentFile(canary_pdf()))
    document = Document.objects.create(
        case=case, kind="pdf", original_name="report.pdf", file=name, size=1, sha256="0" * 64
    )
    page.goto(f"{live_server.url}/records/cases/{case.reference}/documents/{document.pk}/share/")
    page_image = '.mask-page[data-page="0"] img'
    expect(page.locator(page_image)).to_have_js_property("complete", True)
    drag(page, page_image, (0.02, 0.06), (0.9, 0.16))
    page.get_by_role("button", name="Release the redacted copy").click()
    expect(page.get_by_text("The redacted copy is released")).to_be_visible()
    expect(page.locator(page_image)).to_have_js_property("complete", True)
    assert page.locator(page_image).evaluate("img => img.naturalWidth") == 1240
    screenshot(page, "records-document-redacted")
    document.refresh_from_db()
    assert document.shared_file and len(document.shared_boxes) == 1


def swipe(page: Page, selector: str, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A finger moved across the picture, from and to fractions of its size (touch events)."""
    box = page.locator(selector).bounding_box()
    assert box
    cdp = page.context.new_cdp_session(page)

    def at(point: tuple[float, float]) -> list[dict[str, float]]:
        return [{"x": box["x"] + point[0] * box["width"], "y": box["y"] + point[1] * box["height"]}]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": at(start)})
    for step in range(1, 7):
        middle = tuple(a + (b - a) * step / 6 for a, b in zip(start, end, strict=True))
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": at(middle)})  # type: ignore[arg-type]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_on_a_touch_phone_a_finger_scrolls_until_drawing_is_switched_on(
    live_server: Any, browser: Any, patient: Any, coordinator: Any, password: str
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    case = patient.cases.get()
    name = default_storage.save(f"records/{case.pk}/documents/r.pdf", ContentFile(canary_pdf()))
    document = Document.objects.create(
        case=case, kind="pdf", original_name="report.pdf", file=name, size=1, sha256="0" * 64
    )
    sign_in(page, live_server.url, coordinator, password)
    page.goto(f"{live_server.url}/records/cases/{case.reference}/documents/{document.pk}/share/")
    page_image = '.mask-page[data-page="0"] img'
    expect(page.locator(page_image)).to_have_js_property("complete", True)
    count = page.locator("[data-masks-count]")
    page.locator(page_image).scroll_into_view_if_needed()
    swipe(page, page_image, (0.4, 0.6), (0.6, 0.1))
    expect(count).to_have_text("Boxes drawn: 0")  # the finger scrolled, it drew nothing

    draw = page.get_by_role("button", name="Draw boxes with a finger")
    draw.click()
    expect(draw).to_have_attribute("aria-pressed", "true")
    page.locator(page_image).scroll_into_view_if_needed()
    swipe(page, page_image, (0.05, 0.05), (0.9, 0.15))
    expect(count).to_have_text("Boxes drawn: 1")
    screenshot(page, "records-document-phone-drawing")
    context.close()
