"""SINS — Spinal Instability Neoplastic Score (SPEC §1).

Fisher CG, DiPaola CP, Ryken TC, et al. A novel classification system for spinal instability in
neoplastic disease. Spine 2010;35(22):E1221–E1229. Bands and the referral threshold
(SINS ≥ 7 → spine surgeon): Fourney DR, et al. J Clin Oncol 2011;29(22):3072–3077; Fisher CG,
et al. Radiat Oncol 2014;9:69. Pain scores 3/1/0 (not 3/2/1 as one web table prints).

Platform conventions (SPEC §1.4): a lesion spanning regions takes the highest location score of its
levels; with several lesions each is scored and the case takes the worst (the index lesion).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from oncoroute.clinical.result import (
    Component,
    Result,
    exact,
    range_score,
    score_range,
    total_range,
)

RULE_ID: Final = "sins"
CITATION: Final = (
    "Fisher CG, et al. Spine 2010;35(22):E1221–E1229; Fourney DR, et al. J Clin Oncol "
    "2011;29(22):3072–3077 — SPEC §1"
)

LOCATION_POINTS: Final[dict[str, int]] = {
    **dict.fromkeys(("OCC", "C1", "C2", "C7", "T1", "T2", "T11", "T12", "L1", "L5", "S1"), 3),
    **dict.fromkeys(("C3", "C4", "C5", "C6", "L2", "L3", "L4"), 2),
    **dict.fromkeys(("T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10"), 1),
    **dict.fromkeys(("S2", "S3", "S4", "S5"), 0),
}
LOCATION_NAME: Final[dict[int, str]] = {3: "junctional", 2: "mobile", 1: "semi-rigid", 0: "rigid"}
PAIN_POINTS: Final[dict[str, int]] = {"mechanical": 3, "occasional_nonmechanical": 1, "none": 0}
LESION_TYPE_POINTS: Final[dict[str, int]] = {"lytic": 2, "mixed": 1, "blastic": 0}
ALIGNMENT_POINTS: Final[dict[str, int]] = {"subluxation": 4, "deformity": 2, "normal": 0}
COLLAPSE_POINTS: Final[dict[str, int]] = {"gt50": 3, "lt50": 2, "none_gt50_involved": 1, "none": 0}
POSTEROLATERAL_POINTS: Final[dict[str, int]] = {"bilateral": 3, "unilateral": 1, "none": 0}

BANDS: Final = ((0, 6, "stable"), (7, 12, "potentially_unstable"), (13, 18, "unstable"))
BAND_MEANING: Final[dict[str | None, str]] = {
    "stable": "Stable spine (SINS 0–6): no surgical opinion is needed for instability.",
    "potentially_unstable": (
        "Potentially unstable (SINS 7–12): a spine surgeon's opinion is recommended."
    ),
    "unstable": "Unstable spine (SINS 13–18): a spine surgeon's opinion is recommended.",
    None: "Not determined: the possible range crosses a band boundary.",
}
NEEDED_FIELD: Final[dict[str, str]] = {
    "location": "index_levels",
    "pain": "pain",
    "bone_lesion": "lesion_type",
    "alignment": "alignment",
    "collapse": "collapse",
    "posterolateral": "posterolateral",
}


@dataclass(slots=True)
class LesionInput:
    """The SINS inputs of one lesion, whichever findings form they came from."""

    levels: Sequence[str] | None
    pain: str | None
    lesion_type: str | None
    alignment: str | None
    collapse: str | None
    posterolateral: str | None


UNKNOWN_LESION: Final = LesionInput(None, None, None, None, None, None)


def location_points(levels: Sequence[str]) -> int:
    """Highest location score among the lesion's levels (SPEC §1.4, convention)."""
    return max(LOCATION_POINTS[level] for level in levels)


def _component(name: str, value: str | None, points: dict[str, int], top: int) -> Component:
    if value is None:
        return Component(name, None, 0, top)
    earned = points[value]
    return Component(name, value, earned, earned)


def sins_components(lesion: LesionInput) -> tuple[Component, ...]:
    """The six SINS components of one lesion; an unknown input spans its whole point range."""
    levels = lesion.levels
    location = (
        exact("location", list(levels), location_points(levels))
        if levels
        else Component("location", None, 0, 3)
    )
    return (
        location,
        _component("pain", lesion.pain, PAIN_POINTS, 3),
        _component("bone_lesion", lesion.lesion_type, LESION_TYPE_POINTS, 2),
        _component("alignment", lesion.alignment, ALIGNMENT_POINTS, 4),
        _component("collapse", lesion.collapse, COLLAPSE_POINTS, 3),
        _component("posterolateral", lesion.posterolateral, POSTEROLATERAL_POINTS, 3),
    )


def sins_result(lesion: LesionInput, name: str = "SINS", field_prefix: str = "") -> Result:
    """SINS of one lesion, with its range, band and the inputs it still needs.

    `field_prefix` (e.g. ``"lesions[1]."``) makes the needed fields point into the lesions list.
    """
    components = sins_components(lesion)
    needs = tuple([field_prefix + NEEDED_FIELD[c.name] for c in components if c.min != c.max])
    bounds = total_range(components)
    return range_score(
        RULE_ID, name, CITATION, components, bounds, BANDS, BAND_MEANING, needs=needs
    )


def index_lesion_position(results: Sequence[Result]) -> int:
    """Position of the index lesion: the highest SINS, the first of equals (SPEC §10.1).

    When some scores are ranges the one that could be worst wins (highest maximum, then highest
    minimum), so the most vulnerable lesion drives the recommendations.
    """
    keys = [(high, low) for low, high in map(score_range, results)]
    return keys.index(max(keys))


def case_sins(lesion_results: Sequence[Result], index: int) -> Result:
    """Case-level SINS: the maximum over lesions, as a range (SPEC §1.4)."""
    if len(lesion_results) == 1:
        return lesion_results[0]
    ranges = [score_range(result) for result in lesion_results]
    low = max(bounds[0] for bounds in ranges)
    high = max(bounds[1] for bounds in ranges)
    needs: dict[str, None] = {}
    for result, bounds in zip(lesion_results, ranges, strict=True):
        if bounds[1] > low:
            needs.update(dict.fromkeys(result.needs))
    return range_score(
        RULE_ID,
        f"SINS (worst of {len(lesion_results)} lesions; index lesion {index + 1})",
        CITATION,
        lesion_results[index].components,
        (low, high),
        BANDS,
        BAND_MEANING,
        needs=tuple(needs),
    )
