"""What the public request form offers, in the words a patient uses.

The warning-sign ids are the clinical core's red-flag ids (SPEC §7) so that intake and the full
triage speak of the same things.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoroute.clinical import MSCC_RED_FLAGS
from oncoroute.clinical.labels import SINS_BAND_LABELS, TRIAGE_LEVEL_LABELS
from oncoroute.clinical.mscc import triage_level as mscc_triage_level

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class WriterRole(models.TextChoices):
    PATIENT = "patient", _("I am the patient")
    RELATIVE = "relative", _("A relative or friend of the patient")
    DOCTOR = "doctor", _("The patient's doctor")


class PatientSex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class PrimaryCancer(models.TextChoices):
    BREAST = "breast", _("Breast")
    PROSTATE = "prostate", _("Prostate")
    LUNG = "lung", _("Lung")
    KIDNEY = "kidney", _("Kidney")
    THYROID = "thyroid", _("Thyroid")
    COLON = "colon", _("Colon")
    RECTUM = "rectum", _("Rectum")
    MYELOMA = "myeloma", _("Multiple myeloma")
    LYMPHOMA = "lymphoma", _("Lymphoma")
    MELANOMA = "melanoma", _("Melanoma")
    LIVER = "liver", _("Liver")
    STOMACH = "stomach", _("Stomach")
    OESOPHAGUS = "oesophagus", _("Oesophagus")
    PANCREAS = "pancreas", _("Pancreas")
    BLADDER = "bladder", _("Bladder")
    UTERUS = "uterus", _("Uterus")
    CERVIX = "cervix", _("Cervix")
    OVARY = "ovary", _("Ovary")
    SARCOMA = "sarcoma", _("Sarcoma")
    HEAD_NECK = "head_neck", _("Head and neck")
    NEUROENDOCRINE = "neuroendocrine", _("Neuroendocrine tumour")
    OTHER = "other", _("Other (please say which)")
    UNKNOWN = "unknown", _("Not known yet")


class SpineRegion(models.TextChoices):
    CERVICAL = "cervical", _("Neck (cervical)")
    THORACIC = "thoracic", _("Upper and middle back (thoracic)")
    LUMBAR = "lumbar", _("Lower back (lumbar)")
    SACRAL = "sacral", _("Base of the spine (sacral)")
    UNKNOWN = "unknown", _("Don't know")


# NICE NG234 neurological red flags: any one means possible spinal cord compression.
CORD_COMPRESSION_SIGNS: dict[str, StrOrPromise] = {
    "limb_weakness": _("New weakness in the legs or arms"),
    "sensory_loss": _("New numbness or tingling in the legs, arms, buttocks or groin"),
    "gait_disturbance": _("Difficulty walking or new unsteadiness on the feet"),
    "bladder_bowel_dysfunction": _(
        "Loss of bladder or bowel control, or new trouble passing urine"
    ),
    "radicular_pain": _("Band-like pain around the chest or belly, or pain shooting down a limb"),
}

# NICE NG234 pain pattern suggesting spinal metastases: assessment within 24 hours, no emergency.
SPINAL_PAIN_SIGNS: dict[str, StrOrPromise] = {
    "progressive_lumbar_pain": _("Back pain that keeps getting worse"),
    "severe_unremitting_pain": _("Severe back or neck pain that does not let up"),
    "thoracic_or_cervical_pain": _("Pain in the neck or the upper or middle back"),
    "pain_on_straining": _("Back pain worse when coughing, sneezing or straining"),
    "nocturnal_pain": _("Back pain that wakes you at night"),
    "mechanical_pain": _("Pain when standing, sitting up or moving"),
}

OTHER_SYMPTOMS: dict[str, StrOrPromise] = {
    "fatigue": _("Tiredness that limits daily life"),
    "weight_loss": _("Weight loss without trying"),
}

SYMPTOMS: dict[str, StrOrPromise] = {
    **CORD_COMPRESSION_SIGNS,
    **SPINAL_PAIN_SIGNS,
    **OTHER_SYMPTOMS,
}


class Want(models.TextChoices):
    ONLINE_CONSULTATION = (
        "online_consultation",
        _("An online consultation with a specialist abroad"),
    )
    IN_PERSON_CONSULTATION = "in_person_consultation", _("An in-person consultation abroad")
    DIAGNOSTIC_CHECKUP = "diagnostic_checkup", _("A diagnostic check-up")
    TREATMENT = "treatment", _("Treatment")
    SECOND_OPINION = "second_opinion", _("A second opinion on a proposed treatment")


DESTINATION_COUNTRIES: list[tuple[str, StrOrPromise]] = [
    ("TR", _("Turkey")),
    ("ES", _("Spain")),
    ("IL", _("Israel")),
    ("KR", _("South Korea")),
    ("DE", _("Germany")),
]


class Urgency(models.TextChoices):
    """The MSCC red-flag screen's levels (SPEC §7), from intake or from the latest triage."""

    EMERGENCY = "emergency_mscc", TRIAGE_LEVEL_LABELS["emergency_mscc"]
    URGENT = "urgent_spinal_pain", TRIAGE_LEVEL_LABELS["urgent_spinal_pain"]
    ROUTINE = "routine", TRIAGE_LEVEL_LABELS["routine"]


def urgency_from_symptoms(symptoms: list[str]) -> Urgency:
    """Screen the ticked symptoms with the clinical core's NICE NG234 red-flag rule."""
    return Urgency(mscc_triage_level([s for s in symptoms if s in MSCC_RED_FLAGS]))


# The queue's order: cord compression, unstable spine, indeterminate, pain, the rest; each rank
# shown with the label of the urgency or SINS band that gives it.
QUEUE_PRIORITY_LABELS = (
    Urgency.EMERGENCY.label,
    SINS_BAND_LABELS["unstable"],
    SINS_BAND_LABELS["potentially_unstable"],
    Urgency.URGENT.label,
    Urgency.ROUTINE.label,
)


# How soon each priority (its queue rank) must have a first answer: possible cord compression
# counts in minutes, not in the routine day.
FIRST_ANSWER_TARGETS: dict[int, timedelta] = {
    0: timedelta(minutes=30),
    1: timedelta(hours=2),
    2: timedelta(hours=8),
    3: timedelta(hours=8),
}


def first_answer_target(rank: int) -> timedelta:
    """The first-answer target of a queue rank; the routine one is FIRST_ANSWER_HOURS."""
    return FIRST_ANSWER_TARGETS.get(rank, timedelta(hours=settings.FIRST_ANSWER_HOURS))


def queue_rank(*, urgency: str, sins_band: str) -> int:
    """The position of the case's priority in `QUEUE_PRIORITY_LABELS`."""
    if urgency == Urgency.EMERGENCY:
        return 0
    if sins_band == "unstable":
        return 1
    if sins_band == "potentially_unstable":
        return 2
    return 3 if urgency == Urgency.URGENT else 4


# The intake's primary cancer as the clinical core names it, to prefill the findings form. Two are
# left for the coordinator on purpose: lung needs its subtype (NSCLC or SCLC) from the records,
# and a sender's "not known yet" is not the core's "unknown" (a cancer of unknown primary).
PRIMARY_NOT_PREFILLED = frozenset({PrimaryCancer.LUNG, PrimaryCancer.UNKNOWN})
PRIMARY_FOR_TRIAGE: dict[str, str] = {
    code: code for code in PrimaryCancer.values if code not in PRIMARY_NOT_PREFILLED
}
PRIMARY_SUBTYPES: dict[str, tuple[str, ...]] = {"lung": ("lung_nsclc", "lung_sclc")}


# The consent of the request form, word for word in each language of the pages (not through the
# translation catalogue: a consent is the exact text agreed to). A consent keeps the language and
# hash of the text that was shown (cases.services); changed wording needs a new version.
CONSENT_TEXT_VERSION = "health-data-2026-11"
CONSENT_TEXTS: dict[str, str] = {
    "en": (
        "I agree that oncoroute processes the health information in this request, and any records "
        "I send later, to assess my case, to contact me, and to find clinics that could help. "
        "Nothing is shared with a clinic without my separate agreement. I can withdraw this "
        "consent at any time."
    ),
    "ru": (
        "Я даю согласие на то, чтобы oncoroute обрабатывал сведения о здоровье из этой заявки и "
        "из медицинских документов, которые я пришлю позже, — чтобы оценить мой случай, "
        "связаться со мной и подобрать клиники, которые могут помочь. Без моего отдельного "
        "согласия ничего не передаётся ни одной клинике. Я могу отозвать это согласие в любой "
        "момент."
    ),
}
