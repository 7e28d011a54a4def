from __future__ import annotations

from django.apps import AppConfig


class TripsConfig(AppConfig):
    name = "oncoroute.trips"
    label = "trips"
    verbose_name = "Trips"

    def ready(self) -> None:
        from oncoroute.cases.workflow import requirement_register
        from oncoroute.trips.requirements import returned_home

        requirement_register("returned_home", returned_home)
