"""Times in the reader's own zone: a patient's pages (their case, their data, the clinics' answers)
show every time in the zone of their case (cases.timezones.shown_zone), not in the server's UTC."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from oncoroute.cases.timezones import shown_zone, zone_label


class ReaderTimeZoneMiddleware:
    """Activates the signed-in patient's zone for the request; staff read UTC, labelled so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = _patient_zone(request)
        if zone is None:
            timezone.deactivate()
            return self.get_response(request)
        timezone.activate(zone)
        request.reader_zone_label = zone_label(zone)  # type: ignore[attr-defined]
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def _patient_zone(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_patient:
        return None
    latest = user.cases.order_by("-pk").values_list("country", "time_zone").first()
    if latest is None:
        return None
    country, chosen = latest
    return shown_zone(country=str(country), chosen=chosen)
