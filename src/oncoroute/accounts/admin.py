from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm

from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role


class PersonChangeForm(UserChangeForm[User]):
    """A clinic is set only on a clinic doctor: it decides which referrals they see."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        groups = cleaned.get("groups")
        doctor = groups is not None and groups.filter(name=Role.CLINIC_DOCTOR.value).exists()
        if cleaned.get("clinic") is not None and not doctor:
            self.add_error(
                "clinic", forms.ValidationError("Only a clinic doctor belongs to a clinic.")
            )
        return cleaned


@admin.register(User)
class PersonAdmin(UserAdmin[User]):
    """People and their roles (groups); a clinic doctor is attached to their clinic here."""

    form = PersonChangeForm
    list_display = ["email", "first_name", "last_name", "role_names", "clinic", "is_active"]
    list_filter = ["groups", "clinic", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["clinic"]
    search_fields = ["email", "first_name", "last_name", "username", "clinic__name"]
    ordering = ["email"]
    autocomplete_fields = ["clinic"]
    fieldsets = [
        *(UserAdmin.fieldsets or []),
        (
            "Clinic",
            {
                "fields": ["clinic"],
                "description": "A clinic doctor sees only the referrals of this clinic.",
            },
        ),
    ]

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="roles")
    def role_names(self, user: User) -> str:
        return ", ".join(group.name for group in user.groups.all()) or "—"
