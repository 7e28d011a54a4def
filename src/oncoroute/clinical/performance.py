"""Performance status: Karnofsky (KPS) and ECOG, and the conversion between them (SPEC §6.3).

Oken MM, et al. Am J Clin Oncol 1982;5(6):649–655 (ECOG); side-by-side KPS table as printed in the
BTS/Thorax guideline. KPS is the primary field; ECOG is the row that contains the KPS. When only
ECOG is known the KPS is a range (SPEC §2.5).
"""

from __future__ import annotations

from typing import Final

from oncoroute.clinical.result import Result

RULE_ID: Final = "kps_ecog"
CITATION: Final = (
    "Oken MM, et al. Am J Clin Oncol 1982;5(6):649–655; KPS–ECOG table as in the BTS guideline "
    "(Thorax) — SPEC §6.3"
)

KPS_RANGE_OF_ECOG: Final[dict[int, tuple[int, int]]] = {
    0: (90, 100),
    1: (70, 80),
    2: (50, 60),
    3: (30, 40),
    4: (10, 20),
}
KPS_UNKNOWN: Final = (10, 100)

ECOG_MEANING: Final[dict[int, str]] = {
    0: "fully active, no restriction",
    1: "restricted in strenuous activity but walking and able to do light work",
    2: "walking and capable of self-care but unable to work; up more than half of waking hours",
    3: "capable of only limited self-care; in bed or chair more than half of waking hours",
    4: "completely disabled; totally confined to bed or chair",
}


def ecog_from_kps(kps: int) -> int:
    """ECOG row containing a KPS value (100–90 → 0, 80–70 → 1, …, 20–10 → 4, 0 → 5)."""
    if kps <= 0:
        return 5
    return (100 - kps) // 20


def kps_range(kps: int | None, ecog: int | None) -> tuple[int, int]:
    """KPS as `[min, max]`: exact when KPS is given, the §6.3 row when only ECOG is, else 10–100."""
    if kps is not None:
        return kps, kps
    if ecog is not None:
        return KPS_RANGE_OF_ECOG[ecog]
    return KPS_UNKNOWN


def performance_result(kps: int | None, ecog: int | None) -> Result:
    """Explain the performance status the rules use."""
    low, high = kps_range(kps, ecog)
    row = ecog if ecog is not None else (ecog_from_kps(kps) if kps is not None else None)
    if row is None:
        return Result(
            RULE_ID,
            "Performance status (KPS/ECOG)",
            CITATION,
            None,
            None,
            "Performance status not known.",
            (low, high),
            needs=("kps",),
        )
    value = low if low == high else None
    shown = f"KPS {value}" if value is not None else f"KPS {low}–{high} (from ECOG {row})"
    return Result(
        RULE_ID,
        "Performance status (KPS/ECOG)",
        CITATION,
        value,
        f"ecog_{row}",
        f"{shown}: ECOG {row}, {ECOG_MEANING[row]}.",
        (low, high),
        needs=() if value is not None else ("kps",),
    )
