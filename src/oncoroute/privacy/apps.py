from __future__ import annotations

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "oncoroute.privacy"
    label = "privacy"
    verbose_name = "Privacy: keys, audit, consents, erasure, breaches"

    def ready(self) -> None:
        from oncoroute.privacy import signals

        signals.connect()
