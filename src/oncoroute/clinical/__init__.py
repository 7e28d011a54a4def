"""Clinical decision support for spinal metastases: scores, NOMS pathway, red flags, eligibility.

Pure Python (no Django). Rules and citations: docs/clinical.md and /shared/clinical/SPEC.md.

    >>> from oncoroute.clinical import triage
    >>> report = triage({"primary": "breast", "kps": 80, "red_flags": []})
    >>> report.summary.triage
    'routine'
"""

from __future__ import annotations

from oncoroute.clinical.constants import (
    ALIGNMENTS,
    ANDROGEN_RECEPTOR_PATHWAY_INHIBITORS,
    ASIA_GRADES,
    COLLAPSE_VALUES,
    ECOG_GRADES,
    ESCC_GRADES,
    FRANKEL_GRADES,
    KNOWN_THERAPY_HISTORY_IDS,
    KPS_VALUES,
    LESION_TYPES,
    LEVELS,
    MODIFIED_BAUER_BANDS,
    MSCC_NEURO_RED_FLAGS,
    MSCC_PAIN_RED_FLAGS,
    MSCC_RED_FLAGS,
    NET_DIFFERENTIATIONS,
    NET_SITES,
    NOMS_RECOMMENDATIONS,
    PAIN_VALUES,
    POSTEROLATERAL_VALUES,
    PRIMARIES,
    RADIOSENSITIVITY_CLASSES,
    RED_FLAGS,
    RULES_VERSION,
    SEXES,
    SINS_BANDS,
    SUMMARY_KEYS,
    TAXANES,
    THERAPY_IDS,
    TOKUHASHI_BANDS,
    TOMITA_BANDS,
    TRAVEL_ADVICE,
    TRIAGE_LEVELS,
    VISCERAL_METS,
)
from oncoroute.clinical.findings import Findings, FindingsError, Labs, Lesion, parse_findings
from oncoroute.clinical.neurology import frankel_from_asia
from oncoroute.clinical.report import Summary, TriageReport, triage
from oncoroute.clinical.result import Component, Criterion, Result

__all__ = [
    "ALIGNMENTS",
    "ANDROGEN_RECEPTOR_PATHWAY_INHIBITORS",
    "ASIA_GRADES",
    "COLLAPSE_VALUES",
    "ECOG_GRADES",
    "ESCC_GRADES",
    "FRANKEL_GRADES",
    "KNOWN_THERAPY_HISTORY_IDS",
    "KPS_VALUES",
    "LESION_TYPES",
    "LEVELS",
    "MODIFIED_BAUER_BANDS",
    "MSCC_NEURO_RED_FLAGS",
    "MSCC_PAIN_RED_FLAGS",
    "MSCC_RED_FLAGS",
    "NET_DIFFERENTIATIONS",
    "NET_SITES",
    "NOMS_RECOMMENDATIONS",
    "PAIN_VALUES",
    "POSTEROLATERAL_VALUES",
    "PRIMARIES",
    "RADIOSENSITIVITY_CLASSES",
    "RED_FLAGS",
    "RULES_VERSION",
    "SEXES",
    "SINS_BANDS",
    "SUMMARY_KEYS",
    "TAXANES",
    "THERAPY_IDS",
    "TOKUHASHI_BANDS",
    "TOMITA_BANDS",
    "TRAVEL_ADVICE",
    "TRIAGE_LEVELS",
    "VISCERAL_METS",
    "Component",
    "Criterion",
    "Findings",
    "FindingsError",
    "Labs",
    "Lesion",
    "Result",
    "Summary",
    "TriageReport",
    "frankel_from_asia",
    "parse_findings",
    "triage",
]
