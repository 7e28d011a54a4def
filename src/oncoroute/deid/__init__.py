"""DICOM de-identification per DICOM PS3.15 Annex E (pure core, no Django).

Basic Application Level Confidentiality Profile with the Retain Longitudinal
Temporal Information with Modified Dates option (E.3.6) and the Clean
Descriptors option (E.3.5). See docs/deid.md.
"""

from __future__ import annotations

from oncoroute.deid.dataset import DatasetOutcome, DeidOptions, deidentify_dataset
from oncoroute.deid.files import FileOutcome, deidentify_file
from oncoroute.deid.study import DeidSummary, deidentify_study
from oncoroute.deid.verify import Survivor, VerifyResult, verify

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
