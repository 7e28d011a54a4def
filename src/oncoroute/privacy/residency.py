"""Data residency: where a case's rows and files live, and a record whenever data leaves.

A case has a ``data_region`` ("eu" by default; "ru" for Russian citizens under 152-FZ, "tr"
under KVKK). ``ResidencyRouter`` sends the case's rows to ``DATA_REGION_DATABASES[region]``
when that alias is configured and to the default database otherwise, so nothing changes until
a regional database is set up. Django asks the router for every ORM read and write.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Model

from oncoroute.privacy.audit import Action, audit_record

_EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
EU_COUNTRIES = frozenset([*_EU.split(" "), "IS", "LI", "NO"])  # the EEA


def region_for_country(country: str) -> str:
    """The data region a country belongs to; other countries are their own ("third:XX")."""
    country = country.upper()
    if country in EU_COUNTRIES:
        return "eu"
    if country in {"RU", "TR"}:
        return country.lower()
    return f"third:{country}"


def database_for_region(region: str) -> str | None:
    alias = (getattr(settings, "DATA_REGION_DATABASES", {}) or {}).get(region)
    return alias if alias in settings.DATABASES else None


def region_of(instance: Any) -> str | None:
    """The region of a row: its own, or its already-loaded case's (never a query here)."""
    region = getattr(instance, "data_region", None)
    if isinstance(region, str):
        return region
    case = instance._state.fields_cache.get("case") if hasattr(instance, "_state") else None
    if case is not None:
        return getattr(case, "data_region", None)
    return None


class ResidencyRouter:
    """Routes each case's data to its region's database alias, when one is configured."""

    def _route(self, model: type[Model], **hints: Any) -> str | None:
        instance = hints.get("instance")
        if instance is None:
            return None
        region = region_of(instance)
        if region is not None and (alias := database_for_region(region)):
            return alias
        state_db = getattr(getattr(instance, "_state", None), "db", None)
        return state_db if isinstance(state_db, str) else None

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        return self._route(model, **hints)

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return self._route(model, **hints)

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return None


def transfer_record(*, actor: Any, case: Any, destination: str, reason: str) -> bool:
    """Audit a transfer when data leaves the case's region; returns whether it did."""
    if destination == case.data_region:
        return False
    audit_record(
        actor=actor,
        action=Action.TRANSFER,
        obj=case,
        detail={"from": case.data_region, "to": destination, "reason": reason},
    )
    return True
