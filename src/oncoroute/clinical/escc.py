"""Bilsky epidural spinal cord compression (ESCC) scale (SPEC §4).

Bilsky MH, Laufer I, Fourney DR, et al. Reliability analysis of the epidural spinal cord compression
scale. J Neurosurg Spine 2010;13(3):324–328. Graded on axial T2 MRI at the level of maximal
compression; below the conus the same codes describe compression of the thecal sac.
Grade 1c is controversial in NOMS: the platform treats it as low grade for the radiation choice but
as a bar to cement augmentation, and flags it `escc_borderline` (SPEC §4, convention).
"""

from __future__ import annotations

from typing import Final

from oncoroute.clinical.constants import ESCC_HIGH_GRADES
from oncoroute.clinical.result import Result, Tri

RULE_ID: Final = "bilsky_escc"
CITATION: Final = (
    "Bilsky MH, et al. J Neurosurg Spine 2010;13(3):324–328; Laufer I, et al. Oncologist "
    "2013;18(6):744–751 (NOMS grouping) — SPEC §4"
)

ESCC_MEANING: Final[dict[str, str]] = {
    "0": "disease confined to bone, no spread into the spinal canal",
    "1a": "tumour touches the lining of the spinal canal without deforming the sac around the cord",
    "1b": "the sac around the cord is deformed, the cord is not touched",
    "1c": "the sac is deformed and the cord is touched but not compressed",
    "2": "the cord is compressed, fluid still visible around it",
    "3": "the cord is compressed, no fluid visible around it",
}
ESCC_GROUP: Final[dict[str, str]] = {
    "0": "low_grade",
    "1a": "low_grade",
    "1b": "low_grade",
    "1c": "borderline",
    "2": "high_grade",
    "3": "high_grade",
}


def high_grade(escc: str | None) -> Tri:
    """ESCC 2–3: radiological cord compression (NOMS high grade)."""
    return None if escc is None else escc in ESCC_HIGH_GRADES


def escc_result(escc: str | None) -> Result:
    """Explain the ESCC grade and its NOMS group."""
    if escc is None:
        return Result(
            RULE_ID,
            "Bilsky ESCC grade",
            CITATION,
            None,
            None,
            "Epidural compression grade not known (needs MRI).",
            needs=("escc",),
        )
    flags = ("escc_borderline",) if escc == "1c" else ()
    return Result(
        RULE_ID,
        "Bilsky ESCC grade",
        CITATION,
        escc,
        ESCC_GROUP[escc],
        f"ESCC {escc}: {ESCC_MEANING[escc]}.",
        flags=flags,
    )
