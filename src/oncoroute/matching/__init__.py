"""Clinic matching: filter and rank clinics for a case's needs and a patient's preferences.

No Django: Python and numpy. The ranking policy, shown on the public directory page, is
`RANKING_POLICY` (also the docstring of `oncoroute.matching.policy`).
"""

from __future__ import annotations

from .directory import PreparedDirectory, prepare_clinics
from .engine import rank_clinics
from .inputs import Accreditation, Clinic, ExchangeRates, Money, Need, Offering, Preferences
from .policy import POLICY_VERSION, RANKING_POLICY
from .results import (
    Criterion,
    CriterionScore,
    Exclusion,
    MatchResult,
    Note,
    NoteCode,
    PriceEstimate,
    RankedClinic,
    RateUsed,
    Records,
)
from .vocabulary import (
    PET_TRACERS,
    SERVICE_DETAIL,
    SERVICE_GROUPS,
    SERVICES,
    THERAPY_TO_SERVICES,
    service_label,
)

__all__ = [
    "PET_TRACERS",
    "POLICY_VERSION",
    "RANKING_POLICY",
    "SERVICES",
    "SERVICE_DETAIL",
    "SERVICE_GROUPS",
    "THERAPY_TO_SERVICES",
    "Accreditation",
    "Clinic",
    "Criterion",
    "CriterionScore",
    "ExchangeRates",
    "Exclusion",
    "MatchResult",
    "Money",
    "Need",
    "Note",
    "NoteCode",
    "Offering",
    "Preferences",
    "PreparedDirectory",
    "PriceEstimate",
    "RankedClinic",
    "RateUsed",
    "Records",
    "prepare_clinics",
    "rank_clinics",
    "service_label",
]
