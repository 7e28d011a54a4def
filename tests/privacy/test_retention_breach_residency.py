"""Retention purge, the 72-hour breach register, audit alerts, and the residency seam."""

from __future__ import annotations

import logging
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from oncoroute.cases.models import Case
from oncoroute.privacy.breaches import overdue_breaches, security_alerts_check
from oncoroute.privacy.models import AuditEvent, Breach, SecurityAlert
from oncoroute.privacy.residency import ResidencyRouter, region_for_country
from oncoroute.privacy.retention import RETENTION_SCHEDULE
from tests.privacy.conftest import CANARY

pytestmark = pytest.mark.django_db


def _close(case: Case, days_ago: int) -> None:
    Case.objects.filter(pk=case.pk).update(
        state="closed", closed_at=timezone.now() - timedelta(days=days_ago)
    )


def test_every_data_class_has_a_retention_period_and_a_ground() -> None:
    assert {row.data_class for row in RETENTION_SCHEDULE} >= {"closed_cases", "audit_events"}
    assert all(row.keep.days > 0 and row.ground for row in RETENTION_SCHEDULE)


def test_the_purge_dry_run_counts_and_the_real_run_deletes_only_what_expired(
    canary_case: Case, other_case: Case
) -> None:
    _close(canary_case, 4 * 365)
    _close(other_case, 10)
    old = timezone.now() - timedelta(days=7 * 365)
    AuditEvent.objects.create(action=AuditEvent.Action.READ, object_id="old", at=old)
    out = StringIO()
    call_command("retention_purge", "--dry-run", stdout=out)
    assert "closed_cases: would delete 1" in out.getvalue()
    assert "audit_events: would delete 1" in out.getvalue()
    assert Case.objects.count() == 2
    call_command("retention_purge", stdout=StringIO())
    assert list(Case.objects.all()) == [other_case]
    assert not AuditEvent.objects.filter(object_id="old").exists()
    assert AuditEvent.objects.exists()


def test_a_breachs_deadline_is_72_hours_after_detection_and_overdue_ones_are_listed() -> None:
    now = timezone.now()
    late = Breach.objects.create(
        title="Lost laptop", description="-", detected_at=now - timedelta(hours=73)
    )
    fresh = Breach.objects.create(
        title="Phish", description="-", detected_at=now - timedelta(hours=1)
    )
    done = Breach.objects.create(
        title="Old", description="-", detected_at=now - timedelta(days=9), notified_at=now
    )
    assert late.deadline == late.detected_at + timedelta(hours=72)
    assert late.overdue and not fresh.overdue and not done.overdue
    assert list(overdue_breaches()) == [late]


def test_bulk_reads_raise_one_alert_and_log_no_health_data(
    settings: Any, coordinator: Any, caplog: Any, canary_case: Case
) -> None:
    settings.SECURITY_ALERT_BULK_READS = 5
    for case_id in range(6):
        AuditEvent.objects.create(
            action=AuditEvent.Action.READ,
            actor_id=coordinator.pk,
            object_type="cases.case",
            object_id=str(case_id),
        )
    with caplog.at_level(logging.WARNING):
        (alert,) = security_alerts_check()
    assert alert.kind == SecurityAlert.Kind.BULK_READ and alert.actor_id == coordinator.pk
    assert alert.count == 6
    assert "bulk_read" in caplog.text and CANARY not in caplog.text
    assert security_alerts_check() == []  # not twice for the same window


def test_a_burst_of_refusals_from_one_address_raises_an_alert(settings: Any, db: None) -> None:
    settings.SECURITY_ALERT_DENIALS = 3
    for _ in range(3):
        AuditEvent.objects.create(
            action=AuditEvent.Action.DENIED, outcome="denied", address="203.0.113.5"
        )
    (alert,) = security_alerts_check()
    assert alert.kind == SecurityAlert.Kind.DENIAL_BURST and alert.address == "203.0.113.5"


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_the_router_keeps_default_until_a_regional_database_is_configured(
    settings: Any, patient_case: Case
) -> None:
    router = ResidencyRouter()
    patient_case.data_region = "ru"
    assert router.db_for_write(Case, instance=patient_case) == "default"
    settings.DATABASES = {**settings.DATABASES, "ru": {**settings.DATABASES["default"]}}
    settings.DATA_REGION_DATABASES = {"ru": "ru"}
    assert router.db_for_write(Case, instance=patient_case) == "ru"
    assert router.db_for_read(Case, instance=patient_case) == "ru"
    patient_case.data_region = "eu"
    assert router.db_for_write(Case, instance=patient_case) == "default"


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_the_router_is_installed_and_case_rows_follow_their_case(
    settings: Any, patient_case: Case
) -> None:
    from django.db import router

    assert any(isinstance(r, ResidencyRouter) for r in router.routers)
    settings.DATABASES = {**settings.DATABASES, "ru": {**settings.DATABASES["default"]}}
    settings.DATA_REGION_DATABASES = {"ru": "ru"}
    consent = patient_case.consents.get()  # the related manager links it to this very case
    patient_case.data_region = "ru"
    assert router.db_for_write(type(consent), instance=consent) == "ru"


def test_storage_follows_the_region(settings: Any, patient_case: Case, tmp_path: Any) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.DATA_REGION_MEDIA_ROOTS = {"ru": str(tmp_path / "ru-media")}
    Case.objects.filter(pk=patient_case.pk).update(data_region="ru")
    name = default_storage.save(f"records/{patient_case.pk}/a.pdf", ContentFile(b"%PDF"))
    assert (tmp_path / "ru-media" / name).exists()
    assert default_storage.open(name).read() == b"%PDF"


def test_countries_map_to_regions() -> None:
    assert region_for_country("ES") == "eu"
    assert region_for_country("tr") == "tr"
    assert region_for_country("RU") == "ru"
    assert region_for_country("IL") == "third:IL"
