"""Download my data (everything of mine, nothing of others) and erasure by crypto-shredding."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case
from oncoroute.cases.services import case_note_add
from oncoroute.privacy.erasure import ErasureNotAllowed, erasure_approve, erasure_request
from oncoroute.privacy.keys import KeyDestroyed, unwrap
from oncoroute.privacy.models import AuditEvent, DataKey, ErasureTombstone
from oncoroute.records.models import Document
from oncoroute.triage.services import case_triage_record
from tests.factories import PASSWORD
from tests.privacy.conftest import CANARY, all_tables_text

pytestmark = pytest.mark.django_db


def _document(case: Case, content: bytes) -> Document:
    name = default_storage.save(f"records/{case.pk}/documents/d.pdf", ContentFile(content))
    return Document.objects.create(
        case=case, kind="pdf", original_name="scan.pdf", file=name, size=len(content), sha256="0"
    )


@pytest.fixture
def canary_patient(canary_case: Case) -> User:
    user = canary_case.patient
    user.set_password(PASSWORD)
    user.save()
    return user


def test_the_export_holds_all_of_the_patients_data_and_nobody_elses(
    client: Client, canary_patient: User, canary_case: Case, other_case: Case, coordinator: Any
) -> None:
    case_triage_record(case=canary_case, actor=coordinator, findings={"primary": "breast"})
    _document(canary_case, f"%PDF {CANARY} file".encode())
    _document(other_case, b"%PDF other patient's file")
    client.force_login(canary_patient)
    response = client.get(reverse("my_data_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    data = json.loads(archive.read("data.json"))
    (case,) = data["cases"]
    assert case["reference"] == canary_case.reference
    assert case["message"] == f"{CANARY} message"
    assert case["clinical_findings"][0]["findings"] == {"primary": "breast"}
    assert "report" not in json.dumps(case["clinical_findings"])
    files = [n for n in archive.namelist() if n.startswith("files/")]
    assert len(files) == 1
    assert archive.read(files[0]) == f"%PDF {CANARY} file".encode()
    everything = b"".join(archive.read(n) for n in archive.namelist())
    assert other_case.reference.encode() not in everything
    assert b"other patient" not in everything and b"Otto Ther" not in everything
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TRANSFER).count() == 1


def test_erasure_needs_a_coordinators_approval(canary_patient: User) -> None:
    request = erasure_request(patient=canary_patient)
    with pytest.raises(ErasureNotAllowed):
        erasure_approve(request=request, approver=canary_patient)


def test_after_erasure_the_canary_is_gone_from_every_table_and_from_storage(
    canary_patient: User,
    canary_case: Case,
    coordinator: Any,
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case_triage_record(case=canary_case, actor=coordinator, findings={"primary": "breast"})
    case_note_add(case=canary_case, actor=coordinator, text=f"{CANARY} note")
    document = _document(canary_case, f"%PDF {CANARY} file".encode())
    stored = media_root / document.file
    data_key = DataKey.objects.get(pk=canary_case.data_key_id)
    request = erasure_request(patient=canary_patient)
    with django_capture_on_commit_callbacks(execute=True):
        tombstone = erasure_approve(request=request, approver=coordinator)
    assert not stored.exists()
    assert not any(CANARY.encode() in p.read_bytes() for p in media_root.rglob("*") if p.is_file())
    text = all_tables_text()
    assert CANARY not in text
    assert "Cana Ry" not in text and "canary@test.example" not in text
    assert not Case.objects.filter(pk=canary_case.pk).exists()
    data_key.refresh_from_db()
    with pytest.raises(KeyDestroyed):
        unwrap(data_key)
    assert tombstone == ErasureTombstone.objects.get(subject_ref=request.subject_ref)
    assert tombstone.cases_erased == 1 and tombstone.files_erased == 1
    assert all(item["reason"] for item in tombstone.kept)
    # The trail of who saw the case stays, by ids only.
    assert AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(canary_case.pk)
    ).exists()


def test_the_privacy_page_lists_consents_with_a_one_click_withdraw(
    client: Client, canary_patient: User, canary_case: Case
) -> None:
    client.force_login(canary_patient)
    page = client.get(reverse("my_privacy")).content.decode()
    consent = canary_case.consents.get()
    assert reverse("consent_withdraw", args=[consent.pk]) in page
    response = client.post(reverse("consent_withdraw", args=[consent.pk]))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
