"""The controlled vocabulary of services a clinic can offer, and how therapies map onto it.

Every offering, need and reason names a service by one of these ids, so a clinic's catalogue,
a triage pathway and a coordinator's choice all speak the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Final

# Group label → (service id, label), in the order the directory page shows them.
_GROUPED: Final = (
    (
        "Spine surgery",
        (
            ("spine_decompression", "Spinal decompression surgery"),
            ("spine_stabilisation", "Spinal stabilisation (instrumented fixation)"),
            ("separation_surgery", "Separation surgery (before radiosurgery)"),
        ),
    ),
    (
        "Vertebral augmentation",
        (
            ("vertebroplasty", "Vertebroplasty"),
            ("kyphoplasty", "Balloon kyphoplasty"),
        ),
    ),
    (
        "Radiotherapy",
        (
            ("sbrt", "Stereotactic radiosurgery / SBRT"),
            ("cebrt", "Conventional external-beam radiotherapy"),
        ),
    ),
    (
        "Radionuclide therapy",
        (
            ("ra223", "Radium-223 therapy"),
            ("lu177_psma", "Lutetium-177 PSMA therapy"),
            ("lu177_dotatate", "Lutetium-177 DOTATATE therapy"),
        ),
    ),
    (
        "Interventional radiology",
        (("embolisation", "Embolisation / TACE"),),
    ),
    (
        "Imaging",
        (
            ("mri", "MRI"),
            ("ct", "CT"),
            ("pet_ct", "PET-CT"),
        ),
    ),
    (
        "Oncology and supportive care",
        (
            ("medical_oncology", "Medical oncology"),
            ("pain_palliative", "Pain and palliative care"),
        ),
    ),
)

SERVICES: Final[Mapping[str, str]] = MappingProxyType(
    {service: label for _, members in _GROUPED for service, label in members}
)
"""Service id → plain-English label, in display order."""

SERVICE_GROUPS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = tuple(
    (group, tuple(service for service, _ in members)) for group, members in _GROUPED
)
"""(group label, service ids) in display order."""

SERVICE_ORDER: Final[Mapping[str, int]] = MappingProxyType(
    {service: index for index, service in enumerate(SERVICES)}
)
"""Service id → its position in the vocabulary; the last tie-break between alternatives."""

SERVICE_DETAIL: Final[Mapping[str, str]] = MappingProxyType(
    {
        "sbrt": "device (e.g. CyberKnife, Gamma Knife, a named linac)",
        "pet_ct": "tracers (see PET_TRACERS)",
    }
)
"""What an offering's detail should say for the services where it matters."""

PET_TRACERS: Final[frozenset[str]] = frozenset(
    {"FDG", "PSMA", "DOTATATE", "NaF", "choline", "fluciclovine", "FES"}
)
"""Tracers a PET-CT offering may list."""

THERAPY_TO_SERVICES: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "cebrt": frozenset({"cebrt"}),
        "sbrt": frozenset({"sbrt"}),
        "surgical_decompression": frozenset({"spine_decompression"}),
        "surgical_stabilization": frozenset({"spine_stabilisation"}),
        # Either procedure delivers the augmentation the pathway asks for.
        "vertebral_augmentation": frozenset({"vertebroplasty", "kyphoplasty"}),
        "preop_embolization": frozenset({"embolisation"}),
        "ra223": frozenset({"ra223"}),
        "lu177_psma": frozenset({"lu177_psma"}),
        "lu177_dotatate": frozenset({"lu177_dotatate"}),
        "bone_targeted_agent": frozenset({"medical_oncology"}),
    }
)
"""Clinical-core therapy id → the services any one of which delivers it (an any-of set)."""


def service_label(service: str) -> str:
    """The plain-English label of a service id (the id itself if it is not in the vocabulary)."""
    return SERVICES.get(service, service)


def check_service(service: str) -> str:
    """Return the service id, or raise ValueError naming the vocabulary if it is unknown."""
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}; known: {', '.join(SERVICES)}")
    return service


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(day: date) -> str:
    """A date as the coordinator's pages write it: '15 Dec 2026'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def days_text(days: int) -> str:
    """'1 day', '3 days'."""
    return f"{days} day" if days == 1 else f"{days} days"
