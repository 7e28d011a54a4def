from __future__ import annotations

from django.contrib import admin
from django.db import models

from oncoroute.clinics.models import (
    Accreditation,
    Clinic,
    Department,
    Doctor,
    ExchangeRate,
    Offering,
    Shortlist,
    ShortlistItem,
)


class AccreditationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Accreditation
    extra = 0


class DepartmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Department
    extra = 0


class DoctorInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Doctor
    extra = 0


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
    inlines = [AccreditationInline, DepartmentInline, DoctorInline, OfferingInline]


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
