"""The four roles of the platform, held as Django groups."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    COORDINATOR = "coordinator", "Coordinator"
    CLINIC_DOCTOR = "clinic_doctor", "Clinic doctor"
    ADMIN = "admin", "Administrator"
