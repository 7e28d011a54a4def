"""Attachments of the case's thread go through the records app: the same checks on what a file
is and how large, sealed with the case's key, stored as documents of the case; a refusal leaves
no message and no file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from oncoroute.cases.models import Case, Message
from oncoroute.records.content import RecordRefused
from oncoroute.records.models import Document
from oncoroute.records.services import message_with_attachments_send
from tests.records.conftest import stored_files

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% the report of Ivanova Maria\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def pdf(name: str = "MRI report.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def patient_client(client: Client, patient: Any) -> Client:
    client.force_login(patient)
    return client


def test_a_family_message_carries_its_files_sealed_into_the_records(
    patient_client: Client, patient_case: Case, coordinator: Any, media_root: Path
) -> None:
    url = reverse("patient_case_message", args=[patient_case.reference])
    response = patient_client.post(
        url, {"body": "The new report", "attachments": [pdf(), SimpleUploadedFile("x.png", PNG)]}
    )
    assert response.status_code == 302
    message = patient_case.messages.get()
    documents = list(message.attachments.order_by("pk"))
    assert [(d.kind, d.original_name, d.case_id) for d in documents] == [
        ("pdf", "MRI report.pdf", patient_case.pk),
        ("png", "x.png", patient_case.pk),
    ]
    on_disk = [(media_root / name).read_bytes() for name in stored_files(media_root)]
    assert len(on_disk) == 2 and not any(b"Ivanova" in data or data == PNG for data in on_disk)

    coordinator_client = Client()
    coordinator_client.force_login(coordinator)
    page = coordinator_client.get(reverse("coordinator_case", args=[patient_case.reference]))
    link = reverse("records_document", args=[patient_case.reference, documents[0].pk])
    assert link in page.content.decode()
    download = coordinator_client.get(link)
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


def test_files_alone_make_a_message(
    patient_client: Client, patient_case: Case, media_root: Path
) -> None:
    url = reverse("patient_case_message", args=[patient_case.reference])
    response = patient_client.post(url, {"body": "", "attachments": [pdf()]})
    assert response.status_code == 302
    assert patient_case.messages.get().attachments.count() == 1


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (SimpleUploadedFile("notes.txt", b"plain text"), "please attach a PDF"),
        (SimpleUploadedFile("disc.zip", b"PK\x03\x04" + b"\0" * 40), "Imaging discs"),
        (pdf(data=PDF + b"\0" * 2048), "too large"),
    ],
)
def test_a_refused_file_leaves_no_message_and_no_file(
    patient_client: Client,
    patient_case: Case,
    media_root: Path,
    settings: Any,
    upload: SimpleUploadedFile,
    reason: str,
) -> None:
    settings.RECORDS_MAX_DOCUMENT_BYTES = 1024
    url = reverse("patient_case_message", args=[patient_case.reference])
    response = patient_client.post(url, {"body": "Kept text", "attachments": [pdf(), upload]})
    assert response.status_code == 422
    page = response.content.decode()
    assert reason in page and "Kept text" in page
    assert not Message.objects.exists() and not Document.objects.exists()
    assert stored_files(media_root) == []


def test_an_overlong_message_with_files_stores_nothing(
    patient_case: Case, patient: Any, media_root: Path, settings: Any
) -> None:
    settings.MESSAGE_MAX_LENGTH = 5
    with pytest.raises(ValueError, match="at most 5 characters"):
        message_with_attachments_send(
            case=patient_case, author=patient, side="patient", body="Too long", files=[pdf()]
        )
    assert stored_files(media_root) == [] and not Document.objects.exists()


def test_more_than_five_files_are_refused(patient_case: Case, patient: Any) -> None:
    with pytest.raises(RecordRefused, match="At most 5"):
        message_with_attachments_send(
            case=patient_case,
            author=patient,
            side="patient",
            body="Many",
            files=[pdf(f"{n}.pdf") for n in range(6)],
        )
    assert not Message.objects.exists()


def test_the_refusal_reads_in_russian(patient_case: Case, patient: Any) -> None:
    with translation.override("ru"), pytest.raises(RecordRefused) as refusal:
        message_with_attachments_send(
            case=patient_case,
            author=patient,
            side="patient",
            body="",
            files=[SimpleUploadedFile("a.txt", b"text")],
        )
    assert "PDF" in str(refusal.value) and "прикрепить" in str(refusal.value)
