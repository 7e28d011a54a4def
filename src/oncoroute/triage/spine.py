"""The spine diagram of the triage panel: one box per level, C1 to S5, coloured by SINS band."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from oncoroute.clinical import LEVELS, SINS_BANDS, Findings, parse_findings
from oncoroute.clinical.labels import SINS_BAND_LABELS
from oncoroute.triage.report import StoredTriage

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DIAGRAM_LEVELS = [level for level in LEVELS if level != "OCC"]
# A level's status: a SINS band (worst wins), or one of two states of the diagram's own.
BAND_ORDER = {"unknown": 0, **{band: rank for rank, band in enumerate(SINS_BANDS, start=1)}}
BAND_LABELS: dict[str, StrOrPromise] = {
    **{band: SINS_BAND_LABELS[band] for band in reversed(SINS_BANDS)},
    "unknown": _("Scored, band not yet known"),
    "involved": _("Involved, not scored"),
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


def _lesion_levels(findings: Findings) -> list[list[str]]:
    if findings.lesions:
        return [list(lesion.levels) for lesion in findings.lesions]
    if findings.index_levels:
        return [list(findings.index_levels)]
    return []


def _level_status(findings: Findings, report: StoredTriage) -> dict[str, str]:
    status: dict[str, str] = dict.fromkeys(findings.levels or [], "involved")
    for levels, result in zip(_lesion_levels(findings), report.lesion_results(), strict=False):
        band = result.band or "unknown"
        for level in levels:
            current = status.get(level, "involved")
            if current == "involved" or BAND_ORDER[band] > BAND_ORDER[current]:
                status[level] = band
    return status


@dataclass(frozen=True)
class SpineDiagram:
    vertebrae: list[Vertebra]
    height: int
    legend: list[tuple[str, StrOrPromise]]


def spine_diagram(findings: Mapping[str, Any], report: StoredTriage) -> SpineDiagram:
    """Boxes with positions and statuses, and the legend of the statuses present."""
    status = _level_status(parse_findings(findings), report)
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
    return SpineDiagram(vertebrae=vertebrae, height=y + 4, legend=legend)
