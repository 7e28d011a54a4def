"""Erasure: a patient asks, a coordinator approves, the data key and files are destroyed.

What must be kept (the audit trail, by ids only; the erasure request itself) is listed with
its legal ground on the tombstone.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.cases.models import Case
from oncoroute.privacy.audit import Action, audit_record
from oncoroute.privacy.forget import forget, sessions_end, subject_of
from oncoroute.privacy.keys import data_key_destroy
from oncoroute.privacy.models import DataKey, ErasureRequest, ErasureTombstone

KEPT = [
    {
        "what": (
            "audit events: times, actions, outcomes and object ids, and which staff member did "
            "what from where; the person's own account id and addresses, and every value of "
            "their cases, are removed from them"
        ),
        "reason": "GDPR Art. 5(2) and 17(3)(e): evidence of lawful processing",
    },
    {
        "what": "this erasure request and tombstone (pseudonymous id and dates)",
        "reason": "GDPR Art. 5(2): demonstrating that the erasure was done",
    },
]


class ErasureNotAllowed(Exception):
    """Only a coordinator decides an erasure request, and only once."""


def subject_ref(user: User) -> str:
    key = settings.SECRET_KEY.encode()
    return "S-" + hmac.new(key, f"user|{user.pk}".encode(), hashlib.sha256).hexdigest()[:16]


def erasure_request(*, patient: User) -> ErasureRequest:
    """A patient asks for their data to be erased; an open request is returned, not duplicated."""
    existing = ErasureRequest.objects.filter(
        patient=patient, state=ErasureRequest.State.REQUESTED
    ).first()
    if existing is not None:
        return existing
    request = ErasureRequest.objects.create(patient=patient, subject_ref=subject_ref(patient))
    audit_record(actor=patient, action=Action.ERASURE, obj=request, detail={"step": "requested"})
    return request


def stored_names_of(case: Case) -> list[str]:
    """Every file the storage holds for the case."""
    from oncoroute.records.models import Document, Instance, Series, Study

    names = list(Document.objects.filter(case=case).values_list("file", flat=True))
    names += Instance.objects.filter(series__study__case=case).values_list("file", flat=True)
    names += Series.objects.filter(study__case=case).values_list("preview", flat=True)
    names += Study.objects.filter(case=case).values_list("deid_archive", flat=True)
    return [name for name in names if name]


def case_erase(*, case: Case) -> int:
    """Delete a case's rows and files; returns how many files went. Keys are the caller's."""
    from oncoroute.records.services import partial_path
    from oncoroute.records.storage import delete_stored

    names = stored_names_of(case)
    uploads = list(case.uploads.all())
    case.delete()
    transaction.on_commit(lambda: delete_stored(names))
    for upload in uploads:
        partial_path(upload).unlink(missing_ok=True)
    return len(names)


@transaction.atomic
def erasure_approve(*, request: ErasureRequest, approver: User) -> ErasureTombstone:
    """Erase everything of the patient: files, rows, the data key, the account; keep a tombstone."""
    if not approver.has_role(Role.COORDINATOR):
        raise ErasureNotAllowed("Only a coordinator can approve an erasure.")
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != ErasureRequest.State.REQUESTED or request.patient is None:
        raise ErasureNotAllowed("This request was already decided.")
    patient = request.patient
    cases = list(Case.objects.filter(patient=patient).select_related("data_key"))
    key_ids = {case.data_key_id for case in cases if case.data_key_id is not None} | set(
        DataKey.objects.filter(patient=patient).values_list("pk", flat=True)
    )
    subject = subject_of(patient=patient, ref=request.subject_ref, cases=cases, key_ids=key_ids)
    clinics = sorted({share.clinic_id for case in cases for share in case.shares.all()})
    files = sum(case_erase(case=case) for case in cases)
    for data_key in DataKey.objects.filter(pk__in=key_ids):
        data_key_destroy(data_key=data_key)
    tombstone = ErasureTombstone.objects.create(
        subject_ref=request.subject_ref,
        requested_at=request.requested_at,
        approved_by_id=approver.pk,
        cases_erased=len(cases),
        files_erased=files,
        kept=[*KEPT, {"what": "clinics to tell (Art. 19)", "reason": f"clinic ids {clinics}"}],
    )
    request.state = ErasureRequest.State.DONE
    request.decided_by_id = approver.pk
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decided_by_id", "decided_at"])
    audit_record(
        actor=approver,
        action=Action.ERASURE,
        obj=request,
        detail={"step": "erased", "cases": len(cases), "files": files},
    )
    _account_delete(patient)
    forget(subject)
    return tombstone


def _account_delete(patient: User) -> None:
    # Events and uploads keep their rows' other columns; the person's link goes.
    ErasureRequest.objects.filter(patient=patient).update(patient=None)
    sessions_end(patient)
    patient.delete()


def erasure_requests_open() -> Any:
    return ErasureRequest.objects.filter(state=ErasureRequest.State.REQUESTED).select_related(
        "patient"
    )
