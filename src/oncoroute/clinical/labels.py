"""One plain-English label per code the clinical core returns, for every page that shows it."""

from __future__ import annotations

from typing import Final

TRIAGE_LEVEL_LABELS: Final[dict[str, str]] = {
    "emergency_mscc": "Emergency: possible spinal cord compression",
    "urgent_spinal_pain": "Urgent: spinal pain pattern, local assessment within 24 h",
    "routine": "Routine",
}
SINS_BAND_LABELS: Final[dict[str, str]] = {
    "stable": "Stable (SINS 0–6)",
    "potentially_unstable": "Potentially unstable (SINS 7–12)",
    "unstable": "Unstable (SINS 13–18)",
}
TRAVEL_LABELS: Final[dict[str, str]] = {
    "do_not_travel_seek_local_emergency_care": "Do not travel: seek local emergency care",
    "specialist_clearance_required": "Specialist clearance and airline MEDIF required",
    "standard_precautions": "Standard precautions",
}
