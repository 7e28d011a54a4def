"""Neurological grades: Frankel (SPEC §6.1) and the ASIA Impairment Scale (SPEC §6.2).

Frankel HL, et al. Paraplegia 1969;7:179–192. Kirshblum SC, et al. J Spinal Cord Med
2011;34:535–546 (ISNCSCI/AIS). The findings format carries the Frankel grade; an AIS grade is mapped
A→A … E→E when it is the only grade known (SPEC §6.2, platform convention; the two scales define
C and D differently, so the mapping is approximate).
"""

from __future__ import annotations

from typing import Final

from oncoroute.clinical.result import Result

RULE_ID: Final = "frankel"
CITATION: Final = "Frankel HL, et al. Paraplegia 1969;7:179–192 — SPEC §6.1"
ASIA_CITATION: Final = "Kirshblum SC, et al. J Spinal Cord Med 2011;34:535–546 — SPEC §6.2"

FRANKEL_MEANING: Final[dict[str, str]] = {
    "A": "complete: no movement or feeling below the level of the lesion",
    "B": "feeling only: some sensation kept, no movement below the lesion",
    "C": "some movement below the lesion, but of no practical use",
    "D": "useful movement below the lesion; can usually walk, with or without aids",
    "E": "normal movement and feeling (abnormal reflexes allowed)",
}
ASIA_MEANING: Final[dict[str, str]] = {
    "A": "complete: no feeling or movement in the lowest sacral segments S4–S5",
    "B": (
        "sensory incomplete: feeling but no movement below the neurological level, including S4–S5"
    ),
    "C": "motor incomplete: more than half of key muscles below the level are weaker than grade 3",
    "D": "motor incomplete: at least half of key muscles below the level are grade 3 or stronger",
    "E": "normal feeling and movement in a person who had deficits before",
}
FRANKEL_OF_ASIA: Final[dict[str, str]] = {grade: grade for grade in "ABCDE"}


def frankel_from_asia(asia_grade: str) -> str:
    """Frankel grade for an AIS grade, for forms that record AIS only (SPEC §6.2, convention)."""
    return FRANKEL_OF_ASIA[asia_grade]


def complete_paralysis_over_48h(frankel: str | None, paralysis_hours: float | None) -> bool | None:
    """SPEC §6.5: Frankel A for over 48 h; unknown duration counts as over 48 h (§10.3 item 4)."""
    if frankel is None:
        return None
    return frankel == "A" and (paralysis_hours is None or paralysis_hours > 48)


def neuro_deficit(frankel: str | None, paralysis_hours: float | None) -> bool | None:
    """SPEC §6.5: Frankel B–D, or Frankel A of known duration up to 48 h."""
    if frankel is None:
        return None
    if frankel in ("B", "C", "D"):
        return True
    return frankel == "A" and paralysis_hours is not None and paralysis_hours <= 48


def frankel_result(frankel: str | None, paralysis_hours: float | None) -> Result:
    """Explain the Frankel grade and, for grade A, the paralysis duration that the rules need."""
    if frankel is None:
        return Result(
            RULE_ID,
            "Frankel grade",
            CITATION,
            None,
            None,
            "Neurological grade not known.",
            needs=("frankel",),
        )
    needs: tuple[str, ...] = ()
    meaning = FRANKEL_MEANING[frankel]
    if frankel == "A":
        if paralysis_hours is None:
            needs = ("paralysis_hours",)
            meaning += "; duration unknown, so treated as more than 48 hours"
        else:
            meaning += f"; for {paralysis_hours:g} hours"
    return Result(
        RULE_ID,
        "Frankel grade",
        CITATION,
        frankel,
        frankel,
        f"Frankel {frankel}: {meaning}.",
        needs=needs,
    )
