"""Breach readiness: the 72-hour register and alerts drawn from the audit trail."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from oncoroute.privacy.models import BREACH_NOTICE_HOURS, AuditEvent, Breach, SecurityAlert

logger = logging.getLogger(__name__)

HEALTH_READS = (AuditEvent.Action.READ, AuditEvent.Action.DOWNLOAD, AuditEvent.Action.EXPORT)


def overdue_breaches(breaches: QuerySet[Breach] | None = None) -> QuerySet[Breach]:
    """Breaches not yet notified whose 72 hours since detection have run out."""
    breaches = Breach.objects.all() if breaches is None else breaches
    cutoff = timezone.now() - timedelta(hours=BREACH_NOTICE_HOURS)
    return breaches.filter(notified_at__isnull=True, detected_at__lt=cutoff)


def _threshold(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def security_alerts_check(*, now: datetime | None = None) -> list[SecurityAlert]:
    """Raise alerts for bulk health-data reads by one person and bursts of refusals.

    Looks back over ``SECURITY_ALERT_WINDOW_MINUTES``; a pattern already alerted on within
    that window is not alerted on again. Logs ids and counts only.
    """
    now = now or timezone.now()
    start = now - timedelta(minutes=_threshold("SECURITY_ALERT_WINDOW_MINUTES", 60))
    window = AuditEvent.objects.filter(at__gte=start, at__lte=now)
    alerts: list[SecurityAlert] = []
    bulk = (
        window.filter(action__in=HEALTH_READS, actor_id__isnull=False)
        .values("actor_id")
        .annotate(n=Count("object_id", distinct=True))
        .filter(n__gte=_threshold("SECURITY_ALERT_BULK_READS", 50))
    )
    for row in bulk:
        alerts += _alert(
            SecurityAlert.Kind.BULK_READ, start, now, row["n"], actor_id=row["actor_id"]
        )
    denials = (
        window.filter(outcome__in=[AuditEvent.Outcome.DENIED, AuditEvent.Outcome.FAILED])
        .values("address")
        .annotate(n=Count("pk"))
        .filter(n__gte=_threshold("SECURITY_ALERT_DENIALS", 20))
    )
    for denial in denials:
        alerts += _alert(
            SecurityAlert.Kind.DENIAL_BURST, start, now, denial["n"], address=denial["address"]
        )
    return alerts


def _alert(
    kind: str,
    start: datetime,
    end: datetime,
    count: int,
    *,
    actor_id: int | None = None,
    address: str | None = None,
) -> list[SecurityAlert]:
    recent = SecurityAlert.objects.filter(
        kind=kind, actor_id=actor_id, address=address, created_at__gte=start
    )
    if recent.exists():
        return []
    logger.warning(
        "security alert %s: %d events in the window (actor %s, address %s)",
        kind,
        count,
        actor_id if actor_id is not None else "-",
        address or "-",
    )
    return [
        SecurityAlert.objects.create(
            kind=kind,
            actor_id=actor_id,
            address=address,
            window_start=start,
            window_end=end,
            count=count,
        )
    ]
