"""Review screens: the audit trail (read-only), security alerts, breaches, erasure requests."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from oncoroute.privacy.models import (
    AuditEvent,
    Breach,
    ErasureRequest,
    ErasureTombstone,
    SecurityAlert,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "action",
        "outcome",
        "actor_role",
        "actor_id",
        "object_type",
        "object_id",
        "address",
        "request_id",
    ]
    list_filter = [
        "action",
        "outcome",
        "actor_role",
        "object_type",
        ("at", admin.DateFieldListFilter),
    ]
    search_fields = ["=actor_id", "=object_id", "=request_id", "=address"]
    date_hierarchy = "at"


@admin.register(SecurityAlert)
class SecurityAlertAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "kind",
        "count",
        "actor_id",
        "address",
        "window_start",
        "window_end",
    ]
    list_filter = ["kind"]


class OverdueFilter(admin.SimpleListFilter):
    title = "72-hour notice"
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Overdue"), ("open", "Not yet notified")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Breach]) -> QuerySet[Breach]:
        from oncoroute.privacy.breaches import overdue_breaches

        if self.value() == "yes":
            return overdue_breaches(queryset)
        if self.value() == "open":
            return queryset.filter(notified_at__isnull=True)
        return queryset


@admin.register(Breach)
class BreachAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "title",
        "detected_at",
        "deadline",
        "notified_at",
        "is_overdue",
        "affected_count",
    ]
    list_filter = [OverdueFilter, "high_risk"]
    readonly_fields = ["created_at"]

    @admin.display(boolean=True, description="overdue")
    def is_overdue(self, breach: Breach) -> bool:
        return breach.overdue

    @admin.display(description="notify by")
    def deadline(self, breach: Breach) -> Any:
        return timezone.localtime(breach.deadline)


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdmin):
    list_display = ["subject_ref", "state", "requested_at", "decided_at", "decided_by_id"]
    list_filter = ["state"]


@admin.register(ErasureTombstone)
class ErasureTombstoneAdmin(ReadOnlyAdmin):
    list_display = ["subject_ref", "requested_at", "erased_at", "cases_erased", "files_erased"]
