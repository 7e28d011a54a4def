from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Locator, Page, expect

from oncoroute.records.models import Document, Instance, Study, Upload
from tests.browser.conftest import assert_no_sideways_scroll, screenshot, sign_in, use_language
from tests.records.studies import study_zip

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def records_settings(records_media: None, settings: Any) -> None:
    # Small parts, so that even a small study goes up in many chunks.
    settings.RECORDS_CHUNK_BYTES = 32 * 1024


def disk_full(*_args: Any) -> str:
    raise OSError(28, "No space left on device")


def records_in_russian(page: Page, url: str, patient: Any, password: str) -> Locator:
    """The patient's records card, signed in, in Russian."""
    sign_in(page, url, patient, password)
    use_language(page, url, "ru")
    page.reload()
    return page.locator("#records")


def test_a_patient_uploads_a_study_zip_and_sees_its_previews(
    live_server: Any, page: Page, patient: Any, patient_case: Any, password: str, tmp_path: Path
) -> None:
    archive, _ = study_zip(tmp_path, n_slices=12)
    sign_in(page, live_server.url, patient, password)
    expect(page.get_by_role("heading", level=1)).to_contain_text(patient_case.reference)
    card = page.locator("#records")
    expect(card.get_by_text("No imaging studies yet.")).to_be_visible()
    screenshot(page, "records-01-empty")

    card.get_by_label("Add reports and scans").set_input_files(str(archive))
    slow = page.context.new_cdp_session(page)
    slow.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 8192},
    )
    card.get_by_role("button", name="Upload").click()
    row = card.locator("li.upload")
    expect(row.locator(".percent")).not_to_have_text("0%")
    screenshot(page, "records-02-uploading")
    slow.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    # The disc is unpacked and indexed by the worker, not in the request; the row follows it.
    expect(row.locator(".status")).to_contain_text("unpacked and indexed", timeout=30_000)
    assert Instance.objects.count() == 0
    screenshot(page, "records-03-indexing")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    expect(row.locator(".status")).to_contain_text("Stored 12 image files", timeout=30_000)
    expect(row.locator("progress")).to_have_attribute("value", "100")
    expect(row.locator(".percent")).to_have_text("100%")
    screenshot(page, "records-03-uploaded")
    assert Instance.objects.count() == 12

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    # The panel polls while the copy is being made and shows it when ready.
    expect(card.get_by_text("Shareable copy ready")).to_be_visible(timeout=10_000)
    previews = card.locator(".series-grid img")
    expect(previews).to_have_count(2)
    for index in range(2):
        # decode() waits for the image to load: `complete` alone raced the request.
        loaded_width = "img => img.decode().then(() => img.naturalWidth)"
        assert previews.nth(index).evaluate(loaded_width) == 64
    expect(card.get_by_role("link", name="De-identified ZIP")).to_be_visible()
    card.scroll_into_view_if_needed()
    screenshot(page, "records-04-previews")
    assert Study.objects.get().deid_state == Study.Deid.DONE

    page.reload()
    expect(page.locator("ol.timeline")).to_contain_text("Medical records uploaded")
    expect(page.locator("ol.timeline")).to_contain_text("Imaging study de-identified")
    screenshot(page, "records-06-timeline")


def test_a_refused_file_says_why_on_a_phone(
    live_server: Any,
    phone_page: Page,
    patient: Any,
    patient_case: Any,
    password: str,
    tmp_path: Path,
) -> None:
    fake = tmp_path / "scan.pdf"
    fake.write_bytes(b"this is not a PDF at all " * 200_000)  # 5 MB, more than one part
    sign_in(phone_page, live_server.url, patient, password)
    card = phone_page.locator("#records")
    ranges: list[str] = []
    phone_page.on("request", lambda r: ranges.append(r.headers.get("content-range", "")))
    card.get_by_label("Add reports and scans").set_input_files(str(fake))
    card.get_by_role("button", name="Upload").click()
    expect(card.locator("li.upload.failed")).to_contain_text("not accepted")
    # Refused at its first small part, not after all of it was sent.
    assert [r for r in ranges if r] == [f"bytes 0-{64 * 1024 - 1}/{len(fake.read_bytes())}"]
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone"
    screenshot(phone_page, "records-05-phone-refused")


def test_a_coordinator_sees_the_study_beside_the_request(
    live_server: Any, page: Page, coordinator: Any, patient: Any, password: str, tmp_path: Path
) -> None:
    from oncoroute.records.tasks import study_deidentify
    from tests.records.helpers import PDF, draw_previews, upload_bytes

    case = patient.cases.get()
    archive, _ = study_zip(tmp_path, n_slices=6)
    upload_bytes(case=case, actor=patient, data=archive.read_bytes(), filename="cd.zip")
    upload_bytes(case=case, actor=patient, data=PDF, filename="mri-report.pdf")
    study_deidentify.call(study_id=Study.objects.get().pk)
    draw_previews()
    sign_in(page, live_server.url, coordinator, password)
    page.goto(f"{live_server.url}/coordinator/cases/{case.reference}/")
    card = page.locator("#records")
    expect(card.locator(".series-grid img")).to_have_count(2)
    expect(card.get_by_role("link", name="mri-report.pdf")).to_be_visible()
    card.get_by_role("link", name="De-identified ZIP").focus()
    screenshot(page, "records-07-coordinator")


def test_a_full_store_says_so_in_russian_and_the_same_file_finishes_later(
    live_server: Any,
    phone_page: Page,
    patient: Any,
    patient_case: Any,
    password: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from oncoroute.records import services
    from tests.records.helpers import PDF

    report = tmp_path / "mri-report.pdf"
    report.write_bytes(PDF * 40)
    real_store = services.store_stream
    card = records_in_russian(phone_page, live_server.url, patient, password)
    monkeypatch.setattr(services, "store_stream", disk_full)
    card.locator("input[type=file]").set_input_files(str(report))
    card.locator("button[type=submit]").click()
    expect(card.locator("li.upload.failed")).to_contain_text("Ничего из отправленного не потеряно")
    assert_no_sideways_scroll(phone_page, "records-08-phone-store-full")
    screenshot(phone_page, "records-08-phone-store-full")

    # The storage is back: the same file, chosen again, is completed without sending it again.
    monkeypatch.setattr(services, "store_stream", real_store)
    card.locator("input[type=file]").set_input_files(str(report))
    card.locator("button[type=submit]").click()
    expect(card.locator("li.upload.done")).to_have_count(1, timeout=15_000)
    assert Upload.objects.count() == 1
    assert Document.objects.get().size == len(PDF * 40)
    screenshot(phone_page, "records-09-phone-stored-later")


def test_a_disc_that_meets_a_full_store_waits_and_is_stored_when_there_is_room(
    live_server: Any,
    phone_page: Page,
    patient: Any,
    patient_case: Any,
    password: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from oncoroute.records import services

    archive, _ = study_zip(tmp_path, n_slices=6)
    real_store = services.store_file
    card = records_in_russian(phone_page, live_server.url, patient, password)
    card.locator("input[type=file]").set_input_files(str(archive))
    card.locator("button[type=submit]").click()
    row = card.locator("li.upload")
    expect(row.locator(".status")).to_contain_text("Диск распаковывается", timeout=30_000)
    monkeypatch.setattr(services, "store_file", disk_full)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    expect(row.locator(".status")).to_contain_text("диск будет распакован автоматически")
    assert Upload.objects.get().state == Upload.State.PROCESSING
    assert_no_sideways_scroll(phone_page, "records-10-phone-disc-waits")
    screenshot(phone_page, "records-10-phone-disc-waits")
    phone_page.reload()  # the family comes back later: the disc is still there, waiting
    expect(card.locator("#records-panel")).to_contain_text("диск будет распакован автоматически")

    # Room again: the disc, still waiting, is queued once more (as the hourly clean-up or the
    # page's own question would) and stored without being sent again.
    monkeypatch.setattr(services, "store_file", real_store)
    assert services.uploads_resume_stalled(older_than=timedelta(0)) == 1
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    expect(card.locator(".series-grid li")).to_have_count(2, timeout=10_000)
    assert Instance.objects.count() == 6
    screenshot(phone_page, "records-11-phone-disc-stored")
