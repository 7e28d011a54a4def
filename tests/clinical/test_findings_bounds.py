"""Every list of the findings format has a length bound and every number is finite, so no input
can make a report huge or carry a value JSON cannot write."""

from __future__ import annotations

import math
from typing import Any

import pytest

from oncoroute.clinical import LEVELS, RED_FLAGS, FindingsError, parse_findings
from oncoroute.clinical.findings import MAX_THERAPY_HISTORY

from .builders import findings

LESION = {"levels": ["T7"], "pain": "mechanical"}
NON_FINITE = [math.inf, -math.inf, math.nan]


def error_for(data: Any) -> FindingsError:
    with pytest.raises(FindingsError) as caught:
        parse_findings(data)
    return caught.value


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (findings(levels=[*LEVELS, "T7"]), "levels"),
        (findings(index_levels=[*LEVELS, "T7"]), "index_levels"),
        ({"lesions": [{"levels": [*LEVELS, "T7"]}]}, "lesions[0].levels"),
        ({"lesions": [LESION] * (len(LEVELS) + 1)}, "lesions"),
        (findings(red_flags=[*RED_FLAGS, RED_FLAGS[0]]), "red_flags"),
        (findings(prior_therapies=["adt"] * (MAX_THERAPY_HISTORY + 1)), "prior_therapies"),
        (findings(current_therapies=["adt"] * (MAX_THERAPY_HISTORY + 1)), "current_therapies"),
    ],
)
def test_a_list_longer_than_its_bound_is_refused_naming_it(data: Any, field: str) -> None:
    error = error_for(data)
    assert error.fields == (field,)
    assert "at most" in error.message


def test_lists_at_their_bounds_are_accepted() -> None:
    parsed = parse_findings(
        findings(
            levels=list(LEVELS),
            red_flags=list(RED_FLAGS),
            prior_therapies=["adt"] * MAX_THERAPY_HISTORY,
        )
    )
    assert (tuple(parsed.levels or ()), tuple(parsed.red_flags or ())) == (LEVELS, RED_FLAGS)
    many = parse_findings({"lesions": [{"levels": [level]} for level in LEVELS]})
    assert many.lesions is not None and len(many.lesions) == len(LEVELS)


def test_more_involved_vertebrae_than_the_spine_has_are_refused() -> None:
    vertebrae = len(LEVELS) - 1  # every level but the occiput (SPEC §1.2, §2.5)
    assert parse_findings(findings(n_vertebral_mets=vertebrae)).n_vertebral_mets == vertebrae
    assert error_for(findings(n_vertebral_mets=vertebrae + 1)).field == "n_vertebral_mets"


def test_the_message_stays_short_whatever_the_size_of_the_input() -> None:
    error = error_for({"lesions": [LESION] * 100_000, "primary": "x" * 100_000})
    assert error.fields == ("primary", "lesions")
    assert len(error.message) < 1000


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("field", ["ki67_percent", "paralysis_hours", "albumin_g_dl"])
def test_a_non_finite_number_is_refused_naming_the_field(field: str, value: float) -> None:
    data = findings(**{field: value}, frankel="A") if field == "paralysis_hours" else {field: value}
    error = error_for(data)
    assert error.fields == (field,)
    assert "finite" in error.message


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("lab", ["anc_10e9_l", "platelets_10e9_l", "hb_g_dl", "crcl_ml_min"])
def test_a_non_finite_lab_value_is_refused_naming_it(lab: str, value: float) -> None:
    assert error_for({"labs": {lab: value}}).fields == (f"labs.{lab}",)
