"""Triage snapshots: the findings a coordinator entered and the report the rules made of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from oncoroute.privacy.fields import EncryptedJSONField

if TYPE_CHECKING:
    from oncoroute.privacy.models import DataKey


class TriageSnapshot(models.Model):
    """The findings a coordinator entered and the triage report the rules made of them, frozen.
    Read the report through `triage.report.StoredTriage`."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="triage_snapshots"
    )
    findings = EncryptedJSONField()
    report = EncryptedJSONField()
    rules_version = models.CharField(max_length=40)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table the model had in `cases`: moving the model moved no row.
        db_table = "cases_triagesnapshot"
        ordering = ["-recorded_at", "-pk"]
        get_latest_by = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"triage of {self.case} at {self.recorded_at:%Y-%m-%d %H:%M}"

    def data_key_resolve(self) -> DataKey:
        return self.case.data_key_resolve()
