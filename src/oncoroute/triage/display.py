"""Shape a snapshot for the coordinator's panel, the printable summary and the history: every
code through its label."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoroute.clinical.eligibility import NAME as THERAPY_NAMES
from oncoroute.clinical.labels import BAND_LABELS, NOMS_LABELS
from oncoroute.triage.forms import LABELS
from oncoroute.triage.models import TriageSnapshot
from oncoroute.triage.report import StoredSummary, StoredTriage
from oncoroute.triage.spine import spine_diagram

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LESION_NEED = re.compile(r"^lesions\[(\d+)\]\.(\w+)$")
SUMMARY_LABELS: dict[str, StrOrPromise] = {
    "sins": gettext_lazy("SINS"),
    "sins_band": gettext_lazy("SINS band"),
    "tokuhashi": gettext_lazy("Revised Tokuhashi"),
    "tokuhashi_range": gettext_lazy("Revised Tokuhashi, possible range"),
    "tokuhashi_band": gettext_lazy("Revised Tokuhashi band"),
    "tomita": gettext_lazy("Tomita"),
    "tomita_band": gettext_lazy("Tomita band"),
    "modified_bauer": gettext_lazy("Modified Bauer"),
    "nesms": gettext_lazy("NESMS"),
    "noms_recommendation": gettext_lazy("NOMS pathway"),
    "mscc_urgent": gettext_lazy("Possible cord compression"),
    "triage": gettext_lazy("Triage"),
    "travel": gettext_lazy("Travel"),
    "eligible": gettext_lazy("Eligible therapies"),
}


def triage_display(snapshot: TriageSnapshot | None) -> dict[str, object]:
    """The panel's context: the stored report (`triage`) and its spine diagram (`spine`)."""
    if snapshot is None:
        return {"triage": None, "spine": None}
    report = StoredTriage.from_stored(snapshot.report)
    return {"triage": report, "spine": spine_diagram(snapshot.findings, report)}


def need_label(need: str) -> str:
    """A missing input named as the findings form names its field ('labs.hb_g_dl' →
    'Haemoglobin (g/dL)')."""
    if match := LESION_NEED.match(need):
        field = str(LABELS.get(match.group(2), match.group(2)))
        return _("%(field)s, lesion %(n)s") % {"field": field, "n": int(match.group(1)) + 1}
    if need == "index_levels":
        return _("Levels of this lesion")
    name = need.replace("labs.", "labs_")
    return str(LABELS.get(name, name.replace("_", " ").capitalize()))


def summary_value(key: str, value: Any, report: StoredTriage | None = None) -> str:
    """One value of a triage summary as words: labels for codes, yes or no, a range."""
    if value is None or value == ():
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key == "eligible":
        if report is not None:
            return ", ".join(report.therapy_name(therapy) for therapy in value)
        return ", ".join(THERAPY_NAMES.get(therapy, therapy) for therapy in value)
    if key == "tokuhashi_range":
        low, high = value
        return f"{low}–{high}" if low != high else str(low)
    if key == "noms_recommendation":
        return NOMS_LABELS.get(value, str(value))
    return BAND_LABELS.get(str(value), str(value))


def summary_label(key: str) -> str:
    return str(SUMMARY_LABELS.get(key, key.replace("_", " ")))


def summary_rows(report: StoredTriage) -> list[tuple[str, str]]:
    """(label, value) per field of the summary, in the core's order."""
    summary: StoredSummary = report.summary
    return [
        (summary_label(key), summary_value(key, value, report)) for key, value in summary.rows()
    ]
