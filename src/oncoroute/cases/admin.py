from __future__ import annotations

from django.contrib import admin

from oncoroute.cases.models import Case, CaseEvent, Consent


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = readonly_fields = ("created_at", "kind", "actor", "data")


class ConsentInline(ReadOnlyInline):
    model = Consent
    fields = readonly_fields = ("purpose", "text_version", "language", "given_at", "withdrawn_at")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ["reference", "state", "urgency", "country", "created_at", "assigned_to"]
    list_filter = ["state", "urgency", "primary_cancer"]
    search_fields = ["reference", "full_name"]
    readonly_fields = ["reference", "state", "urgency", "created_at", "first_response_at"]
    inlines = [ConsentInline, CaseEventInline]
