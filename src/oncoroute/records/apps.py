from __future__ import annotations

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "oncoroute.records"
    label = "records"
    verbose_name = "Medical records"
