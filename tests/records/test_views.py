from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from oncoroute.records.models import Document, Series, Study, Upload
from oncoroute.records.tasks import study_deidentify
from tests.records.conftest import partial_files, stored_files
from tests.records.helpers import PDF, draw_previews, upload_bytes
from tests.records.studies import study_zip

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def start(client: Client, case: Any, size: int, name: str = "report.pdf") -> Any:
    url = reverse("records_upload_start", args=[case.reference])
    return client.post(url, {"filename": name, "size": size})


def send(client: Client, upload: dict[str, Any], data: bytes, start: int, total: int) -> Any:
    end = start + len(data) - 1
    return client.post(
        upload["urls"]["chunk"],
        data=data,
        content_type="application/octet-stream",
        headers={"Content-Range": f"bytes {start}-{end}/{total}"},
    )


def test_an_upload_resumes_from_the_offset_the_server_reports(
    patient: Any, patient_case: Any, media_root: Path
) -> None:
    client = signed_in(patient)
    data = PDF * 50
    upload = start(client, patient_case, len(data)).json()
    half = len(data) // 2
    assert send(client, upload, data[:half], 0, len(data)).json()["received"] == half
    # The page was closed; later it asks how far the upload got and sends the rest.
    received = client.get(upload["urls"]["status"]).json()["received"]
    assert received == half
    assert send(client, upload, data[received:], received, len(data)).status_code == 200
    done = client.post(upload["urls"]["complete"])
    assert done.status_code == 200
    document = Document.objects.get()
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert partial_files(media_root) == []


def test_the_same_document_sent_again_is_kept_once(
    patient: Any, patient_case: Any, media_root: Path
) -> None:
    client = signed_in(patient)
    answers = []
    for _ in range(2):
        upload = start(client, patient_case, len(PDF)).json()
        send(client, upload, PDF, 0, len(PDF))
        answers.append(client.post(upload["urls"]["complete"]).json())
    assert answers[0]["message"] == "Stored."
    assert answers[1]["message"] == "Already here: this file was uploaded before."
    assert Document.objects.count() == 1 and len(stored_files(media_root)) == 1
    assert partial_files(media_root) == []


def test_a_chunk_at_the_wrong_offset_gets_the_right_one_back(
    patient: Any, patient_case: Any
) -> None:
    client = signed_in(patient)
    upload = start(client, patient_case, len(PDF)).json()
    send(client, upload, PDF[:10], 0, len(PDF))
    answer = send(client, upload, PDF[20:], 20, len(PDF))
    assert answer.status_code == 409
    assert answer.json()["received"] == 10


def test_a_cancelled_upload_leaves_nothing(
    patient: Any, patient_case: Any, media_root: Path
) -> None:
    client = signed_in(patient)
    upload = start(client, patient_case, len(PDF)).json()
    send(client, upload, PDF[:10], 0, len(PDF))
    assert client.delete(upload["urls"]["status"]).json()["state"] == "cancelled"
    assert partial_files(media_root) == []
    assert stored_files(media_root) == []
    assert send(client, upload, PDF[10:], 10, len(PDF)).status_code == 409
    assert client.post(upload["urls"]["complete"]).status_code == 409
    assert Document.objects.count() == 0


def test_a_file_of_a_kind_not_taken_is_refused_at_its_first_chunk(
    patient: Any, patient_case: Any, media_root: Path
) -> None:
    client = signed_in(patient)
    data = b"MZ" + b"\x00" * (3 * 1024 * 1024)  # a program, not a report
    upload = start(client, patient_case, len(data), name="scan.pdf").json()
    answer = send(client, upload, data[: 1024 * 1024], 0, len(data))
    assert answer.status_code == 422
    assert "not accepted" in answer.json()["error"]
    assert Upload.objects.get().state == Upload.State.FAILED
    assert partial_files(media_root) == []
    assert client.post(upload["urls"]["complete"]).status_code == 409


def test_a_chunk_without_a_range_is_a_bad_request(patient: Any, patient_case: Any) -> None:
    client = signed_in(patient)
    upload = start(client, patient_case, len(PDF)).json()
    answer = client.post(upload["urls"]["chunk"], data=PDF, content_type="application/octet-stream")
    assert answer.status_code == 400


def test_the_case_pages_show_the_records_card(
    patient: Any, patient_case: Any, coordinator: Any
) -> None:
    upload_bytes(case=patient_case, actor=patient, data=PDF, filename="mri-report.pdf")
    for user, url_name in [(patient, "patient_case"), (coordinator, "coordinator_case")]:
        page = signed_in(user).get(reverse(url_name, args=[patient_case.reference]))
        assert page.status_code == 200
        assert b"Medical records" in page.content
        assert b"data-records-upload" in page.content
        assert b"mri-report.pdf" in page.content


@pytest.fixture
def study(patient: Any, patient_case: Any, tmp_path: Path) -> Study:
    archive, _ = study_zip(tmp_path, n_slices=4)
    upload_bytes(case=patient_case, actor=patient, data=archive.read_bytes())
    study_deidentify.call(study_id=Study.objects.get().pk)
    draw_previews()
    return Study.objects.get()


def _record_urls(case: Any, study: Study) -> list[str]:
    series = Series.objects.filter(study=study).first()
    assert series is not None
    return [
        reverse("records_case_panel", args=[case.reference]),
        reverse("records_series_preview", args=[case.reference, series.pk]),
        reverse("records_study_archive", args=[case.reference, study.pk]),
    ]


def test_the_owner_and_coordinators_read_previews_and_the_copy(
    patient: Any, coordinator: Any, patient_case: Any, study: Study
) -> None:
    panel, preview, archive = _record_urls(patient_case, study)
    for user in (patient, coordinator):
        client = signed_in(user)
        assert b"Shareable copy ready" in client.get(panel).content
        answer = client.get(preview)
        assert answer["Content-Type"] == "image/png"
        assert b"".join(answer.streaming_content).startswith(b"\x89PNG")
        answer = client.get(archive)
        assert answer["Content-Type"] == "application/zip"
        assert "deidentified.zip" in answer["Content-Disposition"]


def test_another_patient_gets_404(
    other_patient: Any, patient: Any, patient_case: Any, study: Study
) -> None:
    client = signed_in(other_patient)
    for url in _record_urls(patient_case, study):
        assert client.get(url).status_code == 404
    assert start(client, patient_case, 10).status_code == 404
    upload = Upload.objects.get()
    assert client.get(reverse("records_upload", args=[upload.pk])).status_code == 404


def test_a_clinic_doctor_gets_403(clinic_doctor: Any, patient_case: Any, study: Study) -> None:
    client = signed_in(clinic_doctor)
    for url in _record_urls(patient_case, study):
        assert client.get(url).status_code == 403
    assert start(client, patient_case, 10).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(patient_case: Any, study: Study) -> None:
    client = Client()
    for url in _record_urls(patient_case, study):
        answer = client.get(url)
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("login"))
    assert start(client, patient_case, 10).status_code == 302


def test_only_the_person_who_started_an_upload_may_continue_it(
    patient: Any, coordinator: Any, patient_case: Any
) -> None:
    upload = start(signed_in(patient), patient_case, len(PDF)).json()
    assert signed_in(coordinator).get(upload["urls"]["status"]).status_code == 404


def test_a_coordinator_can_retry_a_failed_copy(
    coordinator: Any, patient_case: Any, study: Study
) -> None:
    Study.objects.filter(pk=study.pk).update(deid_state=Study.Deid.FAILED)
    url = reverse("records_study_deid_retry", args=[patient_case.reference, study.pk])
    assert signed_in(coordinator).post(url).status_code == 302
    assert Study.objects.get().deid_state == Study.Deid.QUEUED


def test_an_account_may_hold_only_so_many_unfinished_uploads(
    patient: Any, patient_case: Any, coordinator: Any, settings: Any, media_root: Path
) -> None:
    settings.RECORDS_MAX_OPEN_UPLOADS = 2
    client = signed_in(patient)
    first = start(client, patient_case, 100).json()
    assert start(client, patient_case, 100).status_code == 201
    answer = start(client, patient_case, 100)
    assert answer.status_code == 422
    assert "2 unfinished uploads" in answer.json()["error"]
    assert Upload.objects.count() == 2
    assert len(partial_files(media_root)) == 2
    # The limit is the account's: another person is not held up, and cancelling frees a place.
    assert start(signed_in(coordinator), patient_case, 100).status_code == 201
    client.delete(first["urls"]["status"])
    assert start(client, patient_case, 100).status_code == 201


def test_an_account_may_reserve_only_so_many_bytes_for_unfinished_uploads(
    patient: Any, patient_case: Any, settings: Any, media_root: Path
) -> None:
    settings.RECORDS_MAX_OPEN_UPLOAD_BYTES = 1000
    client = signed_in(patient)
    assert start(client, patient_case, 600).status_code == 201
    answer = start(client, patient_case, 500)
    assert answer.status_code == 422
    assert "1000 bytes" in answer.json()["error"]
    assert Upload.objects.count() == 1
    assert len(partial_files(media_root)) == 1
    # A finished upload no longer holds its bytes.
    upload = Upload.objects.get()
    upload_bytes(case=patient_case, actor=patient, data=PDF)
    assert start(client, patient_case, 1000 - upload.size).status_code == 201
