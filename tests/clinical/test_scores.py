"""Every point value and band boundary of the scores (SPEC §1–§6.3)."""

from __future__ import annotations

from typing import Any

import pytest

from oncoroute.clinical import LEVELS, PRIMARIES, frankel_from_asia, triage
from oncoroute.clinical.bauer import modified_bauer_result
from oncoroute.clinical.nesms import nesms_result
from oncoroute.clinical.performance import ecog_from_kps, kps_range
from oncoroute.clinical.sins import LesionInput, location_points, sins_result
from oncoroute.clinical.tokuhashi import (
    PRIMARY_POINTS,
    extraspinal_points,
    kps_points,
    vertebral_points,
)
from oncoroute.clinical.tomita import bone_points_range, growth_of, tomita_result

from .builders import findings, without

# --- SINS (Fisher 2010) -------------------------------------------------------

LOCATION_TABLE = {
    3: ["OCC", "C1", "C2", "C7", "T1", "T2", "T11", "T12", "L1", "L5", "S1"],
    2: ["C3", "C4", "C5", "C6", "L2", "L3", "L4"],
    1: ["T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10"],
    0: ["S2", "S3", "S4", "S5"],
}


def lesion(**fields: Any) -> LesionInput:
    values: dict[str, Any] = {"levels": ["T7"], "pain": "none", "lesion_type": "blastic"}
    values |= {"alignment": "normal", "collapse": "none", "posterolateral": "none"}
    values |= fields
    return LesionInput(**values)


@pytest.mark.parametrize(
    ("level", "points"),
    [(level, points) for points, levels in LOCATION_TABLE.items() for level in levels],
)
def test_sins_location_of_every_level(level: str, points: int) -> None:
    assert location_points([level]) == points


def test_sins_location_table_covers_every_level_once() -> None:
    listed = [level for levels in LOCATION_TABLE.values() for level in levels]
    assert sorted(listed, key=LEVELS.index) == list(LEVELS)


@pytest.mark.parametrize(
    ("levels", "points"),
    [
        (["T10", "T11"], 3),
        (["T2", "T3"], 3),
        (["L5", "S1"], 3),
        (["S1", "S2"], 3),
        (["T9", "T10"], 1),
        (["C6", "C7"], 3),
        (["L4", "L5"], 3),
        (["S2", "S3"], 0),
    ],
)
def test_a_lesion_spanning_regions_takes_the_highest_location(
    levels: list[str], points: int
) -> None:
    assert location_points(levels) == points


@pytest.mark.parametrize(
    ("field", "value", "points"),
    [
        ("pain", "mechanical", 3),
        ("pain", "occasional_nonmechanical", 1),
        ("pain", "none", 0),
        ("lesion_type", "lytic", 2),
        ("lesion_type", "mixed", 1),
        ("lesion_type", "blastic", 0),
        ("alignment", "subluxation", 4),
        ("alignment", "deformity", 2),
        ("alignment", "normal", 0),
        ("collapse", "gt50", 3),
        ("collapse", "lt50", 2),
        ("collapse", "none_gt50_involved", 1),
        ("collapse", "none", 0),
        ("posterolateral", "bilateral", 3),
        ("posterolateral", "unilateral", 1),
        ("posterolateral", "none", 0),
    ],
)
def test_sins_component_points(field: str, value: str, points: int) -> None:
    baseline = 1  # T7 semi-rigid, every other component 0
    assert sins_result(lesion(**{field: value})).value == baseline + points


@pytest.mark.parametrize(
    ("total_fields", "total", "band"),
    [
        ({"levels": ["S3"]}, 0, "stable"),
        ({"levels": ["T1"], "pain": "mechanical"}, 6, "stable"),
        (
            {"levels": ["T1"], "pain": "mechanical", "posterolateral": "unilateral"},
            7,
            "potentially_unstable",
        ),
        (
            {
                "levels": ["T1"],
                "pain": "mechanical",
                "alignment": "deformity",
                "lesion_type": "lytic",
                "collapse": "none_gt50_involved",
                "posterolateral": "unilateral",
            },
            12,
            "potentially_unstable",
        ),
        (
            {
                "levels": ["T1"],
                "pain": "mechanical",
                "alignment": "deformity",
                "lesion_type": "lytic",
                "collapse": "lt50",
                "posterolateral": "unilateral",
            },
            13,
            "unstable",
        ),
        (
            {
                "levels": ["T1"],
                "pain": "mechanical",
                "alignment": "subluxation",
                "lesion_type": "lytic",
                "collapse": "gt50",
                "posterolateral": "bilateral",
            },
            18,
            "unstable",
        ),
    ],
)
def test_sins_band_boundaries(total_fields: dict[str, object], total: int, band: str) -> None:
    result = sins_result(lesion(**total_fields))
    assert (result.value, result.band) == (total, band)


def test_sins_with_unknown_components_crossing_a_band_is_a_range_with_needs() -> None:
    result = sins_result(lesion(pain=None, alignment=None))
    assert (result.value, result.range, result.band) == (None, (1, 8), None)
    assert result.needs == ("pain", "alignment")


def test_sins_range_inside_one_band_keeps_the_band() -> None:
    result = sins_result(lesion(alignment=None))  # 1..5
    assert (result.value, result.range, result.band) == (None, (1, 5), "stable")


def test_sins_without_any_lesion_information_spans_0_to_18() -> None:
    report = triage({})
    assert report.results["sins"].range == (0, 18)
    assert "index_levels" in report.results["sins"].needs


def test_several_lesions_take_the_worst_and_point_needs_at_the_list() -> None:
    report = triage(
        {
            "lesions": [
                {
                    "levels": ["T4"],
                    "pain": "none",
                    "lesion_type": "blastic",
                    "alignment": "normal",
                    "collapse": "none",
                    "posterolateral": "none",
                },
                {"levels": ["C7", "T1"], "pain": "mechanical", "lesion_type": "lytic"},
            ]
        }
    )
    assert report.results["sins"].range == (8, 18)
    assert "lesions[1].alignment" in report.results["sins"].needs
    assert [r.value for r in report.sins_lesions] == [1, None]


def test_the_first_of_equal_lesions_is_the_index_lesion() -> None:
    data = {
        "lesions": [
            {
                "levels": ["T5"],
                "pain": "none",
                "lesion_type": "lytic",
                "alignment": "normal",
                "collapse": "none",
                "posterolateral": "none",
            },
            {
                "levels": ["T6"],
                "pain": "mechanical",
                "lesion_type": "blastic",
                "alignment": "normal",
                "collapse": "none",
                "posterolateral": "none",
            },
            {
                "levels": ["T8"],
                "pain": "none",
                "lesion_type": "lytic",
                "alignment": "normal",
                "collapse": "none",
                "posterolateral": "none",
            },
        ]
    }
    report = triage(data)
    assert report.summary.sins == 4
    assert "index lesion 2" in report.results["sins"].name


# --- Revised Tokuhashi (Tokuhashi 2005) ---------------------------------------


@pytest.mark.parametrize(("kps", "points"), [(10, 0), (40, 0), (50, 1), (70, 1), (80, 2), (100, 2)])
def test_tokuhashi_general_condition(kps: int, points: int) -> None:
    assert kps_points(kps) == points


@pytest.mark.parametrize(("count", "points"), [(0, 2), (1, 1), (2, 1), (3, 0), (9, 0)])
def test_tokuhashi_extraspinal_bone_foci(count: int, points: int) -> None:
    assert extraspinal_points(count) == points


@pytest.mark.parametrize(("count", "points"), [(1, 2), (2, 1), (3, 0), (7, 0)])
def test_tokuhashi_vertebral_metastases(count: int, points: int) -> None:
    assert vertebral_points(count) == points


TOKUHASHI_PRIMARIES = {
    0: ["lung_nsclc", "lung_sclc", "osteosarcoma", "stomach", "bladder", "oesophagus", "pancreas"],
    1: ["liver", "gallbladder", "unknown"],
    2: [
        "colon",
        "melanoma",
        "sarcoma",
        "ovary",
        "myeloma",
        "lymphoma",
        "head_neck",
        "cervix",
        "germ_cell",
        "leukaemia",
        "other",
    ],
    3: ["kidney", "uterus"],
    4: ["rectum"],
    5: ["thyroid", "breast", "prostate", "neuroendocrine"],
}


@pytest.mark.parametrize(
    ("primary", "points"),
    [
        (primary, points)
        for points, primaries in TOKUHASHI_PRIMARIES.items()
        for primary in primaries
    ],
)
def test_tokuhashi_primary_site(primary: str, points: int) -> None:
    assert PRIMARY_POINTS[primary] == points


def test_tokuhashi_primary_table_is_complete() -> None:
    assert set(PRIMARY_POINTS) == set(PRIMARIES)


@pytest.mark.parametrize(
    ("field", "value", "component", "points"),
    [
        ("visceral_mets", "unremovable", 3, 0),
        ("visceral_mets", "removable", 3, 1),
        ("visceral_mets", "none", 3, 2),
        ("frankel", "A", 5, 0),
        ("frankel", "B", 5, 0),
        ("frankel", "C", 5, 1),
        ("frankel", "D", 5, 1),
        ("frankel", "E", 5, 2),
    ],
)
def test_tokuhashi_visceral_and_palsy(field: str, value: str, component: int, points: int) -> None:
    result = triage(findings(**{field: value})).results["tokuhashi"]
    assert result.components[component].points == points


@pytest.mark.parametrize(
    ("kps", "primary", "total", "band"),
    [
        (40, "lung_nsclc", 8, "lt6m"),
        (50, "lung_nsclc", 9, "ge6m"),
        (50, "liver", 10, "ge6m"),
        (50, "colon", 11, "ge6m"),
        (80, "colon", 12, "ge12m"),
        (80, "breast", 15, "ge12m"),
    ],
)
def test_tokuhashi_band_boundaries(kps: int, primary: str, total: int, band: str) -> None:
    # base: extraspinal 0 (2) + one vertebra (2) + no visceral (2) + Frankel E (2)
    # = 8 + KPS + primary
    summary = triage(findings(kps=kps, primary=primary)).summary
    assert (summary.tokuhashi, summary.tokuhashi_band) == (total, band)


@pytest.mark.parametrize(
    ("ecog", "low", "high"), [(0, 2, 2), (1, 1, 2), (2, 1, 1), (3, 0, 0), (4, 0, 0)]
)
def test_tokuhashi_from_ecog_only(ecog: int, low: int, high: int) -> None:
    component = triage(without("kps", ecog=ecog)).results["tokuhashi"].components[0]
    assert (component.min, component.max) == (low, high)


def test_unknown_extraspinal_count_crossing_a_band_gives_no_total_and_no_band() -> None:
    # 8 (others) + colon 2 - extraspinal 2 → range 10..12 crosses 11|12
    summary = triage(without("extraspinal_bone_mets", primary="colon")).summary
    assert (summary.tokuhashi, summary.tokuhashi_range, summary.tokuhashi_band) == (
        None,
        (10, 12),
        None,
    )


def test_cervix_is_scored_as_others_and_flagged() -> None:
    report = triage(findings(primary="cervix"))
    assert report.results["tokuhashi"].components[4].points == 2
    assert "tokuhashi_primary_ambiguous" in report.flags


# --- Tomita (Tomita 2001) -----------------------------------------------------

TOMITA_GROWTH = {
    "slow": ["breast", "thyroid", "prostate", "neuroendocrine"],
    "moderate": [
        "kidney",
        "uterus",
        "melanoma",
        "sarcoma",
        "ovary",
        "myeloma",
        "lymphoma",
        "head_neck",
        "cervix",
        "germ_cell",
        "leukaemia",
        "other",
    ],
    "rapid": [
        "lung_nsclc",
        "lung_sclc",
        "liver",
        "stomach",
        "colon",
        "rectum",
        "unknown",
        "osteosarcoma",
        "bladder",
        "oesophagus",
        "pancreas",
        "gallbladder",
    ],
}
TOMITA_EXPLICIT = {
    "breast",
    "thyroid",
    "prostate",
    "kidney",
    "uterus",
    "lung_nsclc",
    "lung_sclc",
    "liver",
    "stomach",
    "colon",
    "rectum",
    "unknown",
}


@pytest.mark.parametrize(
    ("primary", "growth"),
    [(primary, growth) for growth, primaries in TOMITA_GROWTH.items() for primary in primaries],
)
def test_tomita_growth_of_every_primary(primary: str, growth: str) -> None:
    assert growth_of(primary) == (growth, primary not in TOMITA_EXPLICIT)


@pytest.mark.parametrize(
    ("vertebral", "extraspinal", "points"),
    [
        (1, 0, (1, 1)),
        (2, 0, (2, 2)),
        (1, 1, (2, 2)),
        (1, None, (1, 2)),
        (3, None, (2, 2)),
        (None, 2, (2, 2)),
        (None, 0, (1, 2)),
    ],
)
def test_tomita_bone_metastases(
    vertebral: int | None, extraspinal: int | None, points: tuple[int, int]
) -> None:
    assert bone_points_range(vertebral, extraspinal) == points


@pytest.mark.parametrize(
    ("primary", "visceral", "vertebral", "total", "band"),
    [
        ("breast", "none", 1, 2, "2-3"),
        ("breast", "none", 2, 3, "2-3"),
        ("kidney", "none", 2, 4, "4-5"),
        ("kidney", "removable", 1, 5, "4-5"),
        ("lung_nsclc", "none", 2, 6, "6-7"),
        ("lung_nsclc", "removable", 1, 7, "6-7"),
        ("lung_nsclc", "removable", 2, 8, "8-10"),
        ("lung_nsclc", "unremovable", 2, 10, "8-10"),
    ],
)
def test_tomita_totals_and_bands(
    primary: str, visceral: str, vertebral: int, total: int, band: str
) -> None:
    result = tomita_result(primary, visceral, vertebral, 0)
    assert (result.value, result.band) == (total, band)


def test_tomita_solitary_vertebra_with_unknown_extraspinal_is_none() -> None:
    result = tomita_result("breast", "none", 1, None)
    assert (result.value, result.range, result.needs) == (None, (2, 3), ("extraspinal_bone_mets",))


# --- Modified Bauer (Leithner 2008) and NESMS (Ghori 2015) --------------------


@pytest.mark.parametrize(
    ("primary", "net_site", "visceral", "vertebral", "extraspinal", "total"),
    [
        ("breast", None, "none", 1, 0, 4),
        ("kidney", None, "removable", 1, 0, 3),
        ("lung_nsclc", None, "none", 1, 0, 2),
        ("lung_sclc", None, "none", 2, 0, 1),
        ("neuroendocrine", "lung", "none", 1, 0, 2),
        ("neuroendocrine", "gep", "none", 1, 0, 3),
        ("unknown", None, "none", 1, 0, 3),
        ("colon", None, "unremovable", 3, 2, 1),
        ("lymphoma", None, "none", 2, 0, 3),
        ("myeloma", None, "none", 1, 0, 4),
    ],
)
def test_modified_bauer_items(
    primary: str, net_site: str | None, visceral: str, vertebral: int, extraspinal: int, total: int
) -> None:
    assert modified_bauer_result(primary, net_site, visceral, vertebral, extraspinal).value == total


def test_modified_bauer_of_a_neuroendocrine_tumour_of_unknown_site_is_a_range() -> None:
    result = modified_bauer_result("neuroendocrine", None, "none", 1, 0)
    assert (result.value, result.range, result.needs) == (None, (2, 3), ("net_site",))


@pytest.mark.parametrize(
    ("total", "band"), [(0, "0-1"), (1, "0-1"), (2, "2"), (3, "3-4"), (4, "3-4")]
)
def test_modified_bauer_bands(total: int, band: str) -> None:
    cases = {
        0: ("lung_nsclc", "removable", 2),
        1: ("colon", "removable", 2),
        2: ("colon", "none", 2),
        3: ("breast", "none", 2),
        4: ("breast", "none", 1),
    }
    primary, visceral, vertebral = cases[total]
    result = modified_bauer_result(primary, None, visceral, vertebral, 0)
    assert (result.value, result.band) == (total, band)


@pytest.mark.parametrize(
    ("bauer", "ambulatory", "albumin", "score"),
    [
        ((3, 3), True, 4.0, 3),
        ((3, 3), True, 3.4, 3),
        ((4, 4), False, 3.5, 3),
        ((4, 4), False, 3.4, 2),
        ((2, 2), True, 3.5, 2),
        ((2, 2), True, 3.4, 1),
        ((2, 2), False, 3.49, 0),
        ((0, 0), False, 2.0, 0),
        ((3, 4), True, None, 3),
        ((2, 3), True, 3.5, None),
    ],
)
def test_nesms_weights_cut_off_and_ceiling(
    bauer: tuple[int, int], ambulatory: bool, albumin: float | None, score: int | None
) -> None:
    assert nesms_result(bauer, (), ambulatory, albumin).value == score


def test_nesms_over_a_bauer_range_is_reported_when_min_equals_max() -> None:
    summary = triage(without("extraspinal_bone_mets")).summary
    assert (summary.modified_bauer, summary.nesms) == (None, 3)


# --- KPS ↔ ECOG (Oken 1982), Frankel and ASIA ---------------------------------


@pytest.mark.parametrize(
    ("kps", "ecog"),
    [
        (100, 0),
        (90, 0),
        (80, 1),
        (70, 1),
        (60, 2),
        (50, 2),
        (40, 3),
        (30, 3),
        (20, 4),
        (10, 4),
        (0, 5),
    ],
)
def test_ecog_row_of_each_kps(kps: int, ecog: int) -> None:
    assert ecog_from_kps(kps) == ecog


@pytest.mark.parametrize(
    ("ecog", "bounds"), [(0, (90, 100)), (1, (70, 80)), (2, (50, 60)), (3, (30, 40)), (4, (10, 20))]
)
def test_kps_range_of_each_ecog(ecog: int, bounds: tuple[int, int]) -> None:
    assert kps_range(None, ecog) == bounds


def test_kps_wins_over_ecog_and_unknown_is_the_full_range() -> None:
    assert kps_range(70, 1) == (70, 70)
    assert kps_range(None, None) == (10, 100)


@pytest.mark.parametrize("grade", ["A", "B", "C", "D", "E"])
def test_asia_grade_maps_to_the_same_frankel_letter(grade: str) -> None:
    assert frankel_from_asia(grade) == grade


def test_frankel_a_of_unknown_duration_needs_the_duration() -> None:
    report = triage(findings(frankel="A"))
    assert report.results["frankel"].needs == ("paralysis_hours",)


@pytest.mark.parametrize(
    ("escc", "group"),
    [
        ("0", "low_grade"),
        ("1a", "low_grade"),
        ("1b", "low_grade"),
        ("1c", "borderline"),
        ("2", "high_grade"),
        ("3", "high_grade"),
    ],
)
def test_escc_grade_groups(escc: str, group: str) -> None:
    result = triage(findings(escc=escc)).results["escc"]
    assert (result.value, result.band) == (escc, group)
    assert ("escc_borderline" in result.flags) == (escc == "1c")
