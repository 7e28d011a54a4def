"""The canonical findings format (SPEC §10, §10.1, §10.3): strict, optional, errors name fields."""

from __future__ import annotations

from typing import Any

import pytest

from oncoroute.clinical import (
    ESCC_GRADES,
    LEVELS,
    MSCC_RED_FLAGS,
    PRIMARIES,
    RED_FLAGS,
    THERAPY_IDS,
    Findings,
    FindingsError,
    parse_findings,
    triage,
)

from .builders import BASE, findings


def error_for(data: Any) -> FindingsError:
    with pytest.raises(FindingsError) as caught:
        triage(data)
    return caught.value


def test_an_empty_object_is_valid_and_every_field_is_unknown() -> None:
    parsed = parse_findings({})
    assert all(value is None for value in parsed.model_dump().values())


def test_the_full_base_case_is_accepted() -> None:
    assert parse_findings(BASE).primary == "breast"


def test_a_validated_model_passes_through_unchanged() -> None:
    model = Findings.model_validate(BASE)
    assert parse_findings(model) is model


def test_an_extra_field_is_refused_naming_it() -> None:
    error = error_for(findings(tumour_size_cm=3))
    assert error.field == "tumour_size_cm"
    assert "tumour_size_cm" in str(error)


def test_an_extra_field_inside_labs_is_refused_with_its_path() -> None:
    error = error_for(findings(labs={"hb_g_dl": 11.0, "ferritin": 3}))
    assert error.field == "labs.ferritin"


def test_an_unknown_enumeration_value_names_the_field_and_lists_allowed_values() -> None:
    error = error_for(findings(escc="4"))
    assert error.field == "escc"
    for grade in ESCC_GRADES:
        assert f"'{grade}'" in str(error)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("primary", "lung"),
        ("sex", "X"),
        ("pain", "severe"),
        ("frankel", "F"),
        ("visceral_mets", "yes"),
        ("net_site", "pancreas"),
    ],
)
def test_each_enumeration_refuses_values_outside_it(field: str, value: str) -> None:
    assert error_for(findings(**{field: value})).field == field


def test_an_unknown_level_in_a_list_names_the_item() -> None:
    assert error_for(findings(levels=["T7", "T13"])).field == "levels[1]"


def test_an_unknown_red_flag_is_refused() -> None:
    assert error_for(findings(red_flags=["back_ache"])).field == "red_flags[0]"


def test_kps_must_be_a_multiple_of_ten() -> None:
    assert error_for(findings(kps=75)).field == "kps"


@pytest.mark.parametrize("value", [True, "80", 80.0])
def test_kps_must_be_an_integer(value: Any) -> None:
    assert error_for(findings(kps=value)).field == "kps"


def test_kps_and_ecog_that_disagree_are_an_error_naming_both() -> None:
    error = error_for(findings(kps=80, ecog=2))
    assert error.fields == ("kps", "ecog")
    assert "kps" in str(error) and "ecog" in str(error)


def test_kps_and_ecog_that_agree_are_accepted() -> None:
    assert triage(findings(kps=70, ecog=1)).summary.tokuhashi is not None


def test_lesions_and_top_level_lesion_fields_together_are_an_error() -> None:
    error = error_for(findings(lesions=[{"levels": ["T7"]}]))
    assert error.field == "lesions"
    assert "index_levels" in error.fields


def test_sins_fields_without_index_levels_are_an_error() -> None:
    data = findings()
    del data["index_levels"]
    error = error_for(data)
    assert error.field == "index_levels"


def test_a_lesion_without_levels_is_refused() -> None:
    data = {"lesions": [{"pain": "mechanical"}]}
    assert error_for(data).field == "lesions[0].levels"


def test_well_differentiated_neuroendocrine_marked_poor_is_an_error() -> None:
    error = error_for(findings(primary="neuroendocrine", net_differentiation="poor"))
    assert error.fields == ("primary", "net_differentiation")


def test_a_poorly_differentiated_carcinoma_is_entered_by_organ() -> None:
    report = triage(findings(primary="pancreas", net_site="gep", net_differentiation="poor"))
    assert report.results["tokuhashi"].components[4].points == 0


def test_paralysis_hours_without_frankel_a_is_an_error() -> None:
    assert error_for(findings(frankel="C", paralysis_hours=10)).field == "paralysis_hours"


def test_a_non_object_is_refused() -> None:
    assert error_for([1, 2]).field == "findings"


def test_several_errors_are_reported_together() -> None:
    error = error_for(findings(sex="X", kps=75, colour="red"))
    assert set(error.fields) == {"sex", "kps", "colour"}


def test_enumerations_are_exported_for_forms() -> None:
    assert len(PRIMARIES) == 28
    assert len(LEVELS) == 30 and LEVELS[0] == "OCC" and LEVELS[-1] == "S5"
    assert set(RED_FLAGS) == set(MSCC_RED_FLAGS)
    assert list(THERAPY_IDS) == sorted(THERAPY_IDS)
    assert all(label and label[0].isupper() for label in MSCC_RED_FLAGS.values())
