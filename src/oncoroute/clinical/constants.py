"""Enumerations of the canonical findings format (SPEC §10) and of the report's labels.

Everything a form or an API needs to build its choices lives here, as plain tuples and mappings.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

RULES_VERSION: Final = "clinical-rules-2025.1"

Level = Literal[
    "OCC",
    "C1",
    "C2",
    "C3",
    "C4",
    "C5",
    "C6",
    "C7",
    "T1",
    "T2",
    "T3",
    "T4",
    "T5",
    "T6",
    "T7",
    "T8",
    "T9",
    "T10",
    "T11",
    "T12",
    "L1",
    "L2",
    "L3",
    "L4",
    "L5",
    "S1",
    "S2",
    "S3",
    "S4",
    "S5",
]
LEVELS: Final[tuple[str, ...]] = get_args(Level)
LEVEL_INDEX: Final[dict[str, int]] = {level: i for i, level in enumerate(LEVELS)}

Sex = Literal["M", "F"]
SEXES: Final[tuple[str, ...]] = get_args(Sex)

Primary = Literal[
    "lung_nsclc",
    "lung_sclc",
    "breast",
    "prostate",
    "kidney",
    "thyroid",
    "liver",
    "gallbladder",
    "stomach",
    "oesophagus",
    "pancreas",
    "colon",
    "rectum",
    "bladder",
    "uterus",
    "cervix",
    "ovary",
    "melanoma",
    "sarcoma",
    "osteosarcoma",
    "myeloma",
    "lymphoma",
    "leukaemia",
    "germ_cell",
    "neuroendocrine",
    "head_neck",
    "unknown",
    "other",
]
PRIMARIES: Final[tuple[str, ...]] = get_args(Primary)

NetSite = Literal["gep", "lung", "unknown"]
NET_SITES: Final[tuple[str, ...]] = get_args(NetSite)
NetDifferentiation = Literal["well", "poor"]
NET_DIFFERENTIATIONS: Final[tuple[str, ...]] = get_args(NetDifferentiation)
VisceralMets = Literal["none", "removable", "unremovable"]
VISCERAL_METS: Final[tuple[str, ...]] = get_args(VisceralMets)

Pain = Literal["mechanical", "occasional_nonmechanical", "none"]
PAIN_VALUES: Final[tuple[str, ...]] = get_args(Pain)
LesionType = Literal["lytic", "mixed", "blastic"]
LESION_TYPES: Final[tuple[str, ...]] = get_args(LesionType)
Alignment = Literal["subluxation", "deformity", "normal"]
ALIGNMENTS: Final[tuple[str, ...]] = get_args(Alignment)
Collapse = Literal["gt50", "lt50", "none_gt50_involved", "none"]
COLLAPSE_VALUES: Final[tuple[str, ...]] = get_args(Collapse)
Posterolateral = Literal["bilateral", "unilateral", "none"]
POSTEROLATERAL_VALUES: Final[tuple[str, ...]] = get_args(Posterolateral)

EsccGrade = Literal["0", "1a", "1b", "1c", "2", "3"]
ESCC_GRADES: Final[tuple[str, ...]] = get_args(EsccGrade)
ESCC_LOW_GRADES: Final = frozenset({"0", "1a", "1b"})
ESCC_HIGH_GRADES: Final = frozenset({"2", "3"})

FrankelGrade = Literal["A", "B", "C", "D", "E"]
FRANKEL_GRADES: Final[tuple[str, ...]] = get_args(FrankelGrade)
ASIA_GRADES: Final = ("A", "B", "C", "D", "E")

ECOG_GRADES: Final = (0, 1, 2, 3, 4)
KPS_VALUES: Final = (10, 20, 30, 40, 50, 60, 70, 80, 90, 100)

MSCC_NEURO_RED_FLAGS: Final[dict[str, str]] = {
    "radicular_pain": (
        "Nerve-root pain that shoots along a limb or wraps round the chest like a band"
    ),
    "limb_weakness": "Weakness in an arm or a leg",
    "gait_disturbance": "Difficulty walking or unsteadiness on the feet",
    "sensory_loss": "Numbness, pins and needles or loss of feeling, including around the buttocks",
    "bladder_bowel_dysfunction": "Problems controlling the bladder or the bowels",
    "cord_or_cauda_equina_signs": "A doctor found signs of pressure on the spinal cord or nerves",
}
MSCC_PAIN_RED_FLAGS: Final[dict[str, str]] = {
    "thoracic_or_cervical_pain": "Pain in the middle or upper part of the spine",
    "progressive_lumbar_pain": "Lower back pain that keeps getting worse",
    "severe_unremitting_pain": "Severe spinal pain that does not let up",
    "pain_on_straining": "Spinal pain made worse by coughing, sneezing or straining on the toilet",
    "localised_tenderness": "A spot on the spine that is tender to touch",
    "nocturnal_pain": "Spinal pain at night that disturbs sleep",
    "mechanical_pain": "Spinal pain when standing, sitting or moving",
    "claudication": "Leg pain or weakness that comes on when walking",
}
MSCC_RED_FLAGS: Final[dict[str, str]] = {**MSCC_NEURO_RED_FLAGS, **MSCC_PAIN_RED_FLAGS}
RedFlag = Literal[
    "radicular_pain",
    "limb_weakness",
    "gait_disturbance",
    "sensory_loss",
    "bladder_bowel_dysfunction",
    "cord_or_cauda_equina_signs",
    "thoracic_or_cervical_pain",
    "progressive_lumbar_pain",
    "severe_unremitting_pain",
    "pain_on_straining",
    "localised_tenderness",
    "nocturnal_pain",
    "mechanical_pain",
    "claudication",
]
RED_FLAGS: Final[tuple[str, ...]] = get_args(RedFlag)

TherapyId = Literal[
    "bone_targeted_agent",
    "cebrt",
    "lu177_dotatate",
    "lu177_psma",
    "preop_embolization",
    "ra223",
    "sbrt",
    "surgical_decompression",
    "surgical_stabilization",
    "vertebral_augmentation",
]
THERAPY_IDS: Final[tuple[str, ...]] = get_args(TherapyId)

ANDROGEN_RECEPTOR_PATHWAY_INHIBITORS: Final = frozenset(
    {"abiraterone", "enzalutamide", "apalutamide", "darolutamide"}
)
TAXANES: Final = frozenset({"docetaxel", "cabazitaxel", "paclitaxel"})
KNOWN_THERAPY_HISTORY_IDS: Final = (
    "adt",
    "abiraterone",
    "prednisone",
    "enzalutamide",
    "apalutamide",
    "darolutamide",
    "docetaxel",
    "cabazitaxel",
    "paclitaxel",
    "octreotide_lar",
    "lanreotide",
)

SINS_BANDS: Final = ("stable", "potentially_unstable", "unstable")
TOKUHASHI_BANDS: Final = ("lt6m", "ge6m", "ge12m")
TOMITA_BANDS: Final = ("2-3", "4-5", "6-7", "8-10")
MODIFIED_BAUER_BANDS: Final = ("0-1", "2", "3-4")
RADIOSENSITIVITY_CLASSES: Final = (
    "highly_sensitive",
    "moderately_sensitive",
    "resistant",
    "unknown",
)

NomsRecommendation = Literal[
    "cEBRT",
    "SRS",
    "palliative_cEBRT",
    "observation_systemic_therapy",
    "separation_surgery+SRS",
    "decompressive_surgery+cEBRT",
    "cement_augmentation+cEBRT",
    "cement_augmentation+SRS",
    "surgical_stabilization+cEBRT",
    "surgical_stabilization+SRS",
]
NOMS_RECOMMENDATIONS: Final[tuple[str, ...]] = get_args(NomsRecommendation)
TriageLevel = Literal["emergency_mscc", "urgent_spinal_pain", "routine"]
TRIAGE_LEVELS: Final[tuple[str, ...]] = get_args(TriageLevel)
TravelAdvice = Literal[
    "do_not_travel_seek_local_emergency_care",
    "specialist_clearance_required",
    "standard_precautions",
]
TRAVEL_ADVICE: Final[tuple[str, ...]] = get_args(TravelAdvice)

SUMMARY_KEYS: Final = (
    "sins",
    "sins_band",
    "tokuhashi",
    "tokuhashi_range",
    "tokuhashi_band",
    "tomita",
    "tomita_band",
    "modified_bauer",
    "nesms",
    "noms_recommendation",
    "mscc_urgent",
    "triage",
    "travel",
    "eligible",
)
