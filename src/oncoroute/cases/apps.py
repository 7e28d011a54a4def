from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "oncoroute.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from oncoroute.cases import safety  # noqa: F401 (registers the safety gate)
