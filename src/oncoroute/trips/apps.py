from __future__ import annotations

from django.apps import AppConfig


class TripsConfig(AppConfig):
    name = "oncoroute.trips"
    label = "trips"
    verbose_name = "Trips"
