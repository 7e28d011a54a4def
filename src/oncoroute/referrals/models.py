"""A case sent to one clinic (the referral), the clinic's structured answer (an opinion with a
plan, and a versioned itemised quote), and the referral's own timeline."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oncoroute.clinics.models import validate_time_zone
from oncoroute.matching import SERVICES
from oncoroute.privacy.fields import EncryptedJSONField, EncryptedTextField
from oncoroute.referrals.workflow import AWAITING_CLINIC, ConsultationStatus, ReferralStatus

if TYPE_CHECKING:
    from oncoroute.privacy.models import DataKey

# The trip planner's services (SPEC §8.1): the matching vocabulary plus two of its own.
PLAN_SERVICES: dict[str, str] = {
    **SERVICES,
    "consultation": "Consultation",
    "biopsy": "Biopsy",
}
PLAN_SERVICE_CHOICES = list(PLAN_SERVICES.items())


class Referral(models.Model):
    """One case sent to one clinic under the patient's consent for it, with a question and a
    deadline; its status moves only along `workflow.MOVES`."""

    share = models.OneToOneField(
        "cases.CaseShare", on_delete=models.PROTECT, related_name="referral"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(
        max_length=24, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    question = EncryptedTextField(max_length=2000)
    deadline = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Why it was declined, referred onward (and where), or what records are missing.
    reason = EncryptedTextField(max_length=2000, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "clinic"], name="one_referral_per_clinic"),
        ]
        indexes = [models.Index(fields=["clinic", "status", "deadline"])]

    def __str__(self) -> str:
        return f"referral {self.pk} to {self.clinic_id}"

    def data_key_resolve(self) -> DataKey:
        return self.case.data_key_resolve()

    @property
    def awaiting_clinic(self) -> bool:
        return self.status in AWAITING_CLINIC

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.awaiting_clinic and (now or timezone.now()) > self.deadline


class ReferralEvent(models.Model):
    """One entry of a referral's timeline: who did what, when."""

    class Kind(models.TextChoices):
        SENT = "sent", _("Sent to the clinic")
        MOVED = "moved", _("Status changed")
        OPINION = "opinion", _("Opinion received")
        QUOTE = "quote", _("Quote received")
        RELEASED = "released", _("Answer released to the patient")
        REMINDED = "reminded", _("Clinic reminded of the deadline")
        CONSULTATION = "consultation", _("Consultation")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the clinic's own system did it through the API (then `actor` is empty).
    api_token = models.ForeignKey(
        "ClinicApiToken", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    data = EncryptedJSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} of referral {self.referral_id}"

    def data_key_resolve(self) -> DataKey:
        return self.referral.case.data_key_resolve()


class Opinion(models.Model):
    """The clinic's reading of the case and its proposed plan; shown to the patient only once a
    coordinator has released it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="opinions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reading = EncryptedTextField(max_length=6000)
    specialties = models.JSONField(default=list)
    multidisciplinary = models.BooleanField(
        help_text="Was the plan made at a multidisciplinary tumour board?"
    )
    alternatives = EncryptedTextField(max_length=4000, blank=True)
    still_needed = EncryptedTextField(max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"opinion {self.pk} on referral {self.referral_id}"

    def data_key_resolve(self) -> DataKey:
        return self.referral.case.data_key_resolve()


class PlanItem(models.Model):
    """One step of the proposed plan, in the trip planner's vocabulary (PLANNER.md §1)."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    service = models.CharField(max_length=32, choices=PLAN_SERVICE_CHOICES)
    sessions = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    interval_days = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    after_previous_days = models.PositiveSmallIntegerField(default=1)
    hospital_nights = models.PositiveSmallIntegerField(default=0)
    recovery_days = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["opinion", "position"], name="one_item_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {PLAN_SERVICES.get(self.service, self.service)}"


class Quote(models.Model):
    """One version of the clinic's itemised price for an opinion's plan. A new version never
    changes an earlier one; one the patient accepted needs their new consent to be replaced."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="quotes")
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="quotes")
    version = models.PositiveSmallIntegerField()
    currency = models.CharField(max_length=3)
    included = models.TextField(max_length=2000)
    excluded = models.TextField(max_length=2000)
    contingency = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    valid_until = models.DateField()
    price_change_rule = models.TextField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the patient's acceptance (the decision step); a later version then needs consent.
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "version"], name="one_quote_per_version"),
        ]

    def __str__(self) -> str:
        return f"quote v{self.version} of referral {self.referral_id}"

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines.all()), Decimal("0"))

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.contingency


class QuoteLine(models.Model):
    """One priced line, tied to the plan item it pays for."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    plan_item = models.ForeignKey(
        PlanItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=300)
    quantity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity


class ClinicApiToken(models.Model):
    """A clinic's own system's key to the API, scoped to that clinic. Only the SHA-256 of the
    token is kept (the token itself is shown once, when made); `prefix` names it in lists and
    finds its row. Revoked, never deleted: the referral events it made point at it."""

    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=20, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"API token {self.prefix} ({self.name}) of clinic {self.clinic_id}"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


class HomeDoctor(models.Model):
    """The patient's oncologist or family doctor at home, as the patient named them, and what
    the coordinator heard back: whether that doctor agreed to follow the patient after the
    treatment abroad. The patient may instead record that they will arrange their follow-up
    themselves (`waived_at`): the plan may then be accepted without the doctor's agreement."""

    class Agreement(models.TextChoices):
        UNKNOWN = "unknown", _("Not known yet")
        YES = "yes", _("Agreed to follow the patient")
        NO = "no", _("Declined to follow the patient")

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="home_doctor")
    name = EncryptedTextField(max_length=150, blank=True)
    email = EncryptedTextField(max_length=254, blank=True)
    phone = EncryptedTextField(max_length=40, blank=True)
    country = EncryptedTextField(max_length=2, blank=True)
    named_at = models.DateTimeField(null=True, blank=True)
    agreement = models.CharField(max_length=8, choices=Agreement.choices, default=Agreement.UNKNOWN)
    agreement_at = models.DateTimeField(null=True, blank=True)
    agreement_note = EncryptedTextField(max_length=2000, blank=True)
    agreement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    waived_at = models.DateTimeField(null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"home doctor of case {self.case_id}"

    def data_key_resolve(self) -> DataKey:
        return self.case.data_key_resolve()

    @property
    def is_named(self) -> bool:
        return bool(self.name)


class HomeDoctorLink(models.Model):
    """A read-only link for the home doctor to the chosen plan, the clinic's opinion and the
    triage summary. The link's token is never stored: only its SHA-256 (`token_sha256`), which
    finds the row. It opens nothing after `expires_at`, once revoked, or once the patient has
    withdrawn their health-data consent."""

    home_doctor = models.ForeignKey(HomeDoctor, on_delete=models.CASCADE, related_name="links")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"home-doctor link {self.pk} of case {self.home_doctor.case_id}"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at


class Consultation(models.Model):
    """A consultation with the clinic for a referral, online (a video link the coordinator
    pastes) or in person at the clinic. `starts_at` is the instant (stored in UTC); `time_zone`
    is the IANA zone it was entered in. Its status moves only along
    `workflow.CONSULTATION_MOVES`."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online (video)")
        IN_PERSON = "in_person", _("In person at the clinic")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="consultations")
    doctor = models.ForeignKey(
        "clinics.Doctor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mode = models.CharField(max_length=16, choices=Mode.choices)
    video_link = models.URLField(max_length=500, blank=True)
    starts_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    status = models.CharField(
        max_length=16, choices=ConsultationStatus.choices, default=ConsultationStatus.PROPOSED
    )
    outcome_note = EncryptedTextField(max_length=4000, blank=True)
    # The reminder the day before: set once, by the one run that claims it.
    reminded = models.BooleanField(default=False)
    # The invitation's revision (iCalendar SEQUENCE): each change of status sends a newer one.
    sequence = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "reminded", "starts_at"])]

    def __str__(self) -> str:
        return f"consultation {self.pk} of referral {self.referral_id}"

    def data_key_resolve(self) -> DataKey:
        return self.referral.case.data_key_resolve()

    @property
    def location(self) -> str:
        """Where it happens: the video link, or the clinic's address."""
        if self.mode == self.Mode.ONLINE:
            return self.video_link
        clinic = self.referral.clinic
        return clinic.address or f"{clinic.name}, {clinic.city}"
