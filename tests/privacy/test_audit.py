"""The audit trail: one read event per health-data page, downloads, sign-ins, append-only."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from oncoroute.accounts.roles import Role
from oncoroute.cases.models import Case
from oncoroute.cases.services import case_note_add
from oncoroute.privacy.models import AuditEvent, AuditImmutable
from oncoroute.records.models import Document
from oncoroute.triage.services import case_triage_record
from tests.factories import PASSWORD
from tests.privacy.conftest import CANARY

pytestmark = pytest.mark.django_db
READ = AuditEvent.Action.READ


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


@pytest.fixture
def coordinator_client(client: Client, coordinator: Any) -> Client:
    client.force_login(coordinator)
    return client


@pytest.fixture
def triaged(canary_case: Case, coordinator: Any) -> Case:
    case_triage_record(case=canary_case, actor=coordinator, findings={"primary": "breast"})
    return canary_case


@pytest.mark.parametrize(
    "name",
    [
        "coordinator_case",
        "case_findings",
        "case_triage_print",
        "case_triage_history",
        "records_case_panel",
    ],
)
def test_each_coordinator_health_data_page_writes_exactly_one_read_event(
    coordinator_client: Client, coordinator: Any, triaged: Case, name: str
) -> None:
    before = AuditEvent.objects.count()
    response = coordinator_client.get(reverse(name, args=[triaged.reference]))
    assert response.status_code == 200
    reads = _events(READ)
    assert len(reads) == 1
    assert AuditEvent.objects.count() == before + 1
    (event,) = reads
    assert (event.actor_id, event.actor_role) == (coordinator.pk, "coordinator")
    assert (event.object_type, event.object_id) == ("cases.case", str(triaged.pk))
    assert event.outcome == "ok" and event.address == "127.0.0.1"
    assert event.request_id == response["X-Request-ID"]


def test_the_patient_page_writes_one_read_event(
    client: Client, patient: Any, patient_case: Case
) -> None:
    client.force_login(patient)
    assert client.get(reverse("patient_case", args=[patient_case.reference])).status_code == 200
    assert [(e.actor_id, e.actor_role) for e in _events(READ)] == [(patient.pk, "patient")]


def test_a_document_download_writes_one_download_event_and_no_read(
    client: Client, patient: Any, patient_case: Case
) -> None:
    name = default_storage.save(
        f"records/{patient_case.pk}/documents/r.pdf", ContentFile(b"%PDF-1")
    )
    document = Document.objects.create(
        case=patient_case, kind="pdf", original_name="r.pdf", file=name, size=6, sha256="0" * 64
    )
    client.force_login(patient)
    response = client.get(reverse("records_document", args=[patient_case.reference, document.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1"  # type: ignore[attr-defined]
    assert not _events(READ)
    (download,) = _events(AuditEvent.Action.DOWNLOAD)
    assert (download.object_type, download.object_id) == ("records.document", str(document.pk))


def test_another_patients_case_is_a_refusal_in_the_trail(
    client: Client, patient: Any, other_case: Case
) -> None:
    client.force_login(patient)
    assert client.get(reverse("patient_case", args=[other_case.reference])).status_code == 404
    (denied,) = _events(AuditEvent.Action.DENIED)
    assert denied.outcome == "denied" and denied.actor_id == patient.pk


def test_sign_ins_and_failures_are_recorded(client: Client, patient: Any) -> None:
    from django.contrib.auth import authenticate

    authenticate(username=patient.username, password="wrong-password-here")
    client.login(username=patient.username, password=PASSWORD)
    assert _events(AuditEvent.Action.SIGN_IN_FAILED)
    assert [e.actor_id for e in _events(AuditEvent.Action.SIGN_IN)] == [patient.pk]


def test_group_changes_are_recorded(patient: Any) -> None:
    patient.groups.add(Group.objects.get_or_create(name=Role.COORDINATOR)[0])
    event = AuditEvent.objects.filter(action=AuditEvent.Action.PERMISSION).latest("pk")
    assert event.object_id == str(patient.pk)
    assert event.detail == {"change": "add", "groups": ["coordinator"]}


def test_write_diffs_mask_health_fields_and_never_hold_a_value(
    canary_case: Case, coordinator: Any
) -> None:
    case_note_add(case=canary_case, actor=coordinator, text=f"{CANARY} note")
    case = Case.objects.get(pk=canary_case.pk)
    case.message = f"{CANARY} changed"
    case.state = "in_review"
    case.save()
    update = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).latest("pk")
    assert update.detail["changes"]["message"] == "***"
    assert update.detail["changes"]["state"] == ["new", "in_review"]
    created = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_type="cases.case")
    assert created.get().detail["changes"]["full_name"] == "***"
    for event in AuditEvent.objects.all():
        assert CANARY not in repr(event.detail)


def test_an_audit_event_cannot_be_changed_or_deleted(patient_case: Case) -> None:
    event = AuditEvent.objects.create(action=AuditEvent.Action.READ, object_id="1")
    event.object_id = "2"
    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        event.delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(object_id="3")
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE privacy_auditevent SET object_id = 'x'",
        "DELETE FROM privacy_auditevent",
    ],
)
def test_the_database_itself_refuses_changes_to_the_audit_table(sql: str, db: None) -> None:
    AuditEvent.objects.create(action=AuditEvent.Action.READ, object_id="1")
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.filter(object_id="1").exists()


def test_the_admin_review_page_is_read_only_with_filters(rf: Any) -> None:
    from django.contrib import admin

    from oncoroute.accounts.models import User

    model_admin = admin.site._registry[AuditEvent]
    request = rf.get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert {"action", "outcome", "actor_role"} <= set(map(str, model_admin.list_filter))
