"""How long each class of data is kept, and the purge that applies it (run daily)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models, transaction
from django.utils import timezone

from oncoroute.privacy.audit import audit_unlocked
from oncoroute.privacy.models import AuditEvent, SecurityAlert

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Retention:
    data_class: str
    keep: timedelta
    ground: str


# One row per data class; docs/privacy.md repeats it for people.
RETENTION_SCHEDULE = (
    Retention(
        "closed_cases",
        3 * 365 * DAY,
        "Closed or withdrawn cases, their health data and files: 3 years after closing "
        "(follow-up and legal claims), then erased with their files.",
    ),
    Retention(
        "refused_uploads",
        30 * DAY,
        "Refused or cancelled uploads (names and sizes only): 30 days, for support.",
    ),
    Retention(
        "security_alerts",
        2 * 365 * DAY,
        "Security alerts: 2 years.",
    ),
    Retention(
        "audit_events",
        6 * 365 * DAY,
        "Audit trail (ids only): 6 years, as HIPAA 164.316(b)(2) asks of documentation.",
    ),
)
RETENTION = {row.data_class: row for row in RETENTION_SCHEDULE}


def _cutoff(data_class: str) -> datetime:
    return timezone.now() - RETENTION[data_class].keep


def _expired_cases() -> models.QuerySet[models.Model]:
    from oncoroute.cases.models import Case
    from oncoroute.cases.workflow import CLOSED_STATES

    return Case.objects.filter(state__in=CLOSED_STATES, closed_at__lt=_cutoff("closed_cases"))


def _expired_uploads() -> models.QuerySet[models.Model]:
    from oncoroute.records.models import Upload

    return Upload.objects.filter(
        state__in=[Upload.State.FAILED, Upload.State.CANCELLED],
        updated_at__lt=_cutoff("refused_uploads"),
    )


def retention_purge(*, dry_run: bool = False) -> dict[str, int]:
    """Delete what outlived its class's retention; returns the count per class."""
    from oncoroute.privacy.erasure import case_erase

    counts = {
        "closed_cases": _expired_cases().count(),
        "refused_uploads": _expired_uploads().count(),
        "security_alerts": SecurityAlert.objects.filter(
            created_at__lt=_cutoff("security_alerts")
        ).count(),
        "audit_events": AuditEvent.objects.filter(at__lt=_cutoff("audit_events")).count(),
    }
    if dry_run:
        return counts
    with transaction.atomic():
        for case in _expired_cases():
            case_erase(case=case)  # type: ignore[arg-type]
        _expired_uploads().delete()
        SecurityAlert.objects.filter(created_at__lt=_cutoff("security_alerts")).delete()
    with audit_unlocked():
        # The audit table refuses deletes except here; its own queryset refuses them too.
        models.QuerySet(AuditEvent).filter(at__lt=_cutoff("audit_events")).delete()
    return counts
