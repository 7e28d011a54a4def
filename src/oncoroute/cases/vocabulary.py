"""What the public request form offers, in the words a patient uses.

The warning-sign ids are the clinical core's red-flag ids (SPEC §7) so that intake and the full
triage speak of the same things.
"""

from __future__ import annotations

from django.db import models

from oncoroute.clinical import MSCC_RED_FLAGS
from oncoroute.clinical.labels import SINS_BAND_LABELS, TRIAGE_LEVEL_LABELS
from oncoroute.clinical.mscc import triage_level as mscc_triage_level


class WriterRole(models.TextChoices):
    PATIENT = "patient", "I am the patient"
    RELATIVE = "relative", "A relative or friend of the patient"
    DOCTOR = "doctor", "The patient's doctor"


class PrimaryCancer(models.TextChoices):
    BREAST = "breast", "Breast"
    PROSTATE = "prostate", "Prostate"
    LUNG = "lung", "Lung"
    KIDNEY = "kidney", "Kidney"
    THYROID = "thyroid", "Thyroid"
    COLON = "colon", "Colon"
    RECTUM = "rectum", "Rectum"
    MYELOMA = "myeloma", "Multiple myeloma"
    LYMPHOMA = "lymphoma", "Lymphoma"
    MELANOMA = "melanoma", "Melanoma"
    LIVER = "liver", "Liver"
    STOMACH = "stomach", "Stomach"
    OESOPHAGUS = "oesophagus", "Oesophagus"
    PANCREAS = "pancreas", "Pancreas"
    BLADDER = "bladder", "Bladder"
    UTERUS = "uterus", "Uterus"
    CERVIX = "cervix", "Cervix"
    OVARY = "ovary", "Ovary"
    SARCOMA = "sarcoma", "Sarcoma"
    HEAD_NECK = "head_neck", "Head and neck"
    NEUROENDOCRINE = "neuroendocrine", "Neuroendocrine tumour"
    OTHER = "other", "Other (please say which)"
    UNKNOWN = "unknown", "Not known yet"


class SpineRegion(models.TextChoices):
    CERVICAL = "cervical", "Neck (cervical)"
    THORACIC = "thoracic", "Upper and middle back (thoracic)"
    LUMBAR = "lumbar", "Lower back (lumbar)"
    SACRAL = "sacral", "Base of the spine (sacral)"
    UNKNOWN = "unknown", "Don't know"


# NICE NG234 neurological red flags: any one means possible spinal cord compression.
CORD_COMPRESSION_SIGNS: dict[str, str] = {
    "limb_weakness": "New weakness in the legs or arms",
    "sensory_loss": "New numbness or tingling in the legs, arms, buttocks or groin",
    "gait_disturbance": "Difficulty walking or new unsteadiness on the feet",
    "bladder_bowel_dysfunction": "Loss of bladder or bowel control, or new trouble passing urine",
    "radicular_pain": "Band-like pain around the chest or belly, or pain shooting down a limb",
}

# NICE NG234 pain pattern suggesting spinal metastases: assessment within 24 hours, no emergency.
SPINAL_PAIN_SIGNS: dict[str, str] = {
    "progressive_lumbar_pain": "Back pain that keeps getting worse",
    "severe_unremitting_pain": "Severe back or neck pain that does not let up",
    "thoracic_or_cervical_pain": "Pain in the neck or the upper or middle back",
    "pain_on_straining": "Back pain worse when coughing, sneezing or straining",
    "nocturnal_pain": "Back pain that wakes you at night",
    "mechanical_pain": "Pain when standing, sitting up or moving",
}

OTHER_SYMPTOMS: dict[str, str] = {
    "fatigue": "Tiredness that limits daily life",
    "weight_loss": "Weight loss without trying",
}

SYMPTOMS: dict[str, str] = {**CORD_COMPRESSION_SIGNS, **SPINAL_PAIN_SIGNS, **OTHER_SYMPTOMS}


class Want(models.TextChoices):
    ONLINE_CONSULTATION = "online_consultation", "An online consultation with a specialist abroad"
    IN_PERSON_CONSULTATION = "in_person_consultation", "An in-person consultation abroad"
    DIAGNOSTIC_CHECKUP = "diagnostic_checkup", "A diagnostic check-up"
    TREATMENT = "treatment", "Treatment"
    SECOND_OPINION = "second_opinion", "A second opinion on a proposed treatment"


DESTINATION_COUNTRIES: list[tuple[str, str]] = [
    ("TR", "Turkey"),
    ("ES", "Spain"),
    ("IL", "Israel"),
    ("KR", "South Korea"),
    ("DE", "Germany"),
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


CONSENT_TEXT_VERSION = "health-data-2026-11"
CONSENT_TEXT = (
    "I agree that oncoroute processes the health information in this request, and any records I "
    "send later, to assess my case, to contact me, and to find clinics that could help. Nothing is "
    "shared with a clinic without my separate agreement. I can withdraw this consent at any time."
)
