"""New England Spinal Metastasis Score, NESMS (SPEC §5.2).

Ghori AK, et al. Modeling 1-year survival after surgery on the metastatic spine. Spine J
2015;15(11):2345–2350; named and extended by Schoenfeld AJ, et al. Spine J 2016;16(4):482–490;
prospective validation Schoenfeld AJ, et al. Spine J 2021;21(1):28–36.

NESMS = min(3, 2·[modified Bauer ≥ 3] + [independent ambulation] + [albumin ≥ 3.5 g/dL]).
Independent ambulation means walking without another person's help and without a walking aid
(platform convention, SPEC §5.2). Over a modified-Bauer range the score is computed over the whole
range and reported when min == max (SPEC §10.3 item 6). Per-score survival percentages are not
shown.
"""

from __future__ import annotations

from typing import Final

from oncoroute.clinical.result import Component, Result, exact

RULE_ID: Final = "nesms"
CITATION: Final = (
    "Ghori AK, et al. Spine J 2015;15(11):2345–2350; Schoenfeld AJ, et al. Spine J "
    "2016;16(4):482–490 and 2021;21(1):28–36 — SPEC §5.2"
)
CEILING: Final = 3
ALBUMIN_THRESHOLD_G_DL: Final = 3.5

MEANING: Final[dict[int | None, str]] = {
    3: "NESMS 3 of 3: the most favourable group; a higher score means longer expected survival.",
    2: "NESMS 2 of 3: a higher score means longer expected survival.",
    1: "NESMS 1 of 3: a higher score means longer expected survival.",
    0: "NESMS 0 of 3: the least favourable group; a higher score means longer expected survival.",
    None: "Not determined: depends on inputs still missing.",
}


def nesms_result(
    bauer_range: tuple[int, int],
    bauer_needs: tuple[str, ...],
    ambulatory_independent: bool | None,
    albumin_g_dl: float | None,
) -> Result:
    """NESMS total with its ceiling of 3, over the range of the modified Bauer score."""
    bauer_low, bauer_high = bauer_range
    bauer = Component(
        "modified_bauer_ge3",
        list(bauer_range) if bauer_low != bauer_high else bauer_low,
        2 if bauer_low >= 3 else 0,
        2 if bauer_high >= 3 else 0,
    )
    ambulation = (
        Component("independent_ambulation", None, 0, 1)
        if ambulatory_independent is None
        else exact("independent_ambulation", ambulatory_independent, int(ambulatory_independent))
    )
    albumin = (
        Component("albumin_ge_3_5", None, 0, 1)
        if albumin_g_dl is None
        else exact("albumin_ge_3_5", albumin_g_dl, int(albumin_g_dl >= ALBUMIN_THRESHOLD_G_DL))
    )
    low = min(CEILING, bauer.min + ambulation.min + albumin.min)
    high = min(CEILING, bauer.max + ambulation.max + albumin.max)
    value = low if low == high else None
    needs: tuple[str, ...] = ()
    if value is None:
        needs = (
            *(bauer_needs if bauer.min != bauer.max else ()),
            *(("ambulatory_independent",) if ambulation.min != ambulation.max else ()),
            *(("albumin_g_dl",) if albumin.min != albumin.max else ()),
        )
    return Result(
        RULE_ID,
        "New England Spinal Metastasis Score",
        CITATION,
        value,
        None if value is None else str(value),
        MEANING[value],
        (low, high),
        (bauer, ambulation, albumin),
        needs=needs,
    )
