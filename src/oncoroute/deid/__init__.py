"""DICOM de-identification per DICOM PS3.15 Annex E (pure core, no Django).

Basic Application Level Confidentiality Profile with the Retain Longitudinal
Temporal Information with Modified Dates option (E.3.6) and the Clean
Descriptors option (E.3.5). See docs/deid.md.

The names below are imported when first used (PEP 562), so that a command
needing one part (``oncoroute deid`` without ``--verify``) does not pay for
importing the others at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from oncoroute.deid.dataset import DatasetOutcome, deidentify_dataset
    from oncoroute.deid.files import FileOutcome, deidentify_file
    from oncoroute.deid.rules import DeidOptions
    from oncoroute.deid.study import DeidSummary, deidentify_study
    from oncoroute.deid.verify import Survivor, VerifyResult, verify

_WHERE = {
    "DatasetOutcome": "dataset",
    "DeidOptions": "rules",
    "deidentify_dataset": "dataset",
    "FileOutcome": "files",
    "deidentify_file": "files",
    "DeidSummary": "study",
    "deidentify_study": "study",
    "Survivor": "verify",
    "VerifyResult": "verify",
    "verify": "verify",
}

__all__ = [
    "DatasetOutcome",
    "DeidOptions",
    "DeidSummary",
    "FileOutcome",
    "Survivor",
    "VerifyResult",
    "deidentify_dataset",
    "deidentify_file",
    "deidentify_study",
    "verify",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
