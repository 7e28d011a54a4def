"""The trip planner's services in the reader's language (the core's own labels are English)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from oncoroute.itinerary import SERVICE_LABELS

SERVICE_NAMES = {
    "spine_decompression": pgettext_lazy("trip planner service", "spinal decompression surgery"),
    "spine_stabilisation": pgettext_lazy("trip planner service", "spinal stabilisation surgery"),
    "separation_surgery": pgettext_lazy("trip planner service", "separation surgery"),
    "kyphoplasty": pgettext_lazy("trip planner service", "kyphoplasty"),
    "vertebroplasty": pgettext_lazy("trip planner service", "vertebroplasty"),
    "embolisation": pgettext_lazy("trip planner service", "embolisation"),
    "biopsy": pgettext_lazy("trip planner service", "bone biopsy"),
    "sbrt": pgettext_lazy("trip planner service", "SBRT (stereotactic radiotherapy)"),
    "cebrt": pgettext_lazy("trip planner service", "conventional radiotherapy"),
    "lu177_psma": pgettext_lazy("trip planner service", "¹⁷⁷Lu-PSMA therapy"),
    "lu177_dotatate": pgettext_lazy("trip planner service", "¹⁷⁷Lu-DOTATATE therapy"),
    "ra223": pgettext_lazy("trip planner service", "radium-223 therapy"),
    "consultation": pgettext_lazy("trip planner service", "consultation"),
    "mri": pgettext_lazy("trip planner service", "MRI"),
    "ct": pgettext_lazy("trip planner service", "CT"),
    "pet_ct": pgettext_lazy("trip planner service", "PET-CT"),
    "medical_oncology": pgettext_lazy("trip planner service", "medical oncology visit"),
    "pain_palliative": pgettext_lazy("trip planner service", "pain and palliative care visit"),
}


def service_name(service: str) -> str:
    return str(SERVICE_NAMES.get(service, SERVICE_LABELS.get(service, service)))
