from __future__ import annotations

from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "oncoroute.followup"
    label = "followup"
    verbose_name = "Follow-up after the return home"

    def ready(self) -> None:
        from oncoroute.cases.safety import FLAG_SOURCES
        from oncoroute.followup.safety import followup_warning_at

        if followup_warning_at not in FLAG_SOURCES:
            FLAG_SOURCES.append(followup_warning_at)
