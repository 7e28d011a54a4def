"""Shape a stored triage report for the coordinator's panel and the printable summary."""

from __future__ import annotations

from typing import Any

from oncoroute.cases.models import TriageSnapshot
from oncoroute.triage.spine import spine_diagram

SCORE_KEYS = ("sins", "tokuhashi", "tomita", "modified_bauer", "nesms")
GRADE_KEYS = ("escc", "frankel", "performance")
TRIAGE_LABELS = {
    "emergency_mscc": "Emergency: possible spinal cord compression",
    "urgent_spinal_pain": "Urgent: spinal pain pattern — local assessment within 24 h",
    "routine": "Routine",
}
TRAVEL_LABELS = {
    "do_not_travel_seek_local_emergency_care": "Do not travel — seek local emergency care",
    "specialist_clearance_required": "Specialist clearance and airline MEDIF required",
    "standard_precautions": "Standard precautions",
}


def _value_text(result: dict[str, Any]) -> str:
    if result["value"] is not None and not isinstance(result["value"], bool):
        return str(result["value"])
    if result.get("range"):
        low, high = result["range"]
        return f"{low}–{high}" if low != high else str(low)
    return "—"


def _score(result: dict[str, Any]) -> dict[str, Any]:
    return {**result, "value_text": _value_text(result), "complete": not result["needs"]}


def triage_display(snapshot: TriageSnapshot) -> dict[str, Any]:
    report = snapshot.report
    results = report["results"]
    summary = report["summary"]
    therapies = [{"id": key, **result} for key, result in report["eligibility"].items()]
    return {
        "summary": summary,
        "triage_label": TRIAGE_LABELS.get(summary["triage"], summary["triage"]),
        "travel_label": TRAVEL_LABELS.get(summary["travel"], summary["travel"]),
        "mscc": results["mscc"],
        "noms": results["noms"],
        "travel": results["travel"],
        "scores": [_score(results[key]) for key in SCORE_KEYS],
        "grades": [_score(results[key]) for key in GRADE_KEYS],
        "lesions": [_score(result) for result in report.get("sins_lesions", [])],
        "eligible": [t for t in therapies if t["value"] is True],
        "ineligible": [t for t in therapies if t["value"] is not True],
        "needs": report["needs"],
        "flags": report["flags"],
        "spine": spine_diagram(snapshot.findings, report),
        "rules_version": report["rules_version"],
    }
