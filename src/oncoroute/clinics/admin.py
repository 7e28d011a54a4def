from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.dates import WEEKDAYS

from oncoroute.accounts.models import User
from oncoroute.clinics.models import (
    Accreditation,
    Clinic,
    ClinicClosure,
    Department,
    Doctor,
    ExchangeRate,
    Offering,
    Shortlist,
    ShortlistItem,
)


class ClosureInline(admin.TabularInline):  # type: ignore[type-arg]
    """The clinic's own closed days; its country's public holidays are added when read."""

    model = ClinicClosure
    extra = 0
    verbose_name_plural = "closures (public holidays of the country are added automatically)"


class AccreditationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Accreditation
    extra = 0


class DepartmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Department
    extra = 0


class DoctorInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Doctor
    extra = 0


class MemberInline(admin.TabularInline):  # type: ignore[type-arg]
    """The clinic's doctors who sign in to the portal; a person is attached on their user page."""

    model = User
    fk_name = "clinic"
    verbose_name = "clinic doctor with a sign-in"
    verbose_name_plural = "clinic doctors with a sign-in (attach one on their user page)"
    fields = readonly_fields = ("email", "first_name", "last_name", "is_active", "last_login")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OfferingInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Offering
    extra = 0


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin[Clinic]):
    list_display = ["name", "city", "country", "published", "demo_figures", "updated_at"]
    list_filter = ["country", "published", "demo_figures"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [
        AccreditationInline,
        DepartmentInline,
        DoctorInline,
        MemberInline,
        OfferingInline,
        ClosureInline,
    ]

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name == "working_days":
            # Weekday boxes rather than a JSON list typed by hand; the model's validator still runs.
            return forms.TypedMultipleChoiceField(
                label="Working days",
                choices=sorted(WEEKDAYS.items()),
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                help_text="Days with appointments.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin[Accreditation]):
    list_display = ["name", "clinic", "kind", "verified_by", "verified_on", "expires_on"]
    list_filter = ["kind", "name"]
    search_fields = ["name", "clinic__name", "register"]


@admin.register(Doctor)
class DoctorAdmin(admin.ModelAdmin[Doctor]):
    list_display = ["name", "specialty", "clinic", "department"]
    search_fields = ["name", "specialty", "clinic__name"]


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin[Offering]):
    list_display = ["clinic", "service", "price_min", "price_max", "currency", "waiting_days"]
    list_filter = ["service", "currency"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin[ExchangeRate]):
    list_display = ["as_of", "base", "currency", "rate", "source"]
    list_filter = ["as_of", "currency"]


class ShortlistItemInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ShortlistItem
    extra = 0
    fields = readonly_fields = ("position", "clinic")
    can_delete = False


@admin.register(Shortlist)
class ShortlistAdmin(admin.ModelAdmin[Shortlist]):
    list_display = ["case", "saved_by", "saved_at"]
    readonly_fields = ["case", "saved_by", "saved_at"]
    inlines = [ShortlistItemInline]
