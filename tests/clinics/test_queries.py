"""The directory is read for matching in a fixed number of queries, and prepared again only
when it changes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from oncoroute.clinics.models import Accreditation, Clinic, Offering
from oncoroute.clinics.selectors import directory_for_matching, prepared_directory
from oncoroute.matching import PreparedDirectory
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


def test_the_prepared_directory_is_reused_until_the_directory_or_the_day_changes() -> None:
    _add_clinics(0, 3)
    first = prepared_directory(today=b.TODAY)
    with count_queries() as again:
        assert prepared_directory(today=b.TODAY) is first
    assert again.count == 1  # the revision token
    assert prepared_directory(today=b.TODAY + timedelta(days=1)) is not first


def _wait(directory: PreparedDirectory, clinic_id: str, service: str) -> int | None:
    clinic = next(c for c in directory.clinics if c.id == clinic_id)
    return next(o.waiting_days for o in clinic.offerings if o.service == service)


def test_a_saved_or_deleted_offering_or_accreditation_prepares_it_again() -> None:
    _add_clinics(0, 2)
    before = prepared_directory(today=b.TODAY)
    offering = Offering.objects.get(clinic__slug="clinic-0", service="sbrt")
    offering.waiting_days = 40
    offering.save()

    after_edit = prepared_directory(today=b.TODAY)
    Accreditation.objects.filter(clinic__slug="clinic-1").delete()
    after_delete = prepared_directory(today=b.TODAY)
    Clinic.objects.get(slug="clinic-1").offerings.all().delete()
    after_bulk_delete = prepared_directory(today=b.TODAY)
    clinic_0 = Clinic.objects.get(slug="clinic-0")
    clinic_0.published = False
    clinic_0.save()
    after_unpublishing = prepared_directory(today=b.TODAY)

    assert _wait(before, "clinic-0", "sbrt") != 40
    assert _wait(after_edit, "clinic-0", "sbrt") == 40
    clinic_1 = next(c for c in after_delete.clinics if c.id == "clinic-1")
    assert clinic_1.accreditations == ()
    assert next(c for c in after_bulk_delete.clinics if c.id == "clinic-1").offerings == ()
    assert [c.id for c in after_unpublishing.clinics] == ["clinic-1"]
