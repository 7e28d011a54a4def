"""The triage report: one entry point, `triage(findings)`, deterministic and JSON-serialisable.

The report holds every explained result (SPEC §1–§9), the list of per-therapy eligibility results,
the flags raised, the inputs still needed, and the `summary` object of SPEC §10.2. It is stamped
with `RULES_VERSION` so a stored report says which rules made it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from oncoroute.clinical.bauer import modified_bauer_result
from oncoroute.clinical.case import CaseFacts, involved_levels
from oncoroute.clinical.constants import RULES_VERSION
from oncoroute.clinical.eligibility import EligibilityResult, Ra223Label, eligibility_results
from oncoroute.clinical.escc import escc_result
from oncoroute.clinical.findings import Findings, parse_findings
from oncoroute.clinical.mscc import mscc_result, mscc_urgent
from oncoroute.clinical.nesms import nesms_result
from oncoroute.clinical.neurology import frankel_result
from oncoroute.clinical.noms import noms_result
from oncoroute.clinical.performance import kps_range, performance_result
from oncoroute.clinical.result import Result, score_range
from oncoroute.clinical.sins import (
    UNKNOWN_LESION,
    LesionInput,
    case_sins,
    index_lesion_position,
    sins_result,
)
from oncoroute.clinical.tokuhashi import tokuhashi_components, tokuhashi_result
from oncoroute.clinical.tomita import tomita_result
from oncoroute.clinical.travel import travel_result


@dataclass(slots=True)
class Summary:
    """The machine-readable summary with exactly the keys of SPEC §10.2."""

    sins: int | None
    sins_band: str | None
    tokuhashi: int | None
    tokuhashi_range: tuple[int, int]
    tokuhashi_band: str | None
    tomita: int | None
    tomita_band: str | None
    modified_bauer: int | None
    nesms: int | None
    noms_recommendation: str
    mscc_urgent: bool
    triage: str
    travel: str
    eligible: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sins": self.sins,
            "sins_band": self.sins_band,
            "tokuhashi": self.tokuhashi,
            "tokuhashi_range": list(self.tokuhashi_range),
            "tokuhashi_band": self.tokuhashi_band,
            "tomita": self.tomita,
            "tomita_band": self.tomita_band,
            "modified_bauer": self.modified_bauer,
            "nesms": self.nesms,
            "noms_recommendation": self.noms_recommendation,
            "mscc_urgent": self.mscc_urgent,
            "triage": self.triage,
            "travel": self.travel,
            "eligible": list(self.eligible),
        }


@dataclass(slots=True)
class TriageReport:
    """Everything the rules concluded about one case, with explanations."""

    rules_version: str
    summary: Summary
    findings: Findings
    scored: dict[str, Result]
    sins_lesions: list[Result]
    eligibility: dict[str, EligibilityResult]
    ra223_label: str
    _explained: dict[str, Result] | None = None

    @property
    def results(self) -> dict[str, Result]:
        """Every explained result: status, neurology and ESCC first, then scores and decisions."""
        if self._explained is None:
            findings = self.findings
            self._explained = {
                "performance": performance_result(findings.kps, findings.ecog),
                "frankel": frankel_result(findings.frankel, findings.paralysis_hours),
                "escc": escc_result(findings.escc),
                **self.scored,
            }
        return self._explained

    @property
    def flags(self) -> tuple[str, ...]:
        """Every flag raised by any result, first occurrence first."""
        return _union(
            [
                *(r.flags for r in self.results.values()),
                *(r.flags for r in self.eligibility.values()),
            ]
        )

    @property
    def needs(self) -> tuple[str, ...]:
        """Every input some result still needs, first occurrence first."""
        return _union(
            [
                *(r.needs for r in self.results.values()),
                *(r.needs for r in self.eligibility.values()),
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (lists, dicts, strings, numbers, booleans, None)."""
        return {
            "rules_version": self.rules_version,
            "summary": self.summary.to_dict(),
            "results": {key: result.to_dict() for key, result in self.results.items()},
            "sins_lesions": [result.to_dict() for result in self.sins_lesions],
            "eligibility": {key: result.to_dict() for key, result in self.eligibility.items()},
            "flags": list(self.flags),
            "needs": list(self.needs),
            "ra223_label": self.ra223_label,
        }


def lesion_inputs(findings: Findings) -> tuple[list[LesionInput], str]:
    """The lesions to score and the field prefix their needs point to (SPEC §10.1)."""
    if findings.lesions is not None:
        return [
            LesionInput(
                lesion.levels,
                lesion.pain,
                lesion.lesion_type,
                lesion.alignment,
                lesion.collapse,
                lesion.posterolateral,
            )
            for lesion in findings.lesions
        ], "lesions"
    if findings.index_levels is None:
        return [UNKNOWN_LESION], ""
    return [
        LesionInput(
            findings.index_levels,
            findings.pain,
            findings.lesion_type,
            findings.alignment,
            findings.collapse,
            findings.posterolateral,
        )
    ], ""


def score_lesions(lesions: list[LesionInput], form: str) -> tuple[list[Result], int]:
    """SINS of each lesion and the position of the index lesion."""
    if form == "lesions":
        results = [
            sins_result(lesion, f"SINS of lesion {n + 1}", f"lesions[{n}].")
            for n, lesion in enumerate(lesions)
        ]
    else:
        results = [sins_result(lesions[0])]
    return results, index_lesion_position(results)


def triage(
    findings: Findings | Mapping[str, Any], *, ra223_label: Ra223Label = "eu"
) -> TriageReport:
    """Score, classify and screen one case; raises `FindingsError` for invalid findings."""
    valid = parse_findings(findings)
    lesions, form = lesion_inputs(valid)
    lesion_results, index = score_lesions(lesions, form)
    index_lesion = lesions[index]
    all_lesion_levels = [level for lesion in lesions for level in (lesion.levels or ())]
    n_vertebral = valid.n_vertebral_mets
    kps_low, kps_high = kps_range(valid.kps, valid.ecog)
    sins = case_sins(lesion_results, index)
    performance_input: str | int | None = (
        valid.kps
        if valid.kps is not None
        else (f"ECOG {valid.ecog}" if valid.ecog is not None else None)
    )
    tokuhashi = tokuhashi_result(
        tokuhashi_components(
            kps_low,
            kps_high,
            performance_input,
            valid.extraspinal_bone_mets,
            n_vertebral,
            valid.visceral_mets,
            valid.primary,
            valid.frankel,
        ),
        valid.primary,
    )
    facts = CaseFacts(
        valid,
        kps_low,
        kps_high,
        n_vertebral,
        involved_levels(valid, all_lesion_levels),
        index_lesion,
        sins,
        tokuhashi,
        mscc_urgent(valid.red_flags),
    )
    tomita = tomita_result(
        valid.primary, valid.visceral_mets, n_vertebral, valid.extraspinal_bone_mets
    )
    bauer = modified_bauer_result(
        valid.primary, valid.net_site, valid.visceral_mets, n_vertebral, valid.extraspinal_bone_mets
    )
    nesms = nesms_result(
        score_range(bauer), tuple(bauer.needs), valid.ambulatory_independent, valid.albumin_g_dl
    )
    mscc = mscc_result(valid.red_flags)
    noms = noms_result(facts)
    travel = travel_result(
        facts.mscc_urgent,
        valid.escc,
        facts.sins_range,
        tuple(sins.needs),
        (kps_low, kps_high),
        valid.labs.hb_g_dl if valid.labs is not None else None,
    )
    eligibility = eligibility_results(facts, ra223_label)
    scored = {
        "sins": sins,
        "tokuhashi": tokuhashi,
        "tomita": tomita,
        "modified_bauer": bauer,
        "nesms": nesms,
        "mscc": mscc,
        "noms": noms,
        "travel": travel,
    }
    summary = Summary(
        sins=_int(sins.value),
        sins_band=sins.band,
        tokuhashi=_int(tokuhashi.value),
        tokuhashi_range=facts.tokuhashi_range,
        tokuhashi_band=tokuhashi.band,
        tomita=_int(tomita.value),
        tomita_band=tomita.band,
        modified_bauer=_int(bauer.value),
        nesms=_int(nesms.value),
        noms_recommendation=str(noms.value),
        mscc_urgent=facts.mscc_urgent is True,
        triage=str(mscc.value),
        travel=str(travel.value),
        eligible=[key for key, result in eligibility.items() if result.value is True],
    )
    return TriageReport(
        RULES_VERSION,
        summary,
        valid,
        scored,
        lesion_results if form == "lesions" else [],
        eligibility,
        ra223_label,
    )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _union(groups: Iterable[Sequence[str]]) -> tuple[str, ...]:
    merged: dict[str, None] = {}
    for group in groups:
        merged.update(dict.fromkeys(group))
    return tuple(merged)
