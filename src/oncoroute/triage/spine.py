"""The spine diagram of the triage panel: one box per level, C1 to S5, coloured by SINS band."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oncoroute.clinical import LEVELS

DIAGRAM_LEVELS = [level for level in LEVELS if level != "OCC"]
BAND_ORDER = {"unstable": 3, "potentially_unstable": 2, "stable": 1, "unknown": 0}
BAND_LABELS = {
    "unstable": "Unstable (SINS 13–18)",
    "potentially_unstable": "Potentially unstable (SINS 7–12)",
    "stable": "Stable (SINS 0–6)",
    "unknown": "Scored, band not yet known",
    "involved": "Involved, not scored",
}
BOX_HEIGHT = 17
GAP = 3
REGION_GAP = 8


@dataclass(frozen=True)
class Vertebra:
    level: str
    y: int
    status: str  # a BAND_LABELS key, or "" when not involved

    @property
    def label(self) -> str:
        return f"{self.level}: {BAND_LABELS[self.status]}" if self.status else self.level


def _lesion_levels(findings: dict[str, Any]) -> list[list[str]]:
    if findings.get("lesions"):
        return [list(lesion.get("levels") or []) for lesion in findings["lesions"]]
    if findings.get("index_levels"):
        return [list(findings["index_levels"])]
    return []


def _level_status(findings: dict[str, Any], report: dict[str, Any]) -> dict[str, str]:
    lesion_results = report.get("sins_lesions") or [report["results"]["sins"]]
    status = dict.fromkeys(findings.get("levels") or [], "involved")
    for levels, result in zip(_lesion_levels(findings), lesion_results, strict=False):
        band = result.get("band") or "unknown"
        for level in levels:
            current = status.get(level, "involved")
            if current == "involved" or BAND_ORDER[band] > BAND_ORDER[current]:
                status[level] = band
    return status


def spine_diagram(findings: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    """Boxes with positions and statuses, and the legend of the statuses present."""
    status = _level_status(findings, report)
    vertebrae: list[Vertebra] = []
    y = 4
    region = "C"
    for level in DIAGRAM_LEVELS:
        if level[0] != region:
            region = level[0]
            y += REGION_GAP
        vertebrae.append(Vertebra(level, y, status.get(level, "")))
        y += BOX_HEIGHT + GAP
    present = {v.status for v in vertebrae if v.status}
    legend = [(key, label) for key, label in BAND_LABELS.items() if key in present]
    return {"vertebrae": vertebrae, "height": y + 4, "legend": legend}
