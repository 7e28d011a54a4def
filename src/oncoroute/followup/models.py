"""A case's follow-up after the return home: the plan of check-ins and each check-in's answer."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from oncoroute.followup.vocabulary import Respondent
from oncoroute.privacy.fields import EncryptedJSONField

if TYPE_CHECKING:
    from oncoroute.privacy.models import DataKey


class FollowUp(models.Model):
    """The day the patient came home and the intervals after it at which we check in."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="follow_up")
    returned_on = models.DateField()
    # Interval codes of followup.schedule, e.g. ["2w", "6w", "3m", "6m"].
    schedule = models.JSONField(default=list)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"follow-up of case {self.case_id}"


class CheckIn(models.Model):
    """One planned check-in: when it is due, the emailed link, and the answer.

    The link's token is never stored, only its SHA-256 (`token_sha256`), as for the home
    doctor's link; it opens until `expires_at`, while the case is open and its health-data
    consent active. The answer is sealed with the case's data key (`answers`, read through
    `followup.answers.CheckInAnswers`); `warning_at` says only when an answer reported
    cord-compression warning signs, so that the safety gate and the queue can read it
    without opening the answer."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="check_ins")
    interval = models.CharField(max_length=8)
    due_on = models.DateField(db_index=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # NULL until a link is emailed: unique among the links sent, where blanks would collide.
    token_sha256 = models.CharField(max_length=64, unique=True, null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    respondent = models.CharField(max_length=16, choices=Respondent.choices, blank=True)
    answers = EncryptedJSONField(default=dict, blank=True)
    warning_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["case", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.interval} check-in of case {self.case_id}"

    def data_key_resolve(self) -> DataKey:
        return self.case.data_key_resolve()

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def link_open(self, now: datetime | None = None) -> bool:
        """The emailed link still opens (the case's own state and consent aside)."""
        now = now or timezone.now()
        return (
            self.emailed_at is not None
            and self.cancelled_at is None
            and self.expires_at is not None
            and now < self.expires_at
        )
