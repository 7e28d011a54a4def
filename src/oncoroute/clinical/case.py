"""Facts derived once from validated findings and shared by the decision rules.

Derived here: the KPS range (SPEC §2.5, §6.3), the index lesion (SPEC §10.1), the vertebral count,
the set of involved levels, the radiosensitivity class (SPEC §6.4) and the three-valued threshold
tests of SPEC §6.5 and §10.3 item 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from oncoroute.clinical.constants import LEVEL_INDEX, LEVELS
from oncoroute.clinical.findings import Findings
from oncoroute.clinical.result import Criterion, Result, Tri, score_range
from oncoroute.clinical.sins import LesionInput

RADIOSENSITIVITY: Final[dict[str, str]] = {
    **dict.fromkeys(
        ("myeloma", "lymphoma", "leukaemia", "germ_cell", "lung_sclc"), "highly_sensitive"
    ),
    **dict.fromkeys(
        (
            "breast",
            "prostate",
            "ovary",
            "neuroendocrine",
            "bladder",
            "uterus",
            "cervix",
            "head_neck",
            "other",
        ),
        "moderately_sensitive",
    ),
    **dict.fromkeys(
        (
            "kidney",
            "melanoma",
            "sarcoma",
            "osteosarcoma",
            "thyroid",
            "liver",
            "gallbladder",
            "stomach",
            "oesophagus",
            "pancreas",
            "colon",
            "rectum",
            "lung_nsclc",
        ),
        "resistant",
    ),
    "unknown": "unknown",
}


@dataclass(slots=True)
class CaseFacts:
    """Validated findings plus the values every rule reads."""

    findings: Findings
    kps_low: int
    kps_high: int
    n_vertebral: int | None
    involved_levels: frozenset[str] | None
    index: LesionInput
    sins: Result
    tokuhashi: Result
    mscc_urgent: Tri
    kps_above_40: Tri = None
    sins_range: tuple[int, int] = (0, 18)
    tokuhashi_range: tuple[int, int] = (0, 15)

    def __post_init__(self) -> None:
        self.kps_above_40 = True if self.kps_low > 40 else (False if self.kps_high <= 40 else None)
        self.sins_range = score_range(self.sins)
        self.tokuhashi_range = score_range(self.tokuhashi)

    def kps_at_least(self, threshold: int) -> Tri:
        """Passes only when every KPS in the range reaches the threshold (SPEC §10.3 item 2)."""
        if self.kps_low >= threshold:
            return True
        return False if self.kps_high < threshold else None

    def kps_at_most(self, threshold: int) -> Tri:
        if self.kps_high <= threshold:
            return True
        return False if self.kps_low > threshold else None

    def sins_at_least(self, threshold: int) -> Tri:
        low, high = self.sins_range
        if low >= threshold:
            return True
        return False if high < threshold else None

    def sins_at_most(self, threshold: int) -> Tri:
        low, high = self.sins_range
        if high <= threshold:
            return True
        return False if low > threshold else None


def involved_levels(findings: Findings, lesion_levels: Sequence[str]) -> frozenset[str] | None:
    """All involved levels, when the `levels` list was given (index lesions are always included)."""
    if findings.levels is None:
        return None
    return frozenset((*findings.levels, *lesion_levels))


def contiguous_run(index_levels: Sequence[str], involved: frozenset[str]) -> int:
    """Length of the run of involved levels containing the index lesion (SPEC §9.2)."""
    positions = [LEVEL_INDEX[level] for level in index_levels]
    low, high = min(positions), max(positions)
    while low > 0 and LEVELS[low - 1] in involved:
        low -= 1
    while high < len(LEVELS) - 1 and LEVELS[high + 1] in involved:
        high += 1
    return high - low + 1


class Checks:
    """Collects the tests of one decision with their outcomes and the inputs still needed.

    A hard test decides: False rules the option out, unknown leaves it undecided and lists its
    inputs. A soft test (safety booleans, SPEC §10.3 item 8) blocks only when known to fail;
    unknown marks the result provisional.
    """

    __slots__ = ("criteria", "failed", "needs", "provisional", "undecided")

    def __init__(self) -> None:
        self.criteria: list[Criterion] = []
        self.needs: dict[str, None] = {}
        self.failed = False
        self.undecided = False
        self.provisional = False

    def hard(self, name: str, outcome: Tri, *fields: str) -> bool:
        self.criteria.append((name, outcome))
        if outcome is False:
            self.failed = True
        elif outcome is None:
            self.undecided = True
            self.needs.update(dict.fromkeys(fields))
        return outcome is True

    def soft(self, name: str, outcome: Tri, *fields: str) -> bool:
        self.criteria.append((name, outcome))
        if outcome is False:
            self.failed = True
        elif outcome is None:
            self.provisional = True
            self.needs.update(dict.fromkeys(fields))
        return outcome is not False

    def need(self, *fields: str) -> None:
        self.needs.update(dict.fromkeys(fields))

    @property
    def outcome(self) -> Tri:
        if self.failed:
            return False
        return None if self.undecided else True
