"""The services of the matching vocabulary named in the reader's language: the matching core
names them in English (it imports no Django); the pages read them from here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SERVICE_LABELS: dict[str, StrOrPromise] = {
    "spine_decompression": _("Spinal decompression surgery"),
    "spine_stabilisation": _("Spinal stabilisation (instrumented fixation)"),
    "separation_surgery": _("Separation surgery (before radiosurgery)"),
    "vertebroplasty": _("Vertebroplasty"),
    "kyphoplasty": _("Balloon kyphoplasty"),
    "sbrt": _("Stereotactic radiosurgery / SBRT"),
    "cebrt": _("Conventional external-beam radiotherapy"),
    "ra223": _("Radium-223 therapy"),
    "lu177_psma": _("Lutetium-177 PSMA therapy"),
    "lu177_dotatate": _("Lutetium-177 DOTATATE therapy"),
    "embolisation": _("Embolisation / TACE"),
    "mri": _("MRI"),
    "ct": _("CT"),
    "pet_ct": _("PET-CT"),
    "medical_oncology": _("Medical oncology"),
    "pain_palliative": _("Pain and palliative care"),
}

SERVICE_GROUP_LABELS: dict[str, StrOrPromise] = {
    "Spine surgery": _("Spine surgery"),
    "Vertebral augmentation": _("Vertebral augmentation"),
    "Radiotherapy": _("Radiotherapy"),
    "Radionuclide therapy": _("Radionuclide therapy"),
    "Interventional radiology": _("Interventional radiology"),
    "Imaging": _("Imaging"),
    "Oncology and supportive care": _("Oncology and supportive care"),
}


def service_label_text(service: str) -> str:
    """The service's name in the active language (the matching core's English if unknown)."""
    from oncoroute.matching import service_label

    label = SERVICE_LABELS.get(service)
    return str(label) if label is not None else service_label(service)
