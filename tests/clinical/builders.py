"""Findings used across the clinical tests: a fully known base case and small variations."""

from __future__ import annotations

from typing import Any

BASE: dict[str, Any] = {
    "primary": "breast",
    "sex": "F",
    "age": 55,
    "kps": 80,
    "index_levels": ["T7"],
    "pain": "occasional_nonmechanical",
    "lesion_type": "blastic",
    "alignment": "normal",
    "collapse": "none",
    "posterolateral": "none",
    "escc": "0",
    "frankel": "E",
    "n_vertebral_mets": 1,
    "levels": ["T7"],
    "extraspinal_bone_mets": 0,
    "visceral_mets": "none",
    "red_flags": [],
    "ambulatory_independent": True,
    "albumin_g_dl": 4.0,
    "prior_rt_same_site": False,
    "infection_at_site": False,
    "coagulopathy_uncorrected": False,
    "hypocalcaemia_uncorrected": False,
    "dental_extraction_pending": False,
    "prior_therapies": [],
    "current_therapies": [],
}


def findings(**changes: Any) -> dict[str, Any]:
    """The base case with fields changed; a value of None removes the field (unknown)."""
    data = dict(BASE)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def without(*keys: str, **changes: Any) -> dict[str, Any]:
    """The base case with fields removed (unknown) and others changed."""
    data = findings(**changes)
    for key in keys:
        data.pop(key, None)
    return data
