"""A case's medical records: documents, imaging studies and the uploads that bring them in."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oncoroute.cases.models import Case
from oncoroute.privacy.fields import EncryptedDateField, EncryptedTextField

if TYPE_CHECKING:
    from oncoroute.privacy.models import DataKey


class CaseRecords(models.Model):
    """Per-case settings of the records; today the one date shift of its de-identified copies."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="records")
    # Negative and kept for good: every copy of this case's studies shifts dates alike.
    date_shift_days = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_shift_days__lte=-1, date_shift_days__gte=-3650),
                name="records_date_shift_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"records of {self.case}"


def shown_in_reader_language(stored: str) -> str:
    """A refusal kept in English (its msgid: the worker that wrote it has no page language) in
    the language of whoever reads it. A message with values filled in has no msgid to find and
    stays English."""
    return gettext(stored) if stored else ""  # gettext("") would give the catalogue's header


class Upload(models.Model):
    """One file on its way in, received in chunks into a partial file until completed."""

    class State(models.TextChoices):
        RECEIVING = "receiving", "Receiving"
        # A disc (ZIP) received whole, being unpacked and indexed by the worker.
        PROCESSING = "processing", "Unpacking"
        DONE = "done", "Stored"
        FAILED = "failed", "Refused"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="uploads")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Sealed like the rest below: names, descriptions, dates and body parts tell of the patient.
    filename = EncryptedTextField(max_length=255)
    size = models.PositiveBigIntegerField()
    received = models.PositiveBigIntegerField(default=0)
    sha256_expected = models.CharField(max_length=64, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVING)
    # Sealed: a refusal may quote a name from inside a ZIP.
    error = EncryptedTextField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    # The worker's progress through a disc: files unpacked, then read, out of index_total.
    index_done = models.PositiveIntegerField(default=0)
    index_total = models.PositiveIntegerField(default=0)
    # The run that may publish the index: a run started again takes it over.
    index_token = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received__lte=models.F("size")), name="upload_received_le_size"
            )
        ]

    def __str__(self) -> str:
        return f"upload {self.id} ({self.state})"

    def data_key_resolve(self) -> DataKey:
        return self.case.data_key_resolve()

    @property
    def percent(self) -> int:
        return 100 if not self.size else int(self.received * 100 // self.size)

    @property
    def index_percent(self) -> int:
        return 0 if not self.index_total else int(self.index_done * 100 // self.index_total)

    @property
    def error_shown(self) -> str:
        """Why the upload was refused, in the reader's language (services._fail keeps it in
        English)."""
        return shown_in_reader_language(self.error)


class Document(models.Model):
    """A PDF or a photo of a report, stored as uploaded."""

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF")
        JPEG = "jpeg", _("JPEG image")
        PNG = "png", _("PNG image")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    original_name = EncryptedTextField(max_length=255)
    file = models.CharField(max_length=300, help_text="Name in the default storage.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Sent as an attachment of this message of the case's thread; part of the records all the same.
    message = models.ForeignKey(
        "cases.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The copy a coordinator released for clinics: pages redrawn from pixels, boxes blacked out,
    # no text layer or metadata. The original never leaves; without a release nothing does.
    shared_file = models.CharField(max_length=300, blank=True)
    shared_kind = models.CharField(max_length=8, choices=Kind.choices, blank=True)
    shared_boxes = models.JSONField(default=list, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} of {self.case}"

    def data_key_resolve(self) -> DataKey:
        return self.case.data_key_resolve()


class Study(models.Model):
    """One imaging study of a case, as indexed from its DICOM headers."""

    class Deid(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "In progress"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="studies")
    study_uid = models.CharField(max_length=64)
    study_date = EncryptedDateField(null=True, blank=True)
    description = EncryptedTextField(max_length=200, blank=True)
    modalities = EncryptedTextField(max_length=100, blank=True)
    body_parts = EncryptedTextField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    deid_state = models.CharField(max_length=16, choices=Deid.choices, default=Deid.QUEUED)
    deid_done = models.PositiveIntegerField(default=0)
    deid_total = models.PositiveIntegerField(default=0)
    deid_error = models.CharField(max_length=300, blank=True)
    deid_archive = models.CharField(max_length=300, blank=True)
    deid_archive_size = models.PositiveBigIntegerField(default=0)
    deid_archive_sha256 = models.CharField(max_length=64, blank=True)
    deid_summary = models.JSONField(default=dict, blank=True)
    deid_at = models.DateTimeField(null=True, blank=True)
    # Bumped whenever files are added: a run that started on an older set publishes nothing.
    deid_generation = models.PositiveIntegerField(default=0)

    class Meta:
        # Not by study date: sealed values have no order in SQL.
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "study_uid"], name="study_unique_per_case")
        ]

    def __str__(self) -> str:
        return f"study {self.pk} of {self.case}"

    def data_key_resolve(self) -> DataKey:
        return self.case.data_key_resolve()

    @property
    def storage_dir(self) -> str:
        return f"records/{self.case_id}/studies/{self.pk}"

    @property
    def deid_percent(self) -> int:
        return 0 if not self.deid_total else int(self.deid_done * 100 // self.deid_total)

    @property
    def deid_error_shown(self) -> str:
        """Why the copy failed, in the reader's language: the worker stores the English msgid
        (records.tasks), the page translates it when shown."""
        return shown_in_reader_language(self.deid_error)

    @property
    def deid_busy(self) -> bool:
        return self.deid_state in {self.Deid.QUEUED, self.Deid.RUNNING}


class Series(models.Model):
    """One series of a study, with the storage name of its preview image."""

    class Preview(models.TextChoices):
        PENDING = "pending", _("Being drawn")
        DRAWN = "drawn", _("Drawn")
        TOO_LARGE = "too_large", _("Too large to draw")
        FAILED = "failed", _("Could not be drawn")
        NONE = "none", _("No image")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="series")
    series_uid = models.CharField(max_length=64)
    number = models.IntegerField(null=True, blank=True)
    modality = EncryptedTextField(max_length=16, blank=True)
    body_part = EncryptedTextField(max_length=64, blank=True)
    description = EncryptedTextField(max_length=200, blank=True)
    series_date = EncryptedDateField(null=True, blank=True)
    preview = models.CharField(max_length=300, blank=True)
    preview_state = models.CharField(max_length=16, choices=Preview.choices, default=Preview.NONE)

    class Meta:
        ordering = ["number", "pk"]
        verbose_name_plural = "series"
        constraints = [
            models.UniqueConstraint(fields=["study", "series_uid"], name="series_unique_per_study")
        ]

    def __str__(self) -> str:
        return f"series {self.number or self.pk} of {self.study}"

    def data_key_resolve(self) -> DataKey:
        return self.study.data_key_resolve()


class Instance(models.Model):
    """One stored DICOM file (an image or another object) of a series."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="instances")
    sop_uid = models.CharField(max_length=64)
    number = models.IntegerField(null=True, blank=True)
    position = models.FloatField(null=True, blank=True)
    has_pixels = models.BooleanField(default=True)
    file = models.CharField(max_length=300)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    upload = models.ForeignKey(Upload, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["number", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "sop_uid"], name="instance_unique_per_series")
        ]

    def __str__(self) -> str:
        return f"instance {self.number or self.pk} of {self.series}"


class HeldImage(models.Model):
    """A de-identified image held back because its pixels may show text, until a coordinator
    reviews it: released with the boxes it drew blacked out, or kept withheld."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        RELEASING = "releasing", "Being masked"
        RELEASED = "released", "Released with a mask"
        WITHHELD = "withheld", "Kept withheld"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="held_images")
    instance = models.OneToOneField(Instance, on_delete=models.CASCADE, related_name="held")
    # The core's reason: the kind of object, never a value from it.
    reason = models.CharField(max_length=200)
    # The de-identified file (header cleaned, pixels as uploaded), and a picture of its frames.
    deid_file = models.CharField(max_length=300)
    preview = models.CharField(max_length=300, blank=True)
    preview_error = models.CharField(max_length=200, blank=True)
    frames = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    # Boxes as fractions of the frame (records.cleaning.Box), applied to every frame.
    mask = models.JSONField(default=list, blank=True)
    released_file = models.CharField(max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"held image {self.pk} of {self.study}"

    def data_key_resolve(self) -> DataKey:
        return self.study.data_key_resolve()


class ViewerImage(models.Model):
    """One image of a series as the viewer shows it: its frames decoded once from the
    de-identified copy by the worker (records.frames), or why they cannot be shown."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="viewer_images")
    order = models.PositiveIntegerField()
    number = models.IntegerField(null=True, blank=True)
    position = models.FloatField(null=True, blank=True)
    frames = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    columns = models.PositiveIntegerField(default=0)
    colour = models.BooleanField(default=False)
    inverted = models.BooleanField(default=False)
    centre = models.FloatField(default=0)
    width = models.FloatField(default=1)
    # The frames as records.frames stores them, sealed with the case's key; empty when not shown.
    file = models.CharField(max_length=300, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"viewer image {self.order} of {self.series}"

    def data_key_resolve(self) -> DataKey:
        return self.series.data_key_resolve()
