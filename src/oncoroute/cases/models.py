"""A patient's case, its consent records and its timeline."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from oncoroute.cases.vocabulary import (
    QUEUE_PRIORITY_LABELS,
    PatientSex,
    PrimaryCancer,
    Urgency,
    WriterRole,
    first_answer_target,
)
from oncoroute.cases.workflow import CLOSED_STATES, PATIENT_STATUS, CaseState
from oncoroute.privacy.fields import EncryptedJSONField, EncryptedTextField

if TYPE_CHECKING:
    from oncoroute.privacy.models import DataKey


class DataRegion(models.TextChoices):
    EU = "eu", "European Union"
    RU = "ru", "Russia (152-FZ)"
    TR = "tr", "Turkey (KVKK)"


class CaseQuerySet(models.QuerySet["Case"]):
    """Cases narrowed to what a person may see or change; see cases.access."""

    def visible_to(self, user: Any) -> CaseQuerySet:
        from oncoroute.cases.access import case_visibility

        return self.filter(case_visibility(user))

    def editable_by(self, user: Any) -> CaseQuerySet:
        from oncoroute.cases.access import case_editability

        return self.filter(case_editability(user))


class Case(models.Model):
    """One request for help and everything that follows from it."""

    # NULL only inside the creating transaction: the reference is made from the new primary key.
    reference = models.CharField(max_length=20, unique=True, null=True, editable=False)  # noqa: DJ001
    submission_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    state = models.CharField(max_length=32, choices=CaseState.choices, default=CaseState.NEW)
    urgency = models.CharField(max_length=32, choices=Urgency.choices, default=Urgency.ROUTINE)
    # Sealed: a finding of the triage. The queue orders by queue_rank, which says only as much
    # as its priority label shows (cord compression, unstable spine...).
    sins_band = EncryptedTextField(max_length=32, blank=True)
    queue_rank = models.PositiveSmallIntegerField(default=4)

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )

    full_name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164, e.g. +905321234567")
    country = CountryField()
    language = models.CharField(max_length=10, choices=settings.CONTACT_LANGUAGES)
    # The patient's IANA time zone, where their country has several (cases.timezones); blank
    # means the country's only zone.
    time_zone = models.CharField(max_length=64, blank=True)
    writer_role = models.CharField(max_length=16, choices=WriterRole.choices)
    # Who the case is about, when someone else writes (full_name is then the writer's name).
    patient_name = models.CharField(max_length=150, blank=True)
    patient_age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    patient_sex = models.CharField(max_length=1, choices=PatientSex.choices, blank=True)
    # A request from the same email or phone within DUPLICATE_WINDOW_DAYS of an earlier one:
    # flagged for the coordinator, who may merge it into that case (case_merge).
    likely_duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="likely_duplicates"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases"
    )
    # Health data: sealed with the patient's data key (privacy.fields, docs/privacy.md).
    primary_cancer = EncryptedTextField(max_length=32, choices=PrimaryCancer.choices)
    primary_cancer_other = EncryptedTextField(max_length=120, blank=True)
    spine_regions = EncryptedJSONField(default=list, blank=True)
    symptoms = EncryptedJSONField(default=list, blank=True)
    current_treatment = EncryptedTextField(max_length=2000, blank=True)
    past_treatment = EncryptedTextField(max_length=2000, blank=True)
    wants = EncryptedJSONField(default=list, blank=True)
    preferred_countries = models.JSONField(default=list, blank=True)
    message = EncryptedTextField(max_length=4000, blank=True)
    # Keyed hash of primary_cancer: the queue filters on it without reading the sealed value.
    primary_cancer_index = models.CharField(
        max_length=64, blank=True, editable=False, db_index=True
    )
    data_key = models.ForeignKey(
        "privacy.DataKey", null=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    data_region = models.CharField(
        max_length=8,
        choices=DataRegion.choices,
        default=DataRegion.EU,
        help_text="Where the case's data is kept (152-FZ for Russian citizens, KVKK for Turkey).",
    )

    source_address_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["queue_rank", "created_at"]
        indexes = [models.Index(fields=["state", "queue_rank", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="case_has_email_or_phone"
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"case #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from oncoroute.privacy.keys import blind_index

        self.data_key_resolve()
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "primary_cancer" in update_fields:
            self.primary_cancer_index = blind_index("primary_cancer", self.primary_cancer)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "primary_cancer_index"}
        super().save(*args, **kwargs)

    @property
    def patient_full_name(self) -> str:
        """Who the case is about: the patient's own name, the writer's when they are the patient."""
        return self.patient_name or self.full_name

    @property
    def written_by_someone_else(self) -> bool:
        return self.writer_role != WriterRole.PATIENT

    def data_key_resolve(self) -> DataKey:
        """The key that seals this case's health data: the patient's, or the case's own."""
        if self.data_key_id is None:
            from oncoroute.privacy.keys import data_key_for

            self.data_key = data_key_for(patient=self.patient)
        return self.data_key  # type: ignore[return-value]

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED_STATES

    @property
    def priority_label(self) -> str:
        return QUEUE_PRIORITY_LABELS[self.queue_rank]

    @property
    def is_emergency(self) -> bool:
        return self.urgency == Urgency.EMERGENCY

    @property
    def patient_status(self) -> str:
        return str(PATIENT_STATUS[self.state])

    @property
    def first_answer_wait(self) -> timedelta:
        """How long the sender waited (or is still waiting) for a first answer."""
        return (self.first_response_at or timezone.now()) - self.created_at

    @property
    def first_answer_target(self) -> timedelta:
        """How soon this case's priority must have a first answer (cases.vocabulary)."""
        return first_answer_target(self.queue_rank)

    @property
    def first_answer_overdue(self) -> bool:
        return self.first_answer_wait > self.first_answer_target

    @property
    def first_answer_left(self) -> timedelta:
        """Time left before the first answer is overdue; negative once it is."""
        return self.first_answer_target - self.first_answer_wait

    @property
    def primary_cancer_text(self) -> str:
        if self.primary_cancer == PrimaryCancer.OTHER and self.primary_cancer_other:
            return str(self.primary_cancer_other)
        return self.get_primary_cancer_display()


# The purposes given for one clinic (the others are for the whole service).
CLINIC_PURPOSES = ("clinic_sharing", "identity_sharing")


class Consent(models.Model):
    """A person's consent for one purpose, with the exact text version they agreed to."""

    class Purpose(models.TextChoices):
        HEALTH_DATA = "health_data", _("Processing of health data")
        CLINIC_SHARING = "clinic_sharing", _("Sharing the de-identified case with a clinic")
        MARKETING = "marketing", _("News and offers by email")
        IDENTITY_SHARING = (
            "identity_sharing",
            _("Sharing the patient's identity with the clinic whose plan they accepted"),
        )

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    # For clinic_sharing and identity_sharing: the one clinic, and the country its data goes to.
    clinic = models.ForeignKey(
        "clinics.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    country = CountryField(blank=True)
    text_version = models.CharField(max_length=40)
    text_sha256 = models.CharField(max_length=64)
    language = models.CharField(max_length=10)
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["given_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=CLINIC_PURPOSES, clinic__isnull=False)
                | (~Q(purpose__in=CLINIC_PURPOSES) & Q(clinic__isnull=True)),
                name="consent_clinic_only_for_sharing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} consent for {self.case}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class CaseShare(models.Model):
    """The de-identified case went to a clinic, under a consent that was active at the time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shared_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} shared with clinic {self.clinic_id}"


class CaseEvent(models.Model):
    """One line on a case's timeline: who did what, when. Never edited after it is written."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Request received")
        EMAILS_SENT = "emails_sent", _("Acknowledgement sent")
        OVER_RATE_LIMIT = (
            "over_rate_limit",
            _("Received above the hourly limit of its address: check it is genuine"),
        )
        LINKED = "linked", _("Request added to the sender's account")
        TRAVEL_CLEARED = "travel_cleared", _("Assessed locally and cleared to travel")
        ASSIGNED = "assigned", _("Assigned")
        NOTE = "note", _("Note")
        TRANSITION = "transition", _("Status changed")
        RECORD_UPLOADED = "record_uploaded", _("Medical records uploaded")
        STUDY_DEIDENTIFIED = "study_deidentified", _("Imaging study de-identified")
        TRIAGE_RECORDED = "triage_recorded", _("Clinical findings and triage recorded")
        EMERGENCY_ADVICE_SENT = "emergency_advice_sent", _("Emergency advice sent")
        SHORTLIST_SAVED = "shortlist_saved", _("Clinic shortlist saved")
        SHARED = "shared", _("Case shared with a clinic")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
        MESSAGE = "message", _("Message")
        WARNING_FLAGGED = (
            "warning_flagged",
            _("A message flagged for cord-compression warning signs"),
        )
        DUPLICATE_FLAGGED = "duplicate_flagged", _("Likely a second request of the same sender")
        MERGED = "merged", _("Requests merged")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Sealed: a note is free text about the patient.
    data = EncryptedJSONField(default=dict, blank=True)
    visible_to_patient = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} at {self.created_at:%Y-%m-%d %H:%M}"

    def data_key_resolve(self) -> DataKey:
        return self.case.data_key_resolve()


class TravelClearance(models.Model):
    """A clinician's record that a patient with cord-compression warning signs was assessed
    locally and is fit to travel: who assessed, when, and what was found. It lifts the safety
    gate only for flags raised before it was recorded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="travel_clearances")
    assessed_by = EncryptedTextField(max_length=200)
    assessed_on = models.DateField()
    findings = EncryptedTextField(max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"travel clearance of {self.case} at {self.recorded_at:%Y-%m-%d}"

    def data_key_resolve(self) -> DataKey:
        return self.case.data_key_resolve()


class Message(models.Model):
    """One message of a case's thread between the patient (or the relative who wrote) and the
    coordinators. Each side has its own read marker; the writer's side reads it as it is sent."""

    class Side(models.TextChoices):
        PATIENT = "patient", _("The patient or their family")
        COORDINATOR = "coordinator", _("Coordinator")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(max_length=16, choices=Side.choices)
    # Sealed: free text about the patient, with the case's data key.
    body = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_by_patient_at = models.DateTimeField(null=True, blank=True)
    read_by_coordinators_at = models.DateTimeField(null=True, blank=True)
    # A coordinator read cord-compression warning signs in it: the safety gate counts it.
    warning_flagged_at = models.DateTimeField(null=True, blank=True)
    warning_flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "side", "read_by_coordinators_at"])]

    def __str__(self) -> str:
        return f"{self.side} message on {self.case} at {self.created_at:%Y-%m-%d %H:%M}"

    def data_key_resolve(self) -> DataKey:
        return self.case.data_key_resolve()


class PatientNotice(models.Model):
    """One change the patient should hear about, waiting to go out in the case's next batched
    email. It names the kind of change only: the email says what happened, never the details."""

    class Kind(models.TextChoices):
        STATE = "state", _("The status of your case has changed.")
        ANSWER = "answer", _("A clinic's answer is ready for you to read.")
        MESSAGE = "message", _("Your coordinator has written to you.")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "case"])]

    def __str__(self) -> str:
        return f"{self.kind} notice for {self.case}"
