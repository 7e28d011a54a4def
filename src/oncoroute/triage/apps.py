from __future__ import annotations

from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "oncoroute.triage"
    label = "triage"
    verbose_name = "Clinical findings and triage"
