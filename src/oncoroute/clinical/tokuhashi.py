"""Revised Tokuhashi score (2005) for the prognosis of spinal metastases (SPEC §2).

Tokuhashi Y, Matsuzaki H, Oda H, Oshima M, Ryu J. A revised scoring system for preoperative
evaluation of metastatic spine tumor prognosis. Spine 2005;30(19):2186–2191 (table as reproduced in
NICE CG75 appendix 3). Not the 1990 original (six items of 0–2).

Platform conventions (SPEC §2.3, §2.5): colon is "others" (2), rectum 4; a well-differentiated
neuroendocrine tumour is the "carcinoid tumour" (5); myeloma and lymphoma are "others"; cervix is
"others" (2) and flagged `tokuhashi_primary_ambiguous`; ECOG 1 straddles two KPS groups and is
scored as a range; an unknown extraspinal bone count is never imputed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from oncoroute.clinical.result import (
    Component,
    Result,
    exact,
    range_score,
    total_range,
    unknown_inputs,
)

RULE_ID: Final = "tokuhashi_revised_2005"
CITATION: Final = (
    "Tokuhashi Y, et al. Spine 2005;30(19):2186–2191 (NICE CG75 appendix 3 table) — SPEC §2"
)

PRIMARY_POINTS: Final[dict[str, int]] = {
    **dict.fromkeys(
        ("lung_nsclc", "lung_sclc", "osteosarcoma", "stomach", "bladder", "oesophagus", "pancreas"),
        0,
    ),
    **dict.fromkeys(("liver", "gallbladder", "unknown"), 1),
    **dict.fromkeys(
        (
            "colon",
            "melanoma",
            "sarcoma",
            "ovary",
            "myeloma",
            "lymphoma",
            "head_neck",
            "cervix",
            "germ_cell",
            "leukaemia",
            "other",
        ),
        2,
    ),
    **dict.fromkeys(("kidney", "uterus"), 3),
    "rectum": 4,
    **dict.fromkeys(("thyroid", "breast", "prostate", "neuroendocrine"), 5),
}
VISCERAL_POINTS: Final[dict[str, int]] = {"unremovable": 0, "removable": 1, "none": 2}
PALSY_POINTS: Final[dict[str, int]] = {"A": 0, "B": 0, "C": 1, "D": 1, "E": 2}

BANDS: Final = ((0, 8, "lt6m"), (9, 11, "ge6m"), (12, 15, "ge12m"))
BAND_MEANING: Final[dict[str | None, str]] = {
    "lt6m": (
        "Predicted survival under 6 months (Tokuhashi 0–8): conservative, non-surgical or "
        "palliative care."
    ),
    "ge6m": (
        "Predicted survival 6 months or more (Tokuhashi 9–11): palliative surgery; excisional "
        "surgery only for a single lesion without metastases in major internal organs."
    ),
    "ge12m": "Predicted survival 1 year or more (Tokuhashi 12–15): excisional surgery.",
    None: "Not determined: the possible range crosses a band boundary.",
}
NEEDED_FIELD: Final[dict[str, str]] = {
    "general_condition": "kps",
    "extraspinal_bone_mets": "extraspinal_bone_mets",
    "vertebral_body_mets": "n_vertebral_mets",
    "visceral_mets": "visceral_mets",
    "primary_site": "primary",
    "palsy": "frankel",
}


def kps_points(kps: int) -> int:
    """General condition: KPS ≤ 40 → 0, 50–70 → 1, ≥ 80 → 2."""
    if kps <= 40:
        return 0
    return 1 if kps <= 70 else 2


def extraspinal_points(count: int) -> int:
    """Extraspinal bone metastasis foci: ≥ 3 → 0, 1–2 → 1, 0 → 2."""
    if count >= 3:
        return 0
    return 1 if count >= 1 else 2


def vertebral_points(count: int) -> int:
    """Metastases in vertebral bodies: ≥ 3 → 0, 2 → 1, 1 → 2."""
    if count >= 3:
        return 0
    return 1 if count == 2 else 2


def _count_component(name: str, count: int | None, points_of: Callable[[int], int]) -> Component:
    if count is None:
        return Component(name, None, 0, 2)
    return exact(name, count, points_of(count))


def _lookup(name: str, value: str | None, table: dict[str, int], top: int) -> Component:
    if value is None:
        return Component(name, None, 0, top)
    return exact(name, value, table[value])


def tokuhashi_components(
    kps_low: int,
    kps_high: int,
    performance_input: str | int | None,
    extraspinal_bone_mets: int | None,
    n_vertebral: int | None,
    visceral_mets: str | None,
    primary: str | None,
    frankel: str | None,
) -> tuple[Component, ...]:
    """The six parameters; KPS given only as a range scores the points of both ends."""
    return (
        Component(
            "general_condition", performance_input, kps_points(kps_low), kps_points(kps_high)
        ),
        _count_component("extraspinal_bone_mets", extraspinal_bone_mets, extraspinal_points),
        _count_component("vertebral_body_mets", n_vertebral, vertebral_points),
        _lookup("visceral_mets", visceral_mets, VISCERAL_POINTS, 2),
        _lookup("primary_site", primary, PRIMARY_POINTS, 5),
        _lookup("palsy", frankel, PALSY_POINTS, 2),
    )


def tokuhashi_result(components: tuple[Component, ...], primary: str | None) -> Result:
    """Total (only when min == max), range, survival band and treatment suggestion."""
    flags = ("tokuhashi_primary_ambiguous",) if primary == "cervix" else ()
    return range_score(
        RULE_ID,
        "Revised Tokuhashi score",
        CITATION,
        components,
        total_range(components),
        BANDS,
        BAND_MEANING,
        needs=unknown_inputs(components, NEEDED_FIELD),
        flags=flags,
    )
