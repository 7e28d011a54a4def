from __future__ import annotations

from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "oncoroute.clinics"
    label = "clinics"
    verbose_name = "Clinic directory"

    def ready(self) -> None:
        from oncoroute.clinics.revision import watch_directory

        watch_directory()
