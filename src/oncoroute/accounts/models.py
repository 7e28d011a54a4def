"""People who sign in: patients and relatives, coordinators, clinic doctors, administrators."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from oncoroute.accounts.roles import Role


class User(AbstractUser):
    """A person with a sign-in; the role comes from the Django group they belong to."""

    email = models.EmailField("email address", unique=True, null=True, blank=True)  # type: ignore[assignment]
    # A clinic doctor's clinic: cases shared with it are the only ones the doctor may see.
    clinic = models.ForeignKey(
        "clinics.Clinic", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )

    def has_role(self, role: Role) -> bool:
        if role == Role.ADMIN and self.is_superuser:
            return True
        return any(group.name == role.value for group in self.groups.all())

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and self.has_role(Role.COORDINATOR)

    @property
    def is_patient(self) -> bool:
        return self.is_active and self.has_role(Role.PATIENT)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email or self.username
