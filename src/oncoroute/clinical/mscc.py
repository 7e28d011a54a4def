"""Metastatic spinal cord compression (MSCC) red flags and urgency (SPEC §7).

NICE NG234 Spinal metastases and metastatic spinal cord compression (2023), which replaced NICE
CG75 (2008). Neurological symptoms in a person with cancer are an oncological emergency: contact
the MSCC coordinator immediately and obtain whole-spine MRI within 24 hours. Pain suggestive of
spinal metastases without neurological symptoms: advice within 24 hours, MRI within 1 week.
`red_flags` holds new or unexplained symptoms at intake only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from oncoroute.clinical.constants import MSCC_NEURO_RED_FLAGS, MSCC_PAIN_RED_FLAGS
from oncoroute.clinical.result import Result, Tri

RULE_ID: Final = "mscc_red_flags"
CITATION: Final = (
    "NICE NG234 (2023) Spinal metastases and metastatic spinal cord compression; NICE CG75 (2008) "
    "key priorities — SPEC §7"
)

MEANING: Final[dict[str, str]] = {
    "emergency_mscc": (
        "Possible spinal cord compression: an emergency. Seek emergency care locally now; the "
        "acute oncology or MSCC coordinator must be contacted immediately and a whole-spine MRI "
        "done within 24 hours. Do not plan travel."
    ),
    "urgent_spinal_pain": (
        "Spinal pain that may come from metastases: seek advice from the local MSCC coordinator "
        "within 24 hours and have an MRI within 1 week, before any travel."
    ),
    "routine": "No red-flag symptom reported.",
}
UNKNOWN_MEANING: Final = "Red-flag symptoms were not recorded: ask about them before anything else."


def mscc_urgent(red_flags: Sequence[str] | None) -> Tri:
    """Any neurological red flag (SPEC §7.1); None when red flags were not recorded."""
    if red_flags is None:
        return None
    return any(flag in MSCC_NEURO_RED_FLAGS for flag in red_flags)


def triage_level(red_flags: Sequence[str] | None) -> str:
    """`emergency_mscc`, `urgent_spinal_pain` or `routine` (SPEC §7.1–§7.3)."""
    if not red_flags:
        return "routine"
    if any(flag in MSCC_NEURO_RED_FLAGS for flag in red_flags):
        return "emergency_mscc"
    if any(flag in MSCC_PAIN_RED_FLAGS for flag in red_flags):
        return "urgent_spinal_pain"
    return "routine"


def mscc_result(red_flags: Sequence[str] | None) -> Result:
    """Urgency from the reported red flags, with the flags that drove it."""
    level = triage_level(red_flags)
    criteria = (
        ()
        if not red_flags
        else tuple(
            (f"{'neurological' if flag in MSCC_NEURO_RED_FLAGS else 'pain'} red flag: {flag}", True)
            for flag in dict.fromkeys(red_flags or ())
        )
    )
    return Result(
        RULE_ID,
        "MSCC red-flag screen",
        CITATION,
        level,
        level,
        UNKNOWN_MEANING if red_flags is None else MEANING[level],
        criteria=criteria,
        needs=("red_flags",) if red_flags is None else (),
        flags=("emergency_banner",) if level == "emergency_mscc" else (),
    )
