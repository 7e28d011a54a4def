"""After an erasure, the traces of the person outside their own rows: the audit trail, sessions,
the admin's history and security alerts.

The audit trail is append-only, and erasure is the one path allowed to rewrite it
(``audit_rewritable``): rows keep when, what, the object's type and outcome, and lose who the
person was and where they came from. Staff actors and their addresses stay: they are the
evidence of who saw the case.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.deletion import Collector

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case
from oncoroute.privacy.audit import Action, audit_rewritable, login_pseudonym
from oncoroute.privacy.models import AuditEvent, ErasureRequest, SecurityAlert
from oncoroute.privacy.signals import masked_changes

BATCH = 500


@dataclass
class Subject:
    """An erased person: their account, everything their cases held, the addresses they used."""

    user_id: int
    ref: str
    objects: dict[str, set[str]] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)
    logins: set[str] = field(default_factory=set)

    def add(self, label: str, ids: Iterable[Any]) -> None:
        self.objects.setdefault(label, set()).update(str(pk) for pk in ids)


def subject_of(*, patient: User, ref: str, cases: list[Case], key_ids: set[int]) -> Subject:
    """Collect, before anything is deleted, every object and address of ``patient``."""
    from allauth.account.models import EmailAddress

    subject = Subject(user_id=patient.pk, ref=ref)
    subject.add("accounts.user", [patient.pk])
    subject.add("privacy.datakey", key_ids)
    subject.add(
        "privacy.erasurerequest",
        ErasureRequest.objects.filter(patient=patient).values_list("pk", flat=True),
    )
    for case in cases:
        subject.references[str(case.reference)] = str(case.pk)
        collector = Collector(using=case._state.db or "default")
        collector.collect([case])
        for model, instances in collector.data.items():
            subject.add(model._meta.label_lower, (obj.pk for obj in instances))
        for queryset in collector.fast_deletes:
            subject.add(queryset.model._meta.label_lower, queryset.values_list("pk", flat=True))
    addresses = {patient.email or "", *(case.email for case in cases)}
    addresses |= set(EmailAddress.objects.filter(user=patient).values_list("email", flat=True))
    subject.logins = {login_pseudonym(address) for address in addresses if address}
    return subject


def forget(subject: Subject) -> int:
    """Pseudonymise the subject's audit rows and drop their other traces; returns rows changed."""
    _admin_history_forget(subject)
    SecurityAlert.objects.filter(actor_id=subject.user_id).update(actor_id=None, address=None)
    return audit_pseudonymise(subject)


def audit_pseudonymise(subject: Subject) -> int:
    rows = {event.pk: event for q in _conditions(subject) for event in AuditEvent.objects.filter(q)}
    changed = [event for event in rows.values() if _pseudonymised(event, subject)]
    with audit_rewritable():
        models.QuerySet[AuditEvent](AuditEvent).bulk_update(
            changed, ["actor_id", "address", "object_id", "detail"], batch_size=BATCH
        )
    return len(changed)


def _conditions(subject: Subject) -> Iterator[Q]:
    yield Q(actor_id=subject.user_id)
    if subject.logins:
        yield Q(action=Action.SIGN_IN_FAILED, detail__target__in=sorted(subject.logins))
    objects = {
        **subject.objects,
        "cases.case": {*subject.objects.get("cases.case", ()), *subject.references},
    }
    for label, ids in objects.items():
        for batch in _batches(ids):
            yield Q(object_type=label, object_id__in=batch)


def _batches(ids: set[str]) -> Iterator[list[str]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH):
        yield ordered[start : start + BATCH]


def _pseudonymised(event: AuditEvent, subject: Subject) -> bool:
    """Rewrite ``event`` in memory; whether anything changed."""
    before = (event.actor_id, event.address, event.object_id, event.detail)
    if event.actor_id in (None, subject.user_id):
        # The person's own requests, and anonymous ones about their objects (their intake).
        event.actor_id, event.address = None, None
    if (event.object_type, event.object_id) == ("accounts.user", str(subject.user_id)):
        event.object_id = subject.ref
    elif event.object_type == "cases.case":
        event.object_id = subject.references.get(event.object_id, event.object_id)
    event.detail = _detail_scrubbed(event.object_type, event.detail)
    return (event.actor_id, event.address, event.object_id, event.detail) != before


def _detail_scrubbed(label: str, detail: dict[str, Any]) -> dict[str, Any]:
    detail = {key: value for key, value in detail.items() if key != "target"}
    if isinstance(detail.get("changes"), dict):
        # Rows written before diffs were masked this strictly are masked now.
        detail["changes"] = masked_changes(label, detail["changes"])
    return detail


def sessions_end(user: User) -> None:
    """End the person's sessions (they hold the account id) while the account still lists them."""
    from allauth.usersessions.models import UserSession

    for session in UserSession.objects.filter(user=user):
        session.end()


def _admin_history_forget(subject: Subject) -> None:
    """The admin's history keeps who changed which row and when, not the row's name."""
    for label, ids in subject.objects.items():
        app_label, model = label.split(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:
            continue
        for batch in _batches(ids):
            LogEntry.objects.filter(content_type=content_type, object_id__in=batch).update(
                object_repr=f"{label} (erased)"
            )
