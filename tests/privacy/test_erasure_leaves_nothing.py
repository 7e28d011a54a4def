"""After an approved erasure no value of the erased case can be found, or recomputed with the
keys the service keeps, anywhere in the database (every table and column, the task queue and
sessions included) or in the media folder; the audit trail keeps times, actions and ids."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.sessions.models import Session
from django.db import DatabaseError, IntegrityError, models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oncoroute.accounts.models import User
from oncoroute.accounts.services import email_verify
from oncoroute.cases.models import Case
from oncoroute.cases.services import case_note_add
from oncoroute.privacy.audit import audit_rewritable, login_pseudonym
from oncoroute.privacy.keys import blind_index
from oncoroute.privacy.models import AuditEvent, ErasureRequest, ErasureTombstone
from oncoroute.records.models import Document, Upload
from oncoroute.triage.services import case_triage_record
from tests.factories import PASSWORD
from tests.privacy.conftest import CANARY
from tests.privacy.stored import found_in_database, found_in_files

pytestmark = pytest.mark.django_db
CLINICAL = Path(__file__).resolve().parents[1] / "clinical" / "cases"

NAME = "Quilla Vantreese"
EMAIL = "quilla.vantreese@erasure.example"
PHONE = "+97699112233"
INTAKE_ADDRESS = "192.0.2.201"
PATIENT_ADDRESS = "192.0.2.202"
GUESSER_ADDRESS = "192.0.2.203"
FILE_NAME = "Vantreese-MRI-report.pdf"
PDF = f"%PDF-1.7\n% {CANARY} report\n%%EOF\n".encode()
# Short codes are searched as whole values or JSON leaves: none is stored before the case.
EXACT = {
    "urgency": "emergency_mscc",
    "country": "MN",
    "language": "ru",
    "writer_role": "relative",
    "primary_cancer": "kidney",
    "sins_band": "unstable",
}


def _request(client: Client) -> Case:
    token = uuid.uuid4()
    response = client.post(
        "/",
        {
            "submission_token": str(token),
            "full_name": NAME,
            "email": EMAIL,
            "phone": PHONE,
            "country": EXACT["country"],
            "language": EXACT["language"],
            "writer_role": EXACT["writer_role"],
            "patient_name": f"{CANARY} Patientname",
            "patient_age": "58",
            "patient_sex": "M",
            "primary_cancer": EXACT["primary_cancer"],
            "spine_regions": ["thoracic"],
            "warning_signs": ["limb_weakness"],
            "current_treatment": f"{CANARY} current",
            "past_treatment": f"{CANARY} past",
            "message": f"{CANARY} message",
            "wants": ["online_consultation"],
            "consent": "on",
        },
    )
    assert response.status_code == 302, response
    return Case.objects.get(submission_token=token)


def _signed_in_patient(case: Case) -> tuple[User, Client]:
    patient = case.patient
    assert patient is not None
    patient.set_password(PASSWORD)
    patient.save()
    email_verify(user=patient)
    client = Client(REMOTE_ADDR=PATIENT_ADDRESS)
    response = client.post(reverse("login"), {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    return patient, client


def _upload(client: Client, case: Case) -> Document:
    start = reverse("records_upload_start", args=[case.reference])
    upload = client.post(start, {"filename": FILE_NAME, "size": len(PDF)}).json()
    client.post(
        upload["urls"]["chunk"],
        data=PDF,
        content_type="application/octet-stream",
        headers={"Content-Range": f"bytes 0-{len(PDF) - 1}/{len(PDF)}"},
    )
    assert client.post(upload["urls"]["complete"]).status_code == 200
    return Document.objects.get(case=case)


def _patient_uses_the_service(client: Client, case: Case) -> Document:
    assert client.get(reverse("patient_case", args=[case.reference])).status_code == 200
    document = _upload(client, case)
    assert client.get(reverse("records_case_panel", args=[case.reference])).status_code == 200
    download = client.get(reverse("records_document", args=[case.reference, document.pk]))
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    export = client.get(reverse("my_data_export"))
    b"".join(export.streaming_content)  # type: ignore[attr-defined]
    return document


def _others_touch_the_case(case: Case, coordinator: User, other_patient: User) -> None:
    findings = json.loads((CLINICAL / "02_lung_mscc_emergency.json").read_text())["findings"]
    case_triage_record(case=case, actor=coordinator, findings=findings)
    case_note_add(case=case, actor=coordinator, text=f"{CANARY} note")
    staff = Client()
    staff.force_login(coordinator)
    assert staff.get(reverse("coordinator_case", args=[case.reference])).status_code == 200
    LogEntry.objects.log_actions(
        user_id=coordinator.pk, queryset=[case], action_flag=CHANGE, change_message="[]"
    )
    prober = Client()
    prober.force_login(other_patient)
    assert prober.get(reverse("patient_case", args=[case.reference])).status_code == 404
    guesser = Client(REMOTE_ADDR=GUESSER_ADDRESS)
    guesser.post(reverse("login"), {"login": EMAIL, "password": "a-wrong-guess-1"})


def _values_of(case: Case, patient: User, document: Document) -> set[str]:
    """Every value of the case, and what the kept keys would recompute from them."""
    stored = Case.objects.filter(pk=case.pk).values().get()
    upload = Upload.objects.get(case=case)
    return {
        NAME,
        EMAIL,
        PHONE,
        PHONE[-8:],
        CANARY,
        FILE_NAME,
        INTAKE_ADDRESS,
        PATIENT_ADDRESS,
        GUESSER_ADDRESS,
        str(case.reference),
        str(case.submission_token),
        case.submission_token.hex,
        stored["source_address_hash"],
        stored["primary_cancer_index"],
        blind_index("primary_cancer", EXACT["primary_cancer"]),
        login_pseudonym(EMAIL),
        document.sha256,
        hashlib.sha256(PDF).hexdigest(),
        upload.sha256,
        patient.username,
    } - {""}


def _rows_naming(user_id: int) -> list[str]:
    """Rows that still link the erased account's id to anything."""
    rows = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.related_model is User
        and model._base_manager.filter(**{field.name: user_id}).exists()
    ]
    audit = AuditEvent.objects.all()
    rows += [f"audit actor {e.pk}" for e in audit if e.actor_id == user_id]
    rows += [
        f"audit object {e.pk}"
        for e in audit
        if (e.object_type, e.object_id) == ("accounts.user", str(user_id))
    ]
    rows += [
        f"audit detail {e.pk}"
        for e in audit
        for name in ("patient", "uploaded_by")
        if e.detail.get("changes", {}).get(name) not in (None, "***")
    ]
    rows += [
        f"session {s.pk}"
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(user_id)
    ]
    return rows


def test_no_value_of_an_erased_case_is_left_anywhere(
    coordinator: Any,
    other_patient: Any,
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert not found_in_database(within=[], exactly=EXACT.values())
    # Someone tries the address before it has an account: the trail keeps its pseudonym.
    Client(REMOTE_ADDR=GUESSER_ADDRESS).post(reverse("login"), {"login": EMAIL, "password": "x1"})
    with django_capture_on_commit_callbacks(execute=True):
        case = _request(Client(REMOTE_ADDR=INTAKE_ADDRESS))
    patient, client = _signed_in_patient(case)
    document = _patient_uses_the_service(client, case)
    _others_touch_the_case(case, coordinator, other_patient)
    values = _values_of(case, patient, document)
    before = found_in_database(within=values, exactly=EXACT.values())
    plain = {NAME, EMAIL, str(case.reference), document.sha256, login_pseudonym(EMAIL)}
    assert plain <= {value for _, value in before}
    assert client.post(reverse("erasure_request_create")).status_code == 302
    request = ErasureRequest.objects.get()
    staff = Client()
    staff.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        approve = reverse("erasure_request_approve", args=[request.pk])
        assert staff.post(approve).status_code == 302

    assert not Case.objects.filter(pk=case.pk).exists()
    assert found_in_database(within=values, exactly=EXACT.values()) == set()
    assert found_in_files(media_root, values | {*EXACT.values()} - {"ru", "MN"}) == set()
    assert _rows_naming(patient.pk) == []
    # What is kept is what the tombstone says: who of the staff saw the case, by ids.
    tombstone = ErasureTombstone.objects.get()
    assert "account id and addresses" in tombstone.kept[0]["what"]
    kept = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
    assert kept.filter(actor_id=coordinator.pk, action=AuditEvent.Action.READ).exists()
    assert AuditEvent.objects.filter(object_id=request.subject_ref).exists()


def test_only_erasure_rewrites_the_trail_and_only_who_and_where(db: None) -> None:
    event = AuditEvent.objects.create(action="read", actor_id=7, address="192.0.2.9", object_id="1")
    rows = models.QuerySet(AuditEvent).filter(pk=event.pk)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        rows.update(actor_id=None)
    with audit_rewritable():
        rows.update(actor_id=None, address=None, object_id="S-1", detail={})
    for change in ({"action": "delete"}, {"at": timezone.now()}, {"outcome": "denied"}):
        with pytest.raises((IntegrityError, DatabaseError)), audit_rewritable():
            rows.update(**change)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        rows.update(address="192.0.2.9")  # the permission ended with the block
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor_id, event.address, event.object_id) == (None, None, "S-1")
    assert (event.action, event.outcome) == ("read", "ok")
