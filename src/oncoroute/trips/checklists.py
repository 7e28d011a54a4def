"""What has to be done before each trip, who does it, and which items hold the trip back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from oncoroute.trips.models import ChecklistItem, Trip

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_Owner = ChecklistItem.Owner


@dataclass(frozen=True)
class Entry:
    label: StrOrPromise
    owner: str
    required: bool = True
    # Only on trips whose patient needs the treating specialist's clearance (SPEC §8).
    clearance_only: bool = False


CHECKLIST: dict[str, Entry] = {
    "passport_visa": Entry(_("Passport valid for the trip, and a visa if needed"), _Owner.FAMILY),
    "invitation_letter": Entry(
        _("The clinic's invitation letter (for the visa and the border)"), _Owner.CLINIC
    ),
    "insurance": Entry(_("Travel insurance that covers the journey"), _Owner.FAMILY),
    "records": Entry(
        _("Medical records and imaging discs to carry, in the hand luggage"), _Owner.FAMILY
    ),
    "medicines": Entry(
        _("Medicines for the whole trip, with the doctor's letter to carry them"), _Owner.FAMILY
    ),
    "companion": Entry(_("A companion travelling with the patient"), _Owner.FAMILY, False),
    "airport_assistance": Entry(
        _("Airport assistance (wheelchair, help boarding) booked with the airline"),
        _Owner.COORDINATOR,
        False,
    ),
    "clinic_instructions": Entry(
        _("The clinic's instructions before arrival, read and followed"), _Owner.FAMILY
    ),
    "fitness_clearance": Entry(
        _("Fitness to fly: the treating specialist's clearance"),
        _Owner.HOME_DOCTOR,
        clearance_only=True,
    ),
    "medif": Entry(
        _("The airline's medical form (MEDIF), signed and sent to the airline"),
        _Owner.HOME_DOCTOR,
        clearance_only=True,
    ),
}


def checklist_ensure(*, trip: Trip, needs_clearance: bool) -> None:
    """Give the trip every item that applies to it, keeping what was already ticked."""
    have = set(trip.checklist.values_list("code", flat=True))
    ChecklistItem.objects.bulk_create(
        ChecklistItem(trip=trip, code=code, owner=entry.owner, required=entry.required)
        for code, entry in CHECKLIST.items()
        if code not in have and (needs_clearance or not entry.clearance_only)
    )
    if not needs_clearance:
        trip.checklist.filter(
            code__in=[c for c, e in CHECKLIST.items() if e.clearance_only], done_at__isnull=True
        ).delete()
