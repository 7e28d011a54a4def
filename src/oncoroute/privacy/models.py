"""Privacy records: data keys, the audit trail, security alerts, breaches, erasure."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

BREACH_NOTICE_HOURS = 72


class DataKey(models.Model):
    """A patient's data key (a case's, when the request left no email), stored only wrapped.

    Destroying it (erasure) makes every value and file sealed with it unreadable, backups included.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="data_key",
    )
    master_key_id = models.CharField(max_length=40)
    wrapped = models.BinaryField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    rewrapped_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"data key {self.pk} ({self.master_key_id})"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutable("Audit events are never changed.")

    def delete(self) -> NoReturn:
        raise AuditImmutable("Audit events are never deleted; retention_purge ages them out.")


class AuditImmutable(Exception):
    """An attempt to change or delete an audit event."""


class AuditEvent(models.Model):
    """Who did what to which object, when, from where, and with what outcome; never a value.

    Append-only: the model refuses changes and a database trigger refuses UPDATE and DELETE.
    Ids rather than foreign keys, so that deleting a user or a case never touches this table.
    """

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGN_OUT = "sign_out", "Signed out"
        READ = "read", "Read"
        DOWNLOAD = "download", "Downloaded"
        EXPORT = "export", "Exported"
        SHARE = "share", "Shared"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        PERMISSION = "permission", "Permissions changed"
        CONSENT = "consent", "Consent given or withdrawn"
        TRANSFER = "transfer", "Data left its home region"
        ERASURE = "erasure", "Erasure"
        DENIED = "denied", "Access refused"

    class Outcome(models.TextChoices):
        OK = "ok", "Allowed"
        DENIED = "denied", "Refused"
        FAILED = "failed", "Failed"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.OK)
    address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # Field names, ids, regions and counts only; health-data values are masked before here.
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutable("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutable("Audit events are never deleted.")


class SecurityAlert(models.Model):
    """A pattern in the audit trail worth a human look: bulk reads, bursts of refusals."""

    class Kind(models.TextChoices):
        BULK_READ = "bulk_read", "Many health-data reads by one person"
        DENIAL_BURST = "denial_burst", "Burst of refused requests"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor_id = models.BigIntegerField(null=True, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.count}) at {self.created_at:%Y-%m-%d %H:%M}"


class Breach(models.Model):
    """A personal-data breach: notified to the authority within 72 hours of detection."""

    title = models.CharField(max_length=200)
    description = models.TextField(
        max_length=4000, help_text="What happened, without patients' names or health data."
    )
    detected_at = models.DateTimeField()
    notified_at = models.DateTimeField(null=True, blank=True)
    affected_count = models.PositiveIntegerField(default=0)
    high_risk = models.BooleanField(
        default=False, help_text="People affected must be told as well (GDPR Art. 34)."
    )
    decision = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-detected_at", "-pk"]
        verbose_name_plural = "breaches"

    def __str__(self) -> str:
        return self.title

    @property
    def deadline(self) -> Any:
        return self.detected_at + timedelta(hours=BREACH_NOTICE_HOURS)

    @property
    def overdue(self) -> bool:
        return self.notified_at is None and timezone.now() > self.deadline


class ErasureRequest(models.Model):
    """A patient's request to erase their data; a coordinator approves it before anything goes."""

    class State(models.TextChoices):
        REQUESTED = "requested", "Waiting for approval"
        DONE = "done", "Erased"
        REJECTED = "rejected", "Refused"

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="erasure_requests",
    )
    subject_ref = models.CharField(max_length=40)
    state = models.CharField(max_length=16, choices=State.choices, default=State.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by_id = models.BigIntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"erasure {self.subject_ref} ({self.state})"


class ErasureTombstone(models.Model):
    """What is left of an erased patient: a pseudonymous id, dates, and why anything was kept."""

    subject_ref = models.CharField(max_length=40, unique=True)
    requested_at = models.DateTimeField()
    approved_by_id = models.BigIntegerField(null=True, blank=True)
    erased_at = models.DateTimeField(auto_now_add=True)
    cases_erased = models.PositiveIntegerField(default=0)
    files_erased = models.PositiveIntegerField(default=0)
    # [{"what": ..., "reason": ...}] for anything kept; no personal data.
    kept = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"tombstone {self.subject_ref}"
