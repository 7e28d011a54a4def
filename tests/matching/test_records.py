"""A result's records are built when read: they must behave like the tuple they stand for."""

from __future__ import annotations

import pytest

from oncoroute.matching import Need, Preferences, Records, rank_clinics

from .builders import RATES, TODAY, clinic, offer

NEED = Need(required=(frozenset({"sbrt"}),))
CLINICS = [
    clinic("slow", offer("sbrt", wait=30)),
    clinic("fast", offer("sbrt", wait=1)),
    clinic("middle", offer("sbrt", wait=10)),
    clinic("none", offer("mri")),
]


def test_records_read_like_the_tuple_of_their_items() -> None:
    result = rank_clinics(NEED, Preferences(), CLINICS, rates=RATES, today=TODAY)
    ranked = result.ranked
    everything = tuple(ranked)

    assert isinstance(ranked, Records)
    assert len(ranked) == 3
    assert [r.clinic_id for r in everything] == ["fast", "middle", "slow"]
    assert ranked[0] == everything[0]
    assert ranked[-1] == everything[-1] == ranked[2]
    assert ranked[1:] == everything[1:]
    assert ranked[::-1] == everything[::-1]
    assert ranked == everything
    assert ranked != everything[:2]
    assert everything[1] in ranked
    assert ranked.index(everything[2]) == 2
    assert [e.clinic_id for e in result.excluded] == ["none"]
    with pytest.raises(IndexError):
        ranked[3]
    with pytest.raises(IndexError):
        ranked[-4]
    with pytest.raises(TypeError):
        hash(ranked)


def test_each_read_builds_an_equal_record_and_materialized_builds_them_all() -> None:
    result = rank_clinics(NEED, Preferences(), CLINICS, rates=RATES, today=TODAY)

    first, again = result.ranked[0], result.ranked[0]
    whole = result.materialized()

    assert first == again
    assert first is not again
    assert isinstance(whole.ranked, tuple)
    assert isinstance(whole.excluded, tuple)
    assert whole == result
    assert "fast" in repr(result.ranked)
