"""What the trips app requires of the case's moves (`cases.workflow.REQUIREMENTS`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from oncoroute.cases.models import Case
from oncoroute.trips.models import Trip

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def returned_home(case: Case) -> StrOrPromise | None:
    """Back home only when every trip's return is recorded: the last one needs the handover
    to the doctor at home."""
    trips = Trip.objects.filter(plan__case=case)
    if trips.exists() and not trips.exclude(status=Trip.Status.RETURNED).exists():
        return None
    return _(
        "The patient is back home once the return of the last trip is recorded, with the "
        "handover to the doctor at home."
    )
