"""NOMS pathway (SPEC §6.5), MSCC red flags (§7), travel (§8), eligibility (§9, §10.3)."""

from __future__ import annotations

from typing import Any

import pytest

from oncoroute.clinical import MSCC_NEURO_RED_FLAGS, MSCC_PAIN_RED_FLAGS, triage

from .builders import findings, without

UNSTABLE_PAINFUL = {
    "index_levels": ["T12"],
    "pain": "mechanical",
    "lesion_type": "lytic",
    "collapse": "lt50",
    "posterolateral": "none",
}  # fmt: skip  SINS 3+3+2+0+2+0 = 10


def noms(**changes: Any) -> str:
    return str(triage(findings(**changes)).summary.noms_recommendation)


def eligible(data: dict[str, Any]) -> list[str]:
    return list(triage(data).summary.eligible)


# --- NOMS ---------------------------------------------------------------------


def test_kps_40_or_less_is_palliative_radiotherapy_first() -> None:
    assert noms(kps=40, escc="3", frankel="C") == "palliative_cEBRT"


def test_ecog_3_counts_as_kps_40_or_less() -> None:
    assert triage(without("kps", ecog=3)).summary.noms_recommendation == "palliative_cEBRT"


def test_pain_free_stable_low_grade_intact_is_observation() -> None:
    assert noms(pain="none", escc="1b") == "observation_systemic_therapy"


def test_a_sins_above_6_is_not_observation() -> None:
    assert noms(pain="none", index_levels=["T11"], lesion_type="lytic", collapse="lt50") == "cEBRT"


@pytest.mark.parametrize("primary", ["myeloma", "lymphoma", "leukaemia", "germ_cell", "lung_sclc"])
def test_highly_radiosensitive_tumours_get_cebrt_at_any_grade(primary: str) -> None:
    assert noms(primary=primary, escc="3", frankel="C") == "cEBRT"


def test_moderately_sensitive_high_grade_with_deficit_and_fit_gets_decompression() -> None:
    assert noms(escc="2", frankel="D") == "decompressive_surgery+cEBRT"


def test_moderately_sensitive_high_grade_without_deficit_gets_cebrt() -> None:
    assert noms(escc="2", frankel="E") == "cEBRT"


@pytest.mark.parametrize("primary", ["kidney", "melanoma", "colon", "lung_nsclc", "unknown"])
def test_radioresistant_low_grade_fit_gets_srs(primary: str) -> None:
    assert noms(primary=primary, escc="1c") == "SRS"


def test_radioresistant_high_grade_fit_gets_separation_surgery() -> None:
    assert noms(primary="kidney", escc="3", frankel="E") == "separation_surgery+SRS"


def test_radioresistant_not_fit_gets_palliative_radiotherapy() -> None:
    # lung 0 + KPS 50 (1) + extraspinal 2 + vertebral 2 + unremovable 0 + Frankel E 2 = 7 < 9
    unfit = {"primary": "lung_nsclc", "kps": 50, "visceral_mets": "unremovable"}
    assert noms(escc="1a", **unfit) == "palliative_cEBRT"
    assert noms(escc="2", **unfit) == "palliative_cEBRT"


def test_tokuhashi_minimum_of_9_is_the_surgical_threshold() -> None:
    # stomach 0 + KPS + extraspinal 2 + vertebral 2 + no visceral 2 + Frankel (E 2, D 1)
    assert noms(primary="stomach", kps=80, escc="1a") == "SRS"  # 0+2+8 = 10
    assert noms(primary="stomach", kps=50, escc="1a") == "SRS"  # 9
    assert noms(primary="stomach", kps=50, escc="1a", frankel="D") == "palliative_cEBRT"  # 8


def test_prior_radiotherapy_turns_cebrt_into_srs_when_fit() -> None:
    report = triage(findings(prior_rt_same_site=True))
    assert report.summary.noms_recommendation == "SRS"
    assert "reirradiation" not in report.flags


def test_prior_radiotherapy_and_unfit_gives_palliative_cebrt_flagged_reirradiation() -> None:
    report = triage(
        findings(
            prior_rt_same_site=True,
            kps=50,
            extraspinal_bone_mets=5,
            n_vertebral_mets=4,
            visceral_mets="unremovable",
        )
    )
    assert report.summary.noms_recommendation == "palliative_cEBRT"
    assert "reirradiation" in report.flags


def test_mechanical_overlay_prefers_cement_when_its_criteria_hold() -> None:
    assert noms(**UNSTABLE_PAINFUL) == "cement_augmentation+cEBRT"
    assert noms(primary="kidney", **UNSTABLE_PAINFUL) == "cement_augmentation+SRS"


def test_mechanical_overlay_uses_stabilisation_when_cement_is_barred() -> None:
    assert noms(alignment="deformity", **UNSTABLE_PAINFUL) == "surgical_stabilization+cEBRT"
    assert (
        noms(
            posterolateral="bilateral",
            **{k: v for k, v in UNSTABLE_PAINFUL.items() if k != "posterolateral"},
        )
        == "surgical_stabilization+cEBRT"
    )


def test_sins_7_to_12_without_mechanical_pain_needs_no_mechanical_action() -> None:
    assert noms(**(UNSTABLE_PAINFUL | {"pain": "occasional_nonmechanical"})) == "cEBRT"


def test_unstable_spine_in_an_unfit_patient_is_flagged_not_addressed() -> None:
    report = triage(
        findings(
            kps=50,
            primary="lung_nsclc",
            visceral_mets="unremovable",
            alignment="deformity",
            **UNSTABLE_PAINFUL,
        )
    )
    assert report.summary.noms_recommendation == "palliative_cEBRT"
    assert "instability_not_addressed" in report.flags


def test_frankel_a_unknown_duration_is_not_offered_surgery_and_needs_hours() -> None:
    report = triage(findings(escc="3", frankel="A"))
    assert report.summary.noms_recommendation == "cEBRT"
    assert "paralysis_hours" in report.results["noms"].needs
    assert "surgical_decompression" not in report.summary.eligible


def test_frankel_a_within_48_hours_is_a_deficit_for_surgery() -> None:
    assert noms(escc="3", frankel="A", paralysis_hours=48) == "decompressive_surgery+cEBRT"
    assert noms(escc="3", frankel="A", paralysis_hours=49) == "cEBRT"


def test_unknown_primary_requires_biopsy() -> None:
    assert "biopsy_required" in triage(findings(primary="unknown")).flags


def test_mscc_makes_noms_informational() -> None:
    report = triage(findings(red_flags=["limb_weakness"]))
    assert "informational_only_mscc" in report.results["noms"].flags


# --- MSCC red flags and travel ------------------------------------------------


@pytest.mark.parametrize("flag", list(MSCC_NEURO_RED_FLAGS))
def test_every_neurological_red_flag_is_an_emergency_blocking_travel(flag: str) -> None:
    summary = triage(findings(red_flags=[flag])).summary
    assert (summary.mscc_urgent, summary.triage, summary.travel) == (
        True,
        "emergency_mscc",
        "do_not_travel_seek_local_emergency_care",
    )


@pytest.mark.parametrize("flag", list(MSCC_PAIN_RED_FLAGS))
def test_every_pain_red_flag_is_urgent_without_blocking_travel(flag: str) -> None:
    summary = triage(findings(red_flags=[flag])).summary
    assert (summary.mscc_urgent, summary.triage, summary.travel) == (
        False,
        "urgent_spinal_pain",
        "standard_precautions",
    )


def test_a_neurological_flag_wins_over_pain_flags() -> None:
    assert (
        triage(findings(red_flags=["nocturnal_pain", "sensory_loss"])).summary.triage
        == "emergency_mscc"
    )


def test_unrecorded_red_flags_are_routine_but_needed() -> None:
    report = triage(without("red_flags"))
    assert (report.summary.triage, report.summary.mscc_urgent) == ("routine", False)
    assert "red_flags" in report.results["mscc"].needs


@pytest.mark.parametrize(
    "changes",
    [
        {"escc": "2"},
        {"escc": "3"},
        {"kps": 40},
        {"labs": {"hb_g_dl": 7.4}},
        {
            "index_levels": ["T1"],
            "pain": "mechanical",
            "lesion_type": "lytic",
            "collapse": "gt50",
            "posterolateral": "bilateral",
        },
    ],
)
def test_specialist_clearance_conditions(changes: dict[str, Any]) -> None:
    assert triage(findings(**changes)).summary.travel == "specialist_clearance_required"


def test_haemoglobin_7_5_is_fit_for_standard_precautions() -> None:
    assert triage(findings(labs={"hb_g_dl": 7.5})).summary.travel == "standard_precautions"


# --- Eligibility --------------------------------------------------------------


def test_cebrt_needs_a_symptom_or_epidural_disease_and_no_prior_rt() -> None:
    assert "cebrt" in eligible(findings())
    assert "cebrt" not in eligible(findings(pain="none"))
    assert "cebrt" in eligible(findings(pain="none", escc="1a"))
    assert "cebrt" not in eligible(findings(prior_rt_same_site=True))


def test_cebrt_with_unknown_prior_rt_is_listed_and_asks_for_it() -> None:
    report = triage(without("prior_rt_same_site"))
    assert "cebrt" in report.summary.eligible
    assert "prior_rt_same_site" in report.eligibility["cebrt"].needs


def test_sbrt_contiguous_run_limit_of_three() -> None:
    assert "sbrt" in eligible(findings(levels=["T6", "T7", "T8"], n_vertebral_mets=3))
    run_of_four = findings(levels=["T6", "T7", "T8", "T9"], n_vertebral_mets=4)
    assert "sbrt" not in eligible(run_of_four)
    assert triage(run_of_four).eligibility["sbrt"].criteria[-1] == ("contiguous_levels_le_3", False)


@pytest.mark.parametrize(
    "changes",
    [
        {"kps": 40},
        {"escc": "2"},
        {"frankel": "D"},
        {"red_flags": ["limb_weakness"]},
        {
            "index_levels": ["T1"],
            "pain": "mechanical",
            "lesion_type": "lytic",
            "collapse": "gt50",
            "posterolateral": "bilateral",
            "levels": ["T1"],
        },
    ],
)
def test_sbrt_exclusions(changes: dict[str, Any]) -> None:
    assert "sbrt" not in eligible(findings(**changes))


def test_sbrt_with_ecog_2_is_allowed_and_ecog_3_is_not() -> None:
    assert "sbrt" in eligible(without("kps", ecog=2))
    assert "sbrt" not in eligible(without("kps", ecog=3))


def test_surgical_decompression_rules() -> None:
    assert "surgical_decompression" in eligible(findings(escc="2"))
    assert "surgical_decompression" not in eligible(findings(escc="2", primary="myeloma"))
    assert "surgical_decompression" not in eligible(findings(escc="1c"))


def test_vertebral_augmentation_rules() -> None:
    base = {"pain": "mechanical", "collapse": "lt50"}
    assert "vertebral_augmentation" in eligible(findings(**base))
    assert "vertebral_augmentation" not in eligible(findings(**base, alignment="subluxation"))
    assert "vertebral_augmentation" not in eligible(findings(**base, escc="1c"))
    assert "vertebral_augmentation" not in eligible(findings(**base, infection_at_site=True))
    assert "vertebral_augmentation" not in eligible(findings(pain="mechanical"))


def test_unknown_safety_booleans_make_augmentation_provisional() -> None:
    report = triage(without("infection_at_site", pain="mechanical", collapse="lt50"))
    result = report.eligibility["vertebral_augmentation"]
    assert (result.value, result.band, result.needs) == (
        True,
        "provisional",
        ("infection_at_site",),
    )


def test_preop_embolization_needs_a_hypervascular_primary_and_an_operation() -> None:
    assert "preop_embolization" in eligible(findings(primary="kidney", escc="3", frankel="D"))
    assert "preop_embolization" not in eligible(findings(primary="kidney"))
    assert "preop_embolization" not in eligible(findings(escc="3", frankel="D"))


RADIUM = {
    "primary": "prostate",
    "sex": "M",
    "castration_resistant": True,
    "mcrpc_lines": 2,
    "n_vertebral_mets": 1,
    "extraspinal_bone_mets": 1,
    "labs": {"anc_10e9_l": 1.5, "platelets_10e9_l": 100.0, "hb_g_dl": 10.0},
}


def test_radium_223_eu_rule() -> None:
    assert "ra223" in eligible(findings(**RADIUM))


@pytest.mark.parametrize(
    "changes",
    [
        {"mcrpc_lines": 1},
        {"castration_resistant": False},
        {"visceral_mets": "removable"},
        {"current_therapies": ["abiraterone"]},
        {"pain": "none"},
        {"extraspinal_bone_mets": 0},
        {"labs": {"hb_g_dl": 9.9}},
        {"sex": "F"},
    ],
)
def test_radium_223_exclusions(changes: dict[str, Any]) -> None:
    assert "ra223" not in eligible(findings(**(RADIUM | changes)))


def test_radium_223_ineligible_for_other_systemic_therapy_replaces_prior_lines() -> None:
    data = findings(**(RADIUM | {"mcrpc_lines": 0, "ineligible_other_systemic": True}))
    assert "ra223" in eligible(data)


def test_radium_223_unknown_castration_status_blocks_and_is_needed() -> None:
    report = triage(without("castration_resistant", **RADIUM))
    assert report.eligibility["ra223"].band == "undetermined"
    assert "castration_resistant" in report.eligibility["ra223"].needs


def test_radium_223_us_label_drops_the_prior_lines_requirement() -> None:
    data = findings(**(RADIUM | {"mcrpc_lines": 0}))
    assert "ra223" not in triage(data).summary.eligible
    assert "ra223" in triage(data, ra223_label="us").summary.eligible


def test_radium_223_without_labs_is_provisional() -> None:
    result = triage(without("labs", **RADIUM)).eligibility["ra223"]
    assert result.band == "provisional"
    assert "labs.anc_10e9_l" in result.needs


PSMA = {
    "primary": "prostate",
    "sex": "M",
    "castration_resistant": True,
    "psma_pet_positive": True,
    "psma_negative_lesions": False,
    "prior_therapies": ["enzalutamide", "docetaxel"],
    "labs": {"anc_10e9_l": 1.5, "platelets_10e9_l": 100.0, "hb_g_dl": 9.0, "crcl_ml_min": 50.0},
}


def test_lu177_psma_rule_and_visceral_disease_does_not_exclude() -> None:
    assert "lu177_psma" in eligible(findings(**PSMA, visceral_mets="unremovable"))


@pytest.mark.parametrize(
    "changes",
    [
        {"psma_negative_lesions": True},
        {"psma_pet_positive": False},
        {"prior_therapies": ["docetaxel"]},
        {"prior_therapies": ["enzalutamide"]},
        {"kps": 40},
        {"labs": {"crcl_ml_min": 49.0}},
    ],
)
def test_lu177_psma_exclusions(changes: dict[str, Any]) -> None:
    assert "lu177_psma" not in eligible(findings(**(PSMA | changes)))


def test_lu177_psma_accepts_taxane_deferral_and_current_arpi() -> None:
    data = PSMA | {
        "prior_therapies": [],
        "current_therapies": ["darolutamide"],
        "taxane_deferral_appropriate": True,
    }
    assert "lu177_psma" in eligible(findings(**data))


DOTATATE = {
    "primary": "neuroendocrine",
    "net_site": "gep",
    "sstr_positive": True,
    "age": 12,
    "kps": 60,
    "labs": {"hb_g_dl": 8.0, "platelets_10e9_l": 75.0, "crcl_ml_min": 50.0},
}


def test_lu177_dotatate_rule_at_its_thresholds() -> None:
    assert "lu177_dotatate" in eligible(findings(**DOTATATE))


@pytest.mark.parametrize(
    "changes",
    [
        {"net_site": "lung"},
        {"sstr_positive": False},
        {"age": 11},
        {"kps": 50},
        {"primary": "pancreas", "net_differentiation": "poor"},
        {"labs": {"hb_g_dl": 7.9}},
    ],
)
def test_lu177_dotatate_exclusions(changes: dict[str, Any]) -> None:
    assert "lu177_dotatate" not in eligible(findings(**(DOTATATE | changes)))


@pytest.mark.parametrize(
    ("changes", "listed"),
    [
        ({"primary": "breast"}, True),
        ({"primary": "myeloma"}, True),
        ({"primary": "unknown"}, True),
        ({"primary": "germ_cell"}, True),
        ({"primary": "lymphoma"}, False),
        ({"primary": "leukaemia"}, False),
        ({"primary": "prostate", "castration_resistant": False}, False),
        ({"primary": "prostate", "castration_resistant": True}, True),
        ({"primary": "prostate"}, False),
        ({"dental_extraction_pending": True}, False),
        ({"hypocalcaemia_uncorrected": True}, False),
    ],
)
def test_bone_targeted_agent_rule(changes: dict[str, Any], listed: bool) -> None:
    assert ("bone_targeted_agent" in eligible(findings(**changes))) is listed


def test_kps_40_gate_leaves_only_cebrt() -> None:
    data = findings(kps=40, pain="mechanical", collapse="lt50", **{k: v for k, v in RADIUM.items()})
    assert eligible(data) == ["cebrt"]


def test_eligible_list_is_sorted() -> None:
    listed = eligible(findings(pain="mechanical", collapse="lt50"))
    assert listed == sorted(listed) and len(listed) >= 3
