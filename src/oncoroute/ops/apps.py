from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "oncoroute.ops"
    label = "ops"
    verbose_name = "Operations: health, the scheduler, tasks done once"

    def ready(self) -> None:
        from oncoroute.ops import steps

        steps.connect()
