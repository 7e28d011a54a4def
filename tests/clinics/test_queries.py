"""The directory is read for matching in a fixed number of queries."""

from __future__ import annotations

import pytest

from oncoroute.clinics.selectors import directory_for_matching
from tests.clinics import builders as b
from tests.query_count import count_queries

pytestmark = pytest.mark.django_db


def _add_clinics(start: int, count: int) -> None:
    for n in range(start, start + count):
        clinic = b.clinic(f"clinic-{n}")
        b.credential(clinic, "Licence", kind="authorisation")
        b.offering(clinic, "sbrt", 1_000 + n)
        b.offering(clinic, "mri", None)


def test_the_number_of_queries_does_not_grow_with_clinics() -> None:
    _add_clinics(0, 2)
    with count_queries() as few:
        assert len(directory_for_matching(today=b.TODAY)) == 2
    _add_clinics(2, 20)
    with count_queries() as many:
        clinics = directory_for_matching(today=b.TODAY)
    assert len(clinics) == 22
    assert many.count == few.count == 3
    assert {o.service for o in clinics[0].offerings} == {"sbrt", "mri"}
