"""Tomita score (2001) and surgical strategy (SPEC §3).

Tomita K, Kawahara N, Kobayashi T, Yoshida A, Murakami H, Akamaru T. Surgical strategy for spinal
metastases. Spine 2001;26(3):298–306; parameters as in Adler et al. J Cancer Metastasis Treat
2019;5:45, whose "rapid = 3" is a misprint (the published range 2–10 needs rapid = 4).

Platform conventions (SPEC §3.3–§3.4): Tomita's own growth lists win; other primaries take the
Tokuhashi primary group as a proxy ("others" → moderate) and are flagged `tomita_growth_inferred`.
Survival per band is not displayed (sources disagree, SPEC §3.2).
"""

from __future__ import annotations

from typing import Final

from oncoroute.clinical.result import Component, Result, exact, range_score, total_range
from oncoroute.clinical.tokuhashi import PRIMARY_POINTS as TOKUHASHI_PRIMARY_POINTS

RULE_ID: Final = "tomita_2001"
CITATION: Final = (
    "Tomita K, et al. Spine 2001;26(3):298–306; Adler et al. J Cancer Metastasis Treat 2019;5:45 "
    "— SPEC §3"
)

GROWTH_POINTS: Final[dict[str, int]] = {"slow": 1, "moderate": 2, "rapid": 4}
EXPLICIT_GROWTH: Final[dict[str, str]] = {
    **dict.fromkeys(("breast", "thyroid", "prostate"), "slow"),
    **dict.fromkeys(("kidney", "uterus"), "moderate"),
    **dict.fromkeys(
        ("lung_nsclc", "lung_sclc", "liver", "stomach", "colon", "rectum", "unknown"), "rapid"
    ),
}
GROWTH_OF_TOKUHASHI_POINTS: Final[dict[int, str]] = {
    0: "rapid",
    1: "rapid",
    2: "moderate",
    3: "moderate",
    4: "rapid",
    5: "slow",
}
VISCERAL_POINTS: Final[dict[str, int]] = {"none": 0, "removable": 2, "unremovable": 4}

BANDS: Final = ((2, 3, "2-3"), (4, 5, "4-5"), (6, 7, "6-7"), (8, 10, "8-10"))
BAND_MEANING: Final[dict[str | None, str]] = {
    "2-3": (
        "Tomita 2–3: goal long-term local control; wide or marginal excision "
        "(e.g. total en bloc spondylectomy)."
    ),
    "4-5": "Tomita 4–5: goal middle-term local control; marginal or intralesional excision.",
    "6-7": "Tomita 6–7: goal short-term palliation; palliative decompression and stabilisation.",
    "8-10": "Tomita 8–10: terminal care; non-operative supportive care.",
    None: "Not determined: the possible range crosses a band boundary.",
}
NEEDED_FIELD: Final[dict[str, str]] = {
    "primary_growth": "primary",
    "visceral_mets": "visceral_mets",
    "bone_mets": "extraspinal_bone_mets",
}


def growth_of(primary: str) -> tuple[str, bool]:
    """Growth category of a primary and whether it was inferred from the Tokuhashi group."""
    explicit = EXPLICIT_GROWTH.get(primary)
    if explicit is not None:
        return explicit, False
    return GROWTH_OF_TOKUHASHI_POINTS[TOKUHASHI_PRIMARY_POINTS[primary]], True


def bone_points_range(n_vertebral: int | None, extraspinal: int | None) -> tuple[int, int]:
    """Bone metastases: solitary (1) only when vertebral + extraspinal lesions = 1, else 2."""
    if n_vertebral is not None and n_vertebral >= 2:
        return 2, 2
    if extraspinal is not None and extraspinal >= 1:
        return 2, 2
    if n_vertebral == 1 and extraspinal == 0:
        return 1, 1
    return 1, 2


def tomita_result(
    primary: str | None,
    visceral_mets: str | None,
    n_vertebral: int | None,
    extraspinal: int | None,
) -> Result:
    """Tomita total, band and strategy; growth inferred from Tokuhashi when Tomita is silent."""
    flags: tuple[str, ...] = ()
    if primary is None:
        growth = Component("primary_growth", None, 1, 4)
    else:
        category, inferred = growth_of(primary)
        growth = exact("primary_growth", category, GROWTH_POINTS[category])
        if inferred:
            flags = ("tomita_growth_inferred",)
    visceral = (
        Component("visceral_mets", None, 0, 4)
        if visceral_mets is None
        else exact("visceral_mets", visceral_mets, VISCERAL_POINTS[visceral_mets])
    )
    bone_low, bone_high = bone_points_range(n_vertebral, extraspinal)
    bone = Component("bone_mets", _bone_input(n_vertebral, extraspinal), bone_low, bone_high)
    components = (growth, visceral, bone)
    needs = tuple(
        _bone_needs(n_vertebral) if c is bone else NEEDED_FIELD[c.name]
        for c in components
        if c.min != c.max
    )
    return range_score(
        RULE_ID,
        "Tomita score",
        CITATION,
        components,
        total_range(components),
        BANDS,
        BAND_MEANING,
        needs=needs,
        flags=flags,
    )


def _bone_input(n_vertebral: int | None, extraspinal: int | None) -> dict[str, int | None]:
    return {"n_vertebral_mets": n_vertebral, "extraspinal_bone_mets": extraspinal}


def _bone_needs(n_vertebral: int | None) -> str:
    return "n_vertebral_mets" if n_vertebral is None else "extraspinal_bone_mets"
