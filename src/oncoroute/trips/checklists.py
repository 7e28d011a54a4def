"""What has to be done before each trip, who does it, and which items hold the trip back: the
table only (`trips.services.checklist_ensure` gives a trip its items)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Owner(models.TextChoices):
    """Who sees to a checklist item (`ChecklistItem.Owner`)."""

    FAMILY = "family", _("The family")
    COORDINATOR = "coordinator", _("The coordinator")
    CLINIC = "clinic", _("The clinic")
    HOME_DOCTOR = "home_doctor", _("The doctor at home")


@dataclass(frozen=True)
class Entry:
    label: StrOrPromise
    owner: str
    required: bool = True
    # Only on trips whose patient needs the treating specialist's clearance (SPEC §8).
    clearance_only: bool = False


CHECKLIST: dict[str, Entry] = {
    "passport_visa": Entry(_("Passport valid for the trip, and a visa if needed"), Owner.FAMILY),
    "invitation_letter": Entry(
        _("The clinic's invitation letter (for the visa and the border)"), Owner.CLINIC
    ),
    "insurance": Entry(_("Travel insurance that covers the journey"), Owner.FAMILY),
    "records": Entry(
        _("Medical records and imaging discs to carry, in the hand luggage"), Owner.FAMILY
    ),
    "medicines": Entry(
        _("Medicines for the whole trip, with the doctor's letter to carry them"), Owner.FAMILY
    ),
    "companion": Entry(_("A companion travelling with the patient"), Owner.FAMILY, False),
    "airport_assistance": Entry(
        _("Airport assistance (wheelchair, help boarding) booked with the airline"),
        Owner.COORDINATOR,
        False,
    ),
    "clinic_instructions": Entry(
        _("The clinic's instructions before arrival, read and followed"), Owner.FAMILY
    ),
    "fitness_clearance": Entry(
        _("Fitness to fly: the treating specialist's clearance"),
        Owner.HOME_DOCTOR,
        clearance_only=True,
    ),
    "medif": Entry(
        _("The airline's medical form (MEDIF), signed and sent to the airline"),
        Owner.HOME_DOCTOR,
        clearance_only=True,
    ),
}
