"""The intake's words are pinned to the clinical core's codes: a warning sign that no red flag
matched would never raise the emergency."""

from __future__ import annotations

import pytest

from oncoroute.cases.vocabulary import (
    CORD_COMPRESSION_SIGNS,
    PRIMARY_FOR_TRIAGE,
    PRIMARY_NOT_PREFILLED,
    PRIMARY_SUBTYPES,
    QUEUE_PRIORITY_LABELS,
    SPINAL_PAIN_SIGNS,
    PrimaryCancer,
    Urgency,
    queue_rank,
    urgency_from_symptoms,
)
from oncoroute.clinical import (
    MSCC_NEURO_RED_FLAGS,
    MSCC_PAIN_RED_FLAGS,
    PRIMARIES,
    SINS_BANDS,
    TRAVEL_ADVICE,
    TRIAGE_LEVELS,
)
from oncoroute.clinical.labels import SINS_BAND_LABELS, TRAVEL_LABELS, TRIAGE_LEVEL_LABELS


@pytest.mark.parametrize("sign", CORD_COMPRESSION_SIGNS)
def test_every_intake_warning_sign_is_a_neurological_red_flag(sign: str) -> None:
    assert sign in MSCC_NEURO_RED_FLAGS
    assert urgency_from_symptoms([sign]) == Urgency.EMERGENCY


@pytest.mark.parametrize("sign", SPINAL_PAIN_SIGNS)
def test_every_intake_pain_sign_is_a_pain_red_flag(sign: str) -> None:
    assert sign in MSCC_PAIN_RED_FLAGS
    assert urgency_from_symptoms([sign]) == Urgency.URGENT


def test_the_urgency_codes_are_the_cores_triage_levels() -> None:
    assert set(Urgency.values) == set(TRIAGE_LEVELS)


def test_each_label_table_covers_exactly_its_codes() -> None:
    assert set(TRIAGE_LEVEL_LABELS) == set(TRIAGE_LEVELS)
    assert set(SINS_BAND_LABELS) == set(SINS_BANDS)
    assert set(TRAVEL_LABELS) == set(TRAVEL_ADVICE)


@pytest.mark.parametrize("code", PrimaryCancer.values)
def test_every_intake_primary_maps_to_the_core_or_is_left_to_the_coordinator(code: str) -> None:
    if code in PRIMARY_NOT_PREFILLED:
        assert code not in PRIMARY_FOR_TRIAGE
    else:
        assert PRIMARY_FOR_TRIAGE[code] in PRIMARIES


def test_lung_offers_the_cores_subtypes() -> None:
    assert PRIMARY_SUBTYPES["lung"] == ("lung_nsclc", "lung_sclc")
    assert set(PRIMARY_SUBTYPES["lung"]) <= set(PRIMARIES)


def test_each_queue_rank_has_its_label() -> None:
    ranks = {
        queue_rank(urgency=urgency, sins_band=band)
        for urgency in Urgency.values
        for band in ("", *SINS_BANDS)
    }
    assert ranks == set(range(len(QUEUE_PRIORITY_LABELS)))
