"""What docs/privacy.md promises the audit trail holds: queue views and searches, refusals by
role, refused second-factor codes, sign-ins the limiter stopped, whom failed sign-ins aimed at,
and another case's file asked for under one's own reference."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from oncoroute.cases.models import Case
from oncoroute.cases.selectors import QueueFilters, case_queue
from oncoroute.privacy.audit import login_pseudonym
from oncoroute.privacy.breaches import security_alerts_check
from oncoroute.privacy.models import AuditEvent, SecurityAlert
from oncoroute.records.models import Document
from tests.factories import PASSWORD, totp_code
from tests.signin import sign_in

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
ADDRESS = "203.0.113.61"


def _events(action: str, **where: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **where).order_by("pk"))


def _trail() -> str:
    return "\n".join(f"{e.object_id} {e.address} {e.detail}" for e in AuditEvent.objects.all())


def _login(email: str, password: str) -> Any:
    client = Client(REMOTE_ADDR=ADDRESS)
    return client.post(reverse("login"), {"login": email, "password": password})


def test_a_queue_view_is_a_read_naming_its_filters(client: Client, coordinator: Any) -> None:
    client.force_login(coordinator)
    assert client.get(reverse("coordinator_queue"), {"country": "KZ"}).status_code == 200
    (event,) = _events(Action.READ, object_type="cases.queue")
    assert (event.actor_id, event.actor_role) == (coordinator.pk, "coordinator")
    assert event.detail == {"filters": ["country"]}


def test_a_name_search_is_a_read_that_keeps_no_name(coordinator: Any, patient_case: Case) -> None:
    list(case_queue(user=coordinator, filters=QueueFilters(search="Pat Ient")))
    (event,) = _events(Action.READ, object_type="cases.queue")
    assert event.detail == {"filters": ["search"]}
    assert "Ient" not in _trail()


def test_a_refusal_for_want_of_a_role_is_audited_and_counted(
    settings: Any, patient: Any, clinic_doctor: Any, patient_case: Case
) -> None:
    settings.SECURITY_ALERT_DENIALS = 3
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(patient)
    assert client.get(reverse("coordinator_queue")).status_code == 403
    assert client.get(reverse("erasure_requests")).status_code == 403
    doctor = Client(REMOTE_ADDR=ADDRESS)
    doctor.force_login(clinic_doctor)
    panel = reverse("records_case_panel", args=[patient_case.reference])
    assert doctor.get(panel).status_code == 403
    denied = _events(Action.DENIED)
    assert [(e.actor_id, e.object_type, e.object_id) for e in denied] == [
        (patient.pk, "view", "coordinator_queue"),
        (patient.pk, "view", "erasure_requests"),
        (clinic_doctor.pk, "view", "records_case_panel"),
    ]
    assert {e.outcome for e in denied} == {"denied"}
    (alert,) = security_alerts_check()
    assert alert.kind == SecurityAlert.Kind.DENIAL_BURST and alert.address == ADDRESS


def test_an_api_call_without_the_role_is_audited(
    client: Client, patient: Any, patient_case: Case
) -> None:
    client.force_login(patient)
    url = f"/api/cases/{patient_case.reference}/clinic-matches"
    assert client.get(url).status_code == 401
    (event,) = _events(Action.DENIED)
    assert event.actor_id == patient.pk and event.detail == {"reason": "role"}


def test_a_wrong_second_factor_code_is_a_failed_sign_in_of_that_account(
    coordinator: Any,
) -> None:
    client = Client(REMOTE_ADDR=ADDRESS)
    assert sign_in(client, coordinator, PASSWORD, code="000000").status_code == 200
    (event,) = _events(Action.SIGN_IN_FAILED)
    assert (event.object_type, event.object_id) == ("accounts.user", str(coordinator.pk))
    assert event.outcome == "failed" and event.address == ADDRESS
    assert event.detail == {"factor": "code", "reason": "wrong_code"}


def test_a_replayed_second_factor_code_is_a_failed_sign_in(coordinator: Any) -> None:
    code = totp_code()
    assert sign_in(Client(), coordinator, PASSWORD, code=code).status_code == 302
    assert sign_in(Client(), coordinator, PASSWORD, code=code).status_code == 200
    (event,) = _events(Action.SIGN_IN_FAILED)
    assert event.object_id == str(coordinator.pk)


def test_second_factor_codes_past_the_limiter_are_audited(coordinator: Any) -> None:
    client = Client(REMOTE_ADDR=ADDRESS)
    client.post(reverse("login"), {"login": coordinator.email, "password": PASSWORD})
    for _ in range(6):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    reasons = [e.detail["reason"] for e in _events(Action.SIGN_IN_FAILED)]
    assert reasons[-1] == "rate_limited" and "wrong_code" in reasons


def test_a_sign_in_the_limiter_stopped_is_audited_with_its_target(patient: Any) -> None:
    for _ in range(6):
        _login(patient.email, PASSWORD if _ == 5 else "not-the-password")
    failed = _events(Action.SIGN_IN_FAILED)
    assert len(failed) == 6
    assert {e.object_id for e in failed} == {str(patient.pk)}
    assert failed[-1].detail == {"reason": "rate_limited"}
    assert all(e.address == ADDRESS for e in failed)


def test_a_failed_sign_in_names_the_account_or_a_pseudonym_never_an_address(
    patient: Any,
) -> None:
    _login(patient.email, "not-the-password")
    _login("Nobody.Here@unknown.example", "not-the-password")
    # The form takes only addresses; a password typed as the name reaches only Django's check.
    authenticate(username="my-secret-password-typed-here", password="x")
    known, unknown, not_an_email = _events(Action.SIGN_IN_FAILED)
    assert (known.object_id, known.detail) == (str(patient.pk), {})
    assert unknown.object_id == ""
    assert unknown.detail == {"target": login_pseudonym("nobody.here@unknown.example")}
    assert (not_an_email.object_id, not_an_email.detail) == ("", {})
    trail = _trail().lower()
    assert "nobody.here" not in trail and "my-secret" not in trail


def test_another_cases_document_under_ones_own_reference_is_a_refusal(
    client: Client, patient: Any, patient_case: Case, other_case: Case
) -> None:
    name = default_storage.save(f"records/{other_case.pk}/documents/o.pdf", ContentFile(b"%PDF"))
    other = Document.objects.create(
        case=other_case, kind="pdf", original_name="o.pdf", file=name, size=4, sha256="0" * 64
    )
    client.force_login(patient)
    url = reverse("records_document", args=[patient_case.reference, other.pk])
    assert client.get(url).status_code == 404
    (event,) = _events(Action.DENIED)
    assert (event.actor_id, event.object_type, event.object_id) == (
        patient.pk,
        "records.document",
        str(other.pk),
    )
    assert not _events(Action.DOWNLOAD)
