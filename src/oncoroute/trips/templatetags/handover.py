"""The handover home on other apps' pages: the patient's card (for the trips page of the patient)
and the section of the home doctor's page, both showing a handover only once it was sent."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from oncoroute.cases.models import Case
from oncoroute.referrals.home_doctor import home_doctor_of
from oncoroute.trips.handover_selectors import sent_handover_of_case
from oncoroute.trips.handover_summary import HandoverSummary
from oncoroute.trips.models import TripPlan

register = template.Library()


def note_in(summary: HandoverSummary, language: str) -> str:
    """The free text to watch for in `language`: the patient's version on a page in any
    language but English (when written), else the English one."""
    if language != "en" and summary.watch_note_patient:
        return summary.watch_note_patient
    return summary.watch_note


@register.inclusion_tag("trips/_handover_card.html")
def trips_handover_card(case: Case) -> dict[str, Any]:
    """`{% trips_handover_card case %}`: the patient's handover home, in the page's language."""
    sent = sent_handover_of_case(case)
    doctor = home_doctor_of(case) if sent else None
    language = get_language() or "en"
    return {
        "case": case,
        "sent": sent,
        "note": note_in(sent.summary, language) if sent else "",
        "doctor_name": doctor.name if doctor else "",
        "planned": sent is None and TripPlan.objects.filter(case=case).exists(),
    }


@register.inclusion_tag("trips/_handover_home_doctor.html")
def home_doctor_handover(case: Case, token: str) -> dict[str, Any]:
    """`{% home_doctor_handover case token %}`: the sent handover on the home doctor's page, in
    the patient's language and then the clinic's; `token` is the link's, for the download."""
    sent = sent_handover_of_case(case)
    versions = [(code, note_in(sent.summary, code)) for code in sent.languages] if sent else []
    return {"sent": sent, "token": token, "versions": versions}
