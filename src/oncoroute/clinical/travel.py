"""Fitness to travel by air (SPEC §8).

No guideline specific to bone metastases exists; the rule combines general aviation-medicine
guidance (UK fitness-to-fly guidance: haemoglobin < 7.5 g/dL usually unsuitable; IATA MEDIF
clearance when fitness is uncertain; Govilkar S, et al. Orthop Muscular Syst 2018;7(2)) with the
platform conventions of SPEC §8: MSCC blocks travel; cord compression (ESCC 2–3), an unstable spine
(SINS ≥ 13), KPS ≤ 40 or haemoglobin < 7.5 g/dL need specialist clearance.
"""

from __future__ import annotations

from typing import Final

from oncoroute.clinical.constants import ESCC_HIGH_GRADES
from oncoroute.clinical.result import Result, Tri

RULE_ID: Final = "fitness_to_fly"
CITATION: Final = (
    "UK fitness-to-fly guidance; IATA MEDIF; Govilkar S, et al. Orthop Muscular Syst 2018;7(2); "
    "Kendi AT, et al. J Nucl Med 2020 (177Lu and radiation detectors) — SPEC §8"
)
HB_MIN_G_DL: Final = 7.5

MEANING: Final[dict[str, str]] = {
    "do_not_travel_seek_local_emergency_care": (
        "Do not travel: possible spinal cord compression needs local emergency care first."
    ),
    "specialist_clearance_required": (
        "Travel only with clearance from the spine surgeon or treating oncologist and an airline "
        "medical form (MEDIF)."
    ),
    "standard_precautions": (
        "Standard precautions: know the symptoms of cord compression; discuss blood-clot "
        "prevention for long flights with the treating team (active cancer is a risk factor); "
        "ask for wheelchair assistance, avoid heavy lifting and wear a brace if prescribed. "
        "After 177Lu therapy carry the treatment card (airport radiation detectors)."
    ),
}


def travel_result(
    urgent: Tri,
    escc: str | None,
    sins_range: tuple[int, int],
    sins_needs: tuple[str, ...],
    kps_range: tuple[int, int],
    hb_g_dl: float | None,
) -> Result:
    """Travel advice; a test passes only when it holds for every possible value of its inputs."""
    cord_compression = None if escc is None else escc in ESCC_HIGH_GRADES
    unstable = True if sins_range[0] >= 13 else (False if sins_range[1] < 13 else None)
    poor_status = True if kps_range[1] <= 40 else (False if kps_range[0] > 40 else None)
    anaemia = None if hb_g_dl is None else hb_g_dl < HB_MIN_G_DL
    criteria = (
        ("mscc_urgent", urgent),
        ("escc_2_or_3", cord_compression),
        ("sins_ge_13", unstable),
        ("kps_le_40", poor_status),
        ("hb_lt_7_5", anaemia),
    )
    if urgent:
        advice = "do_not_travel_seek_local_emergency_care"
    elif cord_compression or unstable or poor_status or anaemia:
        advice = "specialist_clearance_required"
    else:
        advice = "standard_precautions"
    needs: list[str] = []
    if urgent is None:
        needs.append("red_flags")
    if advice == "standard_precautions":
        needs.extend(
            _undecided_inputs(cord_compression, unstable, poor_status, anaemia, sins_needs)
        )
    return Result(
        RULE_ID,
        "Fitness to travel",
        CITATION,
        advice,
        advice,
        MEANING[advice],
        criteria=criteria,
        needs=tuple(needs),
    )


def _undecided_inputs(
    cord_compression: Tri,
    unstable: Tri,
    poor_status: Tri,
    anaemia: Tri,
    sins_needs: tuple[str, ...],
) -> list[str]:
    needs: list[str] = []
    if cord_compression is None:
        needs.append("escc")
    if unstable is None:
        needs.extend(sins_needs)
    if poor_status is None:
        needs.append("kps")
    if anaemia is None:
        needs.append("labs.hb_g_dl")
    return needs
