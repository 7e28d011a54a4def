"""The accepted plan made into trips: the journey figures the coordinator enters, the trips the
planner worked out (kept in step with it on every change), bookings, checklists and the
handover home."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoroute.cases.models import Case
from oncoroute.privacy.fields import EncryptedJSONField, EncryptedTextField
from oncoroute.trips.checklists import CHECKLIST, Owner

if TYPE_CHECKING:
    from oncoroute.privacy.models import DataKey

_MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class TripPlan(models.Model):
    """One case's trip plan: the accepted quote, the figures of the journey, and the planner's
    last worked result (PLANNER.md §3) for what the coordinator entered."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="trip_plan")
    quote = models.ForeignKey("referrals.Quote", on_delete=models.PROTECT, related_name="+")
    earliest_arrival = models.DateField(_("earliest day the patient can arrive"))
    one_way_fare = models.DecimalField(_("one person's one-way fare"), **_MONEY)  # type: ignore[arg-type]
    travellers = models.PositiveSmallIntegerField(
        _("travellers (the patient and companions)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    per_night = models.DecimalField(_("accommodation per night"), **_MONEY)  # type: ignore[arg-type]
    transfers = models.DecimalField(_("airport transfers, all trips"), default=0, **_MONEY)  # type: ignore[arg-type]
    interpreter = models.DecimalField(_("interpreter, all trips"), default=0, **_MONEY)  # type: ignore[arg-type]
    home_stay_min_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    # Session index (in plan order, from 0) → the day it may not come before, from moving a trip
    # later; the planner still places it on the first open day on or after that day.
    session_not_before = models.JSONField(default=dict, blank=True)
    # The planner's result for all the above (PLANNER.md §3), sealed: dates of treatment.
    result = EncryptedJSONField(default=dict, blank=True)
    planned_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"trip plan of {self.case}"

    def data_key_resolve(self) -> DataKey:
        return self.case.data_key_resolve()


class Trip(models.Model):
    """One journey out and home, as the planner placed it (its number in the plan's order)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONFIRMED = "confirmed", _("Confirmed")
        RETURNED = "returned", _("Returned home")

    plan = models.ForeignKey(TripPlan, on_delete=models.CASCADE, related_name="trips")
    number = models.PositiveSmallIntegerField()
    outbound = models.DateField()
    home = models.DateField()
    return_reason = EncryptedTextField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_trip_per_number")
        ]

    def __str__(self) -> str:
        return f"trip {self.number} of {self.plan.case}"

    def data_key_resolve(self) -> DataKey:
        return self.plan.case.data_key_resolve()

    @property
    def nights(self) -> int:
        return (self.home - self.outbound).days


class Booking(models.Model):
    """A flight or a stay the coordinator booked; checked against the plan on every change."""

    class Kind(models.TextChoices):
        FLIGHT_OUT = "flight_out", _("Flight out")
        FLIGHT_HOME = "flight_home", _("Flight home")
        STAY = "stay", _("Accommodation")

    plan = models.ForeignKey(TripPlan, on_delete=models.CASCADE, related_name="bookings")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    # Sealed: a flight number and a date say where the patient is.
    details = EncryptedTextField(max_length=300, blank=True)
    cost = models.DecimalField(null=True, blank=True, **_MONEY)  # type: ignore[arg-type]
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.starts_on}"

    def data_key_resolve(self) -> DataKey:
        return self.plan.case.data_key_resolve()


class ChecklistItem(models.Model):
    """One thing to do before a trip: who does it, whether it is required, whether it is done."""

    Owner = Owner

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="checklist")
    code = models.CharField(max_length=40)
    owner = models.CharField(max_length=16, choices=Owner.choices)
    required = models.BooleanField(default=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = EncryptedTextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["trip", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["trip", "code"], name="one_checklist_item_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} of {self.trip}"

    @property
    def label(self) -> str:
        """What the item asks, in the reader's language (`trips.checklists.CHECKLIST`)."""
        entry = CHECKLIST.get(self.code)
        return str(entry.label) if entry else self.code

    def data_key_resolve(self) -> DataKey:
        return self.trip.plan.case.data_key_resolve()


class Handover(models.Model):
    """The way home: the clinic's discharge summary and a structured summary for the doctor at
    home, in the patient's language and the clinic's. The return is complete only with it."""

    plan = models.OneToOneField(TripPlan, on_delete=models.CASCADE, related_name="handover")
    discharge_summary = models.ForeignKey(
        "records.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Sealed, all of it: procedures, doses, implants, medicines, signs to watch for, contacts.
    summary = EncryptedJSONField(default=dict, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"handover of {self.plan.case}"

    def data_key_resolve(self) -> DataKey:
        return self.plan.case.data_key_resolve()
