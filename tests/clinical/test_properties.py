"""Property tests: scores stay in range, monotone rules never get better with worse input, and the
range technique of SPEC §0 always contains the value found once the missing input is known."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from oncoroute.clinical import (
    ALIGNMENTS,
    COLLAPSE_VALUES,
    ESCC_GRADES,
    LESION_TYPES,
    LEVELS,
    PAIN_VALUES,
    POSTEROLATERAL_VALUES,
    PRIMARIES,
    RED_FLAGS,
    SUMMARY_KEYS,
    VISCERAL_METS,
    triage,
)
from oncoroute.clinical.sins import LesionInput, sins_result

SCORE_FIELDS = (
    "kps",
    "extraspinal_bone_mets",
    "n_vertebral_mets",
    "visceral_mets",
    "primary",
    "frankel",
    "pain",
    "lesion_type",
    "alignment",
    "collapse",
    "posterolateral",
    "ambulatory_independent",
    "albumin_g_dl",
)
SCORE_BOUNDS = {
    "sins": (0, 18),
    "tokuhashi": (0, 15),
    "tomita": (2, 10),
    "modified_bauer": (0, 4),
    "nesms": (0, 3),
}


@st.composite
def index_levels(draw: st.DrawFn) -> list[str]:
    start = draw(st.integers(0, len(LEVELS) - 1))
    length = draw(st.integers(1, 3))
    return list(LEVELS[start : start + length])


@st.composite
def findings(draw: st.DrawFn) -> dict[str, Any]:
    """Valid canonical findings; each field present or missing at random."""
    candidates: dict[str, st.SearchStrategy[Any]] = {
        "primary": st.sampled_from(PRIMARIES),
        "sex": st.sampled_from(("M", "F")),
        "age": st.integers(0, 100),
        "kps": st.sampled_from(range(10, 101, 10)),
        "n_vertebral_mets": st.integers(1, 12),
        "levels": st.lists(st.sampled_from(LEVELS), max_size=6),
        "extraspinal_bone_mets": st.integers(0, 10),
        "visceral_mets": st.sampled_from(VISCERAL_METS),
        "escc": st.sampled_from(ESCC_GRADES),
        "frankel": st.sampled_from("ABCDE"),
        "ambulatory_independent": st.booleans(),
        "albumin_g_dl": st.floats(1.0, 5.5),
        "red_flags": st.lists(st.sampled_from(RED_FLAGS), max_size=3),
        "prior_rt_same_site": st.booleans(),
        "infection_at_site": st.booleans(),
        "castration_resistant": st.booleans(),
        "mcrpc_lines": st.integers(0, 4),
        "psma_pet_positive": st.booleans(),
        "sstr_positive": st.booleans(),
        "labs": st.fixed_dictionaries({}, optional={"hb_g_dl": st.floats(5.0, 16.0)}),
    }
    data = {key: draw(value) for key, value in candidates.items() if draw(st.booleans())}
    if draw(st.booleans()):
        data["index_levels"] = draw(index_levels())
        lesion_fields = {
            "pain": PAIN_VALUES,
            "lesion_type": LESION_TYPES,
            "alignment": ALIGNMENTS,
            "collapse": COLLAPSE_VALUES,
            "posterolateral": POSTEROLATERAL_VALUES,
        }
        for key, values in lesion_fields.items():
            if draw(st.booleans()):
                data[key] = draw(st.sampled_from(values))
    if data.get("frankel") == "A" and draw(st.booleans()):
        data["paralysis_hours"] = draw(st.integers(0, 200))
    return data


@settings(max_examples=300, deadline=None)
@given(findings())
def test_scores_stay_in_range_and_the_summary_is_exact(data: dict[str, Any]) -> None:
    report = triage(data)
    summary = report.to_dict()["summary"]
    assert list(summary) == list(SUMMARY_KEYS)
    assert json.loads(json.dumps(summary)) == summary
    for key, (low, high) in SCORE_BOUNDS.items():
        bounds = report.results[key].range
        assert bounds is not None and low <= bounds[0] <= bounds[1] <= high
        assert summary[key] is None or summary[key] == bounds[0] == bounds[1]
    assert summary["eligible"] == sorted(summary["eligible"])
    if summary["mscc_urgent"]:
        assert summary["travel"] == "do_not_travel_seek_local_emergency_care"


@settings(max_examples=200, deadline=None)
@given(findings(), st.sampled_from(SCORE_FIELDS))
def test_a_missing_input_gives_a_range_containing_the_known_value(
    data: dict[str, Any], field: str
) -> None:
    complete = triage(data)
    partial = dict(data)
    partial.pop(field, None)
    report = triage(partial)
    for key in SCORE_BOUNDS:
        full_range = complete.results[key].range
        wide_range = report.results[key].range
        assert full_range is not None and wide_range is not None
        assert wide_range[0] <= full_range[0] <= full_range[1] <= wide_range[1]


ORDERED = {
    "pain": ("none", "occasional_nonmechanical", "mechanical"),
    "lesion_type": ("blastic", "mixed", "lytic"),
    "alignment": ("normal", "deformity", "subluxation"),
    "collapse": ("none", "none_gt50_involved", "lt50", "gt50"),
    "posterolateral": ("none", "unilateral", "bilateral"),
}


@given(
    st.lists(st.sampled_from(LEVELS), min_size=1, max_size=3),
    st.fixed_dictionaries({key: st.sampled_from(values) for key, values in ORDERED.items()}),
    st.sampled_from(tuple(ORDERED)),
)
def test_a_worse_sins_input_never_lowers_sins(
    levels: list[str], values: dict[str, str], field: str
) -> None:
    def score(chosen: dict[str, str]) -> int:
        result = sins_result(LesionInput(levels, **chosen))
        assert isinstance(result.value, int)
        return result.value

    order = ORDERED[field]
    worse = order[min(order.index(values[field]) + 1, len(order) - 1)]
    assert score(values | {field: worse}) >= score(values)


@given(findings(), st.sampled_from(LEVELS))
def test_adding_a_level_to_the_lesion_never_lowers_sins_location(
    data: dict[str, Any], level: str
) -> None:
    if "index_levels" not in data:
        return
    before = triage(data).results["sins"].range
    after = triage(data | {"index_levels": [*data["index_levels"], level]}).results["sins"].range
    assert before is not None and after is not None
    assert after[0] >= before[0] and after[1] >= before[1]


@given(findings())
def test_better_general_condition_and_fewer_metastases_never_lower_tokuhashi(
    data: dict[str, Any],
) -> None:
    base = triage(data).results["tokuhashi"].range
    assert base is not None
    if "kps" in data and data["kps"] < 100:
        better = triage(data | {"kps": data["kps"] + 10})
        assert better.results["tokuhashi"].range is not None
        assert better.results["tokuhashi"].range[0] >= base[0]
    if data.get("extraspinal_bone_mets", 0) > 0:
        fewer = triage(data | {"extraspinal_bone_mets": data["extraspinal_bone_mets"] - 1})
        assert fewer.results["tokuhashi"].range is not None
        assert fewer.results["tokuhashi"].range[0] >= base[0]


@given(findings(), st.sampled_from(VISCERAL_METS))
def test_worse_visceral_disease_never_lowers_tomita(data: dict[str, Any], visceral: str) -> None:
    order = list(VISCERAL_METS)
    worse = order[min(order.index(visceral) + 1, 2)]
    mild = triage(data | {"visceral_mets": visceral}).results["tomita"].range
    severe = triage(data | {"visceral_mets": worse}).results["tomita"].range
    assert mild is not None and severe is not None
    assert severe[0] >= mild[0] and severe[1] >= mild[1]


@given(findings(), st.floats(1.0, 5.5), st.floats(0.0, 1.0))
def test_higher_albumin_never_lowers_nesms(
    data: dict[str, Any], albumin: float, extra: float
) -> None:
    low = triage(data | {"albumin_g_dl": albumin}).results["nesms"].range
    high = triage(data | {"albumin_g_dl": albumin + extra}).results["nesms"].range
    assert low is not None and high is not None
    assert high[0] >= low[0] and high[1] >= low[1]
