from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from oncoroute.cases.models import Case, CaseEvent, Consent
from oncoroute.cases.vocabulary import PrimaryCancer
from oncoroute.privacy.keys import blind_index


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
    fields = readonly_fields = (
        "purpose",
        "clinic",
        "country",
        "text_version",
        "language",
        "given_at",
        "withdrawn_at",
    )


class PrimaryCancerFilter(admin.SimpleListFilter):
    """Filters on the blind index: the column itself is encrypted."""

    title = "primary cancer"
    parameter_name = "primary_cancer"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(value), str(label)) for value, label in PrimaryCancer.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(primary_cancer_index=blind_index("primary_cancer", value))


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ["reference", "state", "urgency", "country", "created_at", "assigned_to"]
    list_filter = ["state", "urgency", PrimaryCancerFilter, "data_region"]
    search_fields = ["reference", "full_name"]
    readonly_fields = ["reference", "state", "urgency", "created_at", "first_response_at"]
    inlines = [ConsentInline, CaseEventInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        # The operator sees no health data by default: only cases their roles open to them.
        visible = Case.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible).select_related("data_key")
