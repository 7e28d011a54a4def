"""One plain-English label per code the clinical core returns, for every page that shows it."""

from __future__ import annotations

from typing import Final

from oncoroute.clinical.constants import MSCC_NEURO_RED_FLAGS, MSCC_PAIN_RED_FLAGS

TRIAGE_LEVEL_LABELS: Final[dict[str, str]] = {
    "emergency_mscc": "Emergency: possible spinal cord compression",
    "urgent_spinal_pain": "Urgent: spinal pain pattern, local assessment within 24 h",
    "routine": "Routine",
}
SINS_BAND_LABELS: Final[dict[str, str]] = {
    "stable": "Stable (SINS 0–6)",
    "potentially_unstable": "Potentially unstable (SINS 7–12)",
    "unstable": "Unstable (SINS 13–18)",
}
TRAVEL_LABELS: Final[dict[str, str]] = {
    "do_not_travel_seek_local_emergency_care": "Do not travel: seek local emergency care",
    "specialist_clearance_required": "Specialist clearance and airline MEDIF required",
    "standard_precautions": "Standard precautions",
}

# The values of the findings, per field, as the findings form and every page name them.
FINDING_VALUE_LABELS: Final[dict[str, dict[str, str]]] = {
    "sex": {"M": "Male", "F": "Female"},
    "primary": {
        "lung_nsclc": "Lung, non-small cell",
        "lung_sclc": "Lung, small cell",
        "breast": "Breast",
        "prostate": "Prostate",
        "kidney": "Kidney",
        "thyroid": "Thyroid",
        "liver": "Liver",
        "gallbladder": "Gallbladder",
        "stomach": "Stomach",
        "oesophagus": "Oesophagus",
        "pancreas": "Pancreas",
        "colon": "Colon",
        "rectum": "Rectum",
        "bladder": "Bladder",
        "uterus": "Uterus",
        "cervix": "Cervix",
        "ovary": "Ovary",
        "melanoma": "Melanoma",
        "sarcoma": "Sarcoma",
        "osteosarcoma": "Osteosarcoma",
        "myeloma": "Myeloma",
        "lymphoma": "Lymphoma",
        "leukaemia": "Leukaemia",
        "germ_cell": "Germ cell tumour",
        "neuroendocrine": "Neuroendocrine tumour",
        "head_neck": "Head and neck",
        "unknown": "Unknown primary",
        "other": "Other",
    },
    "net_site": {"gep": "Gastro-entero-pancreatic", "lung": "Lung", "unknown": "Unknown site"},
    "net_differentiation": {"well": "Well differentiated", "poor": "Poorly differentiated"},
    "visceral_mets": {
        "none": "None",
        "removable": "Removable",
        "unremovable": "Not removable",
    },
    "pain": {
        "mechanical": "Mechanical (worse with movement or load)",
        "occasional_nonmechanical": "Occasional, not mechanical",
        "none": "No pain",
    },
    "lesion_type": {"lytic": "Lytic", "mixed": "Mixed lytic and blastic", "blastic": "Blastic"},
    "alignment": {
        "subluxation": "Subluxation or translation",
        "deformity": "New deformity (kyphosis or scoliosis)",
        "normal": "Normal alignment",
    },
    "collapse": {
        "gt50": "More than 50% collapse",
        "lt50": "Less than 50% collapse",
        "none_gt50_involved": "No collapse, more than 50% of the body involved",
        "none": "None of these",
    },
    "posterolateral": {"bilateral": "Both sides", "unilateral": "One side", "none": "None"},
    "escc": {
        "0": "0 — bone only",
        "1a": "1a — epidural, no thecal sac deformity",
        "1b": "1b — thecal sac deformed, cord not touched",
        "1c": "1c — cord touched, not compressed",
        "2": "2 — cord compressed, CSF visible",
        "3": "3 — cord compressed, no CSF visible",
    },
    "frankel": {
        "A": "A — complete paralysis",
        "B": "B — sensation only",
        "C": "C — motor function, not useful",
        "D": "D — motor function, walks with or without aid",
        "E": "E — normal",
    },
}
# The treatments a patient has had or has now, for the therapy history of the findings.
THERAPY_HISTORY_LABELS: Final[dict[str, str]] = {
    "adt": "Androgen deprivation therapy (ADT)",
    "abiraterone": "Abiraterone",
    "prednisone": "Prednisone",
    "enzalutamide": "Enzalutamide",
    "apalutamide": "Apalutamide",
    "darolutamide": "Darolutamide",
    "docetaxel": "Docetaxel",
    "cabazitaxel": "Cabazitaxel",
    "paclitaxel": "Paclitaxel",
    "octreotide_lar": "Octreotide LAR",
    "lanreotide": "Lanreotide",
}
NOMS_LABELS: Final[dict[str, str]] = {
    "cEBRT": "Conventional radiotherapy",
    "SRS": "Stereotactic radiosurgery",
    "palliative_cEBRT": "Palliative radiotherapy or supportive care",
    "observation_systemic_therapy": "Observation and systemic therapy",
    "separation_surgery+SRS": "Separation surgery, then stereotactic radiosurgery",
    "decompressive_surgery+cEBRT": "Decompressive surgery, then conventional radiotherapy",
    "cement_augmentation+cEBRT": "Cement augmentation and conventional radiotherapy",
    "cement_augmentation+SRS": "Cement augmentation and stereotactic radiosurgery",
    "surgical_stabilization+cEBRT": "Surgical stabilisation and conventional radiotherapy",
    "surgical_stabilization+SRS": "Surgical stabilisation and stereotactic radiosurgery",
}
# Bands of every score, grade and rule; numeric bands ("2-3") read as they are.
BAND_LABELS: Final[dict[str, str]] = {
    **SINS_BAND_LABELS,
    "lt6m": "Under 6 months predicted",
    "ge6m": "6 months or more predicted",
    "ge12m": "12 months or more predicted",
    "low_grade": "Low grade",
    "high_grade": "High grade",
    "borderline": "Borderline",
    "ecog_0": "ECOG 0",
    "ecog_1": "ECOG 1",
    "ecog_2": "ECOG 2",
    "ecog_3": "ECOG 3",
    "ecog_4": "ECOG 4",
    "highly_sensitive": "Highly radiosensitive",
    "moderately_sensitive": "Moderately radiosensitive",
    "resistant": "Radioresistant",
    "unknown": "Radiosensitivity unknown",
    "eligible": "Eligible",
    "provisional": "Provisionally eligible",
    "not_eligible": "Not eligible",
    "undetermined": "Not yet decided",
    **TRIAGE_LEVEL_LABELS,
    **TRAVEL_LABELS,
}
# The inputs of the scores, as their tables name them.
COMPONENT_LABELS: Final[dict[str, str]] = {
    "location": "Location",
    "pain": "Pain",
    "bone_lesion": "Bone lesion",
    "alignment": "Alignment",
    "collapse": "Vertebral body collapse",
    "posterolateral": "Posterolateral involvement",
    "general_condition": "General condition",
    "extraspinal_bone_mets": "Bone metastases outside the spine",
    "n_vertebral_mets": "Vertebrae involved",
    "vertebral_body_mets": "Metastases in vertebral bodies",
    "visceral_mets": "Metastases to major organs",
    "primary_site": "Primary tumour",
    "palsy": "Palsy (Frankel)",
    "primary_growth": "Growth of the primary tumour",
    "bone_mets": "Bone metastases",
    "no_visceral_mets": "No metastases to major organs",
    "primary_not_lung": "Primary not lung",
    "favourable_primary": "Favourable primary",
    "solitary_skeletal_met": "A single bone metastasis",
    "modified_bauer_ge3": "Modified Bauer 3 or more",
    "independent_ambulation": "Walks independently",
    "albumin_ge_3_5": "Albumin 3.5 g/dL or more",
}
GROWTH_LABELS: Final[dict[str, str]] = {"slow": "Slow", "moderate": "Moderate", "rapid": "Rapid"}
# The tests of the decision rules, as a coordinator reads them in "How this was worked out".
CRITERION_LABELS: Final[dict[str, str]] = {
    "age_ge_12": "Aged 12 or over",
    "alignment_normal": "Normal alignment",
    "anc_10e9_l_ge_1.5": "Neutrophils 1.5 ×10⁹/L or more",
    "arpi_given": "Has had an androgen-receptor pathway inhibitor",
    "bone_lesions_ge_2": "Two or more bone lesions",
    "castration_resistant": "Castration resistant",
    "coagulopathy_corrected": "No uncorrected clotting disorder",
    "collapse_or_body_involved": "Collapse, or more than half the body involved",
    "contiguous_levels_le_3": "At most three adjacent levels",
    "crcl_ml_min_ge_50": "Creatinine clearance 50 mL/min or more",
    "ecog_le_2": "ECOG 2 or better",
    "escc_0_1a_1b": "Epidural compression grade 0, 1a or 1b",
    "escc_0_to_1c": "Epidural compression grade 0 to 1c",
    "escc_2_or_3": "Epidural compression grade 2 or 3",
    "frankel_e": "Frankel E (no deficit)",
    "gep_site": "Gastro-entero-pancreatic site",
    "hb_g_dl_ge_10": "Haemoglobin 10 g/dL or more",
    "hb_g_dl_ge_8": "Haemoglobin 8 g/dL or more",
    "hb_g_dl_ge_9": "Haemoglobin 9 g/dL or more",
    "hb_lt_7_5": "Haemoglobin under 7.5 g/dL",
    "hypervascular_primary": "Very vascular primary tumour",
    "indication": "Indication",
    "instability_action": "Instability needs action",
    "kps_ge_50": "KPS 50 or more",
    "kps_ge_60": "KPS 60 or more",
    "kps_gt_40": "KPS over 40",
    "kps_le_40": "KPS 40 or less",
    "male": "Male",
    "mscc_urgent": "Possible cord compression",
    "neuro_deficit": "Neurological deficit",
    "no_dental_extraction_pending": "No dental extraction pending",
    "no_infection_at_site": "No infection at the site",
    "no_mscc_red_flag": "No cord-compression red flag",
    "no_prior_rt_same_site": "No earlier radiotherapy to the same site",
    "no_psma_negative_lesions": "No PSMA-negative lesions",
    "no_subluxation": "No subluxation",
    "no_uncorrected_hypocalcaemia": "No uncorrected low calcium",
    "no_visceral_mets": "No metastases to major organs",
    "not_complete_paralysis_over_48h": "Not completely paralysed for more than 48 hours",
    "not_highly_radiosensitive": "Tumour not highly radiosensitive",
    "not_lymphoma_or_leukaemia": "Not lymphoma or leukaemia",
    "not_on_abiraterone": "Not on abiraterone",
    "pain_free_low_grade_stable_intact": "Pain-free, low grade, stable, neurologically intact",
    "pain_or_epidural_disease_or_deficit": "Pain, epidural disease or a deficit",
    "pain_present": "Pain present",
    "platelets_10e9_l_ge_100": "Platelets 100 ×10⁹/L or more",
    "platelets_10e9_l_ge_75": "Platelets 75 ×10⁹/L or more",
    "posterolateral_at_most_unilateral": "Posterolateral involvement on one side at most",
    "prior_rt_same_site": "Earlier radiotherapy to the same site",
    "prostate_castration_resistant": "Castration-resistant prostate cancer",
    "prostate_primary": "Prostate primary",
    "psma_pet_positive": "PSMA PET positive",
    "sins_ge_13": "SINS 13 or more",
    "sins_lt_13": "SINS under 13",
    "sstr_positive": "Somatostatin-receptor positive",
    "surgery_eligible": "Fit for surgery",
    "symptomatic": "Symptomatic",
    "taxane_given_or_deferral_appropriate": "Taxane given, or deferring it is appropriate",
    "tokuhashi_min_ge_9": "Tokuhashi 9 or more",
    "two_prior_lines_or_ineligible": "Two earlier lines of treatment, or not eligible for them",
    "well_differentiated_net": "Well-differentiated neuroendocrine tumour",
}
RED_FLAG_LABELS_PREFIX: Final[dict[str, str]] = {
    "neurological red flag: ": "Neurological red flag: ",
    "pain red flag: ": "Pain red flag: ",
}


def value_label(value: object, field: str | None = None) -> str:
    """A finding's value as a person reads it: the field's own label, else any field's, else
    the value itself (numbers, levels)."""
    text = str(value)
    if field is not None and text in FINDING_VALUE_LABELS.get(field, {}):
        return FINDING_VALUE_LABELS[field][text]
    for labels in (*FINDING_VALUE_LABELS.values(), GROWTH_LABELS, THERAPY_HISTORY_LABELS):
        if text in labels:
            return labels[text]
    return text


def criterion_label(test: str) -> str:
    """A decision rule's test as words: its label, or a red flag named by its own label."""
    if test in CRITERION_LABELS:
        return CRITERION_LABELS[test]
    flags = {**MSCC_NEURO_RED_FLAGS, **MSCC_PAIN_RED_FLAGS}
    for prefix, label in RED_FLAG_LABELS_PREFIX.items():
        if test.startswith(prefix):
            flag = test.removeprefix(prefix)
            return label + flags.get(flag, flag.replace("_", " "))
    return test.replace("_", " ").capitalize()
