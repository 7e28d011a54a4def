"""The clinic directory: clinics, their credentials, departments, doctors and priced services,
their working days and closures; exchange rates; and the shortlists coordinators save on cases."""

from __future__ import annotations

import re
import uuid
import zoneinfo
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django_countries.fields import CountryField

from oncoroute.cases.models import Case
from oncoroute.matching import PET_TRACERS, SERVICES
from oncoroute.matching.vocabulary import SERVICE_ORDER

SERVICE_CHOICES = list(SERVICES.items())
_LANGUAGE = re.compile(r"[a-z]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")


def validate_languages(value: object) -> None:
    """A list of ISO 639-1 codes in lower case, e.g. ["en", "ru"]."""
    if not isinstance(value, list) or not all(
        isinstance(code, str) and _LANGUAGE.fullmatch(code) for code in value
    ):
        raise ValidationError("Give ISO 639-1 language codes in lower case, e.g. en, ru.")


def validate_currency(value: str) -> None:
    if not _CURRENCY.fullmatch(value):
        raise ValidationError("Give an ISO 4217 currency code in capitals, e.g. EUR.")


# Monday=0 … Sunday=6, as `date.weekday()` counts; labels from django.utils.dates.WEEKDAYS.
WEEKDAY_NUMBERS = range(7)
MONDAY_TO_FRIDAY = [0, 1, 2, 3, 4]


def default_working_days() -> list[int]:
    return list(MONDAY_TO_FRIDAY)


def validate_working_days(value: object) -> None:
    """At least one weekday, Monday=0 … Sunday=6, none twice."""
    if not isinstance(value, list) or not value:
        raise ValidationError("Give at least one working day (Monday=0 … Sunday=6).")
    # bool is an int subclass: true/false in a file is a mistake, not Tuesday/Monday.
    if not all(type(day) is int and day in WEEKDAY_NUMBERS for day in value):
        raise ValidationError("Working days are numbers from 0 (Monday) to 6 (Sunday).")
    if len(set(value)) != len(value):
        raise ValidationError("A working day is given twice.")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone such as Europe/Istanbul.")


class Clinic(models.Model):
    """A hospital or clinic abroad that treats patients the service refers."""

    slug = models.SlugField(max_length=80, unique=True, help_text="Stable identifier.")
    name = models.CharField(max_length=200)
    country = CountryField()
    city = models.CharField(max_length=100)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    address = models.CharField(max_length=300, blank=True)
    contact_name = models.CharField("international-patient contact", max_length=150, blank=True)
    contact_email = models.EmailField("international-patient email", blank=True)
    contact_phone = models.CharField("international-patient phone", max_length=32, blank=True)
    languages = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_languages],
        help_text="Languages the international department speaks (ISO 639-1).",
    )
    working_days = models.JSONField(
        default=default_working_days,
        validators=[validate_working_days],
        error_messages={"blank": "Give at least one working day (Monday=0 … Sunday=6)."},
        help_text="Weekdays with appointments: Monday=0 … Sunday=6, e.g. [6, 0, 1, 2, 3].",
    )
    website = models.URLField(blank=True)
    summary = models.TextField(max_length=1000, blank=True)
    # Disclosed on every card and never passed to matching: nothing paid can change a rank.
    commercial_relationship = models.TextField(
        max_length=500, help_text="What oncoroute and the clinic pay each other, if anything."
    )
    demo_figures = models.BooleanField(
        default=False, help_text="Services, prices, waits and doctors are invented demo figures."
    )
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def offerings_in_order(self) -> list[Offering]:
        """The clinic's offerings in vocabulary order (uses prefetched offerings)."""
        return sorted(self.offerings.all(), key=lambda o: SERVICE_ORDER[o.service])


class ClinicClosure(models.Model):
    """A day the clinic itself is closed (besides its country's public holidays), and why."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=200, help_text="Shown to the patient, e.g. 'Staff day'.")

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "date"], name="clinics_closure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.clinic} closed on {self.date}"


class Accreditation(models.Model):
    """An accreditation or a national authorisation, with who verified it, where and until
    when. An expired one no longer counts in matching."""

    class Kind(models.TextChoices):
        ACCREDITATION = "accreditation", "Accreditation"
        AUTHORISATION = "authorisation", "National authorisation"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="accreditations")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ACCREDITATION)
    name = models.CharField(max_length=120)
    verified_by = models.CharField(max_length=150)
    register = models.CharField(max_length=200)
    verified_on = models.DateField()
    expires_on = models.DateField()

    class Meta:
        ordering = ["kind", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=F("verified_on")),
                name="clinics_accreditation_expires_after_verified",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.clinic})"

    def clean(self) -> None:
        if self.verified_on and self.expires_on and self.expires_on < self.verified_on:
            raise ValidationError({"expires_on": "It expires before it was verified."})

    def is_valid_on(self, day: date) -> bool:
        return self.verified_on <= day <= self.expires_on


class Department(models.Model):
    """A department of a clinic, e.g. spine surgery or radiation oncology."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="clinics_department_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.clinic}"


class Doctor(models.Model):
    """A doctor at a clinic, as the directory shows them."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="doctors")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="doctors"
    )
    name = models.CharField(max_length=150)
    specialty = models.CharField(max_length=150)
    languages = models.JSONField(default=list, blank=True, validators=[validate_languages])
    years_in_practice = models.PositiveSmallIntegerField(null=True, blank=True)
    profile = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.department is not None and self.department.clinic_id != self.clinic_id:
            raise ValidationError({"department": "The department belongs to another clinic."})


class Offering(models.Model):
    """One service of the controlled vocabulary that a clinic offers, with its price range
    (when published) and typical wait."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="offerings")
    service = models.CharField(max_length=32, choices=SERVICE_CHOICES)
    detail = models.CharField(
        max_length=200, blank=True, help_text="Device or technique, e.g. the SBRT platform."
    )
    tracers = models.JSONField(default=list, blank=True, help_text="PET-CT tracers.")
    price_min = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    price_max = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(max_length=3, blank=True, validators=[validate_currency])
    price_includes = models.CharField(max_length=300, blank=True)
    price_valid_until = models.DateField(null=True, blank=True)
    waiting_days = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["clinic", "service"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "service"], name="clinics_offering_unique"),
            models.CheckConstraint(
                condition=Q(price_min__isnull=True, price_max__isnull=True, currency="")
                | Q(~Q(currency=""), price_min__isnull=False, price_max__gte=F("price_min")),
                name="clinics_offering_price_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} at {self.clinic}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        given = {
            "price_min": self.price_min,
            "price_max": self.price_max,
            "currency": self.currency,
        }
        missing = [name for name, value in given.items() if value in (None, "")]
        if 0 < len(missing) < len(given):
            errors[missing[0]] = "A published price needs a minimum, a maximum and a currency."
        elif (
            isinstance(self.price_min, Decimal)
            and isinstance(self.price_max, Decimal)
            and self.price_max < self.price_min
        ):
            errors["price_max"] = "The maximum is below the minimum."
        if self.service == "sbrt" and not self.detail.strip():
            errors["detail"] = "Name the SBRT device (e.g. CyberKnife, a named linac)."
        if not isinstance(self.tracers, list):
            errors["tracers"] = "Give a list of tracers."
        elif self.tracers and self.service != "pet_ct":
            errors["tracers"] = "Only a PET-CT offering lists tracers."
        elif unknown := sorted(set(self.tracers) - PET_TRACERS):
            errors["tracers"] = f"Unknown tracer(s): {', '.join(unknown)}."
        if errors:
            raise ValidationError(errors)

    @property
    def price_published(self) -> bool:
        return self.price_min is not None and bool(self.currency)

    def price_current_on(self, day: date) -> bool:
        """Published and not past its valid-until date."""
        return self.price_published and (
            self.price_valid_until is None or self.price_valid_until >= day
        )


class DirectoryRevision(models.Model):
    """A token that changes with every saved or deleted clinic, offering or accreditation, in the
    same transaction: a process compares it to tell whether the directory it prepared for
    matching is still current. One row at most."""

    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"directory revision {self.token}"


class ExchangeRate(models.Model):
    """Units of `currency` for one unit of `base`, as published on `as_of`."""

    base = models.CharField(max_length=3, default="EUR", validators=[validate_currency])
    currency = models.CharField(max_length=3, validators=[validate_currency])
    rate = models.DecimalField(
        max_digits=20, decimal_places=8, validators=[MinValueValidator(Decimal("0.00000001"))]
    )
    as_of = models.DateField()
    source = models.CharField(max_length=150)

    class Meta:
        ordering = ["-as_of", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["base", "currency", "as_of"], name="clinics_exchange_rate_unique"
            )
        ]

    def __str__(self) -> str:
        return f"1 {self.base} = {self.rate} {self.currency} ({self.as_of})"


class Shortlist(models.Model):
    """The clinics a coordinator put forward for a case, in order. Each save is a new one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shortlists")
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)
    clinics = models.ManyToManyField(Clinic, through="ShortlistItem", related_name="+")

    class Meta:
        ordering = ["-saved_at", "-pk"]
        get_latest_by = ["saved_at", "pk"]

    def __str__(self) -> str:
        return f"shortlist for {self.case} at {self.saved_at:%Y-%m-%d %H:%M}"


class ShortlistItem(models.Model):
    """One clinic on a shortlist, at its position."""

    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="items")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "clinic"], name="clinics_shortlist_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.clinic}"
