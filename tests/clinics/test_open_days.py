"""A clinic's open days for the trip planner: its working weekdays, its own closures and its
country's public holidays (from the `holidays` library, as pinned; dates checked against it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from oncoroute.accounts.roles import Role
from oncoroute.clinics.demo import clinics_demo_load
from oncoroute.clinics.models import Clinic, ClinicClosure
from oncoroute.clinics.selectors import ClinicOpenDays, clinic_open_days
from oncoroute.clinics.services import directory_export, directory_import
from tests.clinics import builders as b
from tests.factories import person
from tests.migrations import migrate, migrate_to_latest

pytestmark = pytest.mark.django_db

SOVEREIGNTY_DAY = date(2027, 4, 23)  # Friday; Turkey's National Sovereignty and Children's Day


@pytest.fixture
def istanbul(db: None) -> Clinic:
    return b.clinic("istanbul", country="TR")


# Working days ----------------------------------------------------------------------------------


def test_a_new_clinic_works_monday_to_friday(istanbul: Clinic) -> None:
    assert istanbul.working_days == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("working_days", "message"),
    [
        ([], "at least one working day"),
        ("0 1 2", "at least one working day"),
        ([0, 1, 1], "given twice"),
        ([0, 7], "from 0 (Monday) to 6 (Sunday)"),
        ([-1], "from 0 (Monday) to 6 (Sunday)"),
        (["0"], "from 0 (Monday) to 6 (Sunday)"),
        ([True], "from 0 (Monday) to 6 (Sunday)"),
    ],
)
def test_working_days_are_refused_unless_distinct_weekdays(
    istanbul: Clinic, working_days: Any, message: str
) -> None:
    istanbul.working_days = working_days
    with pytest.raises(ValidationError) as refused:
        istanbul.full_clean()
    assert list(refused.value.message_dict) == ["working_days"]
    assert message in refused.value.message_dict["working_days"][0]


def test_an_israeli_clinic_works_sunday_to_thursday(db: None) -> None:
    assuta = b.clinic("assuta", country="IL", working_days=[6, 0, 1, 2, 3])
    assuta.full_clean()

    days = clinic_open_days(assuta, start=date(2027, 1, 1), end=date(2027, 1, 31))

    assert days.working_days == (0, 1, 2, 3, 6)  # sorted, whatever order they were stored in


def test_the_demo_gives_israel_sunday_to_thursday_and_the_others_monday_to_friday(
    db: None,
) -> None:
    clinics_demo_load(date(2026, 6, 1))

    weeks = dict(Clinic.objects.values_list("country", "working_days").distinct())
    assert weeks == {
        "IL": [6, 0, 1, 2, 3],
        "TR": [0, 1, 2, 3, 4],
        "ES": [0, 1, 2, 3, 4],
        "KR": [0, 1, 2, 3, 4],
    }


def test_working_days_go_out_and_back_in_through_a_csv_file(db: None) -> None:
    b.clinic("assuta", country="IL", working_days=[6, 0, 1, 2, 3])
    exported = directory_export(format="csv")
    assert "6 0 1 2 3" in exported
    Clinic.objects.all().delete()

    report = directory_import(path_or_text=exported, format="csv")

    assert report.ok, report.problems
    assert Clinic.objects.get().working_days == [6, 0, 1, 2, 3]


def test_an_import_refuses_working_days_outside_the_week(db: None) -> None:
    exported = b.clinic("assuta", country="IL")
    text = directory_export(format="csv").replace("0 1 2 3 4", "0 1 2 3 8")
    exported.delete()

    report = directory_import(path_or_text=text, format="csv")

    assert not report.ok
    assert [p.field for p in report.problems] == ["working_days"]
    assert not Clinic.objects.exists()


# Closed dates ----------------------------------------------------------------------------------


def test_a_turkish_clinic_is_closed_on_turkish_public_holidays(istanbul: Clinic) -> None:
    days = clinic_open_days(istanbul, start=date(2027, 4, 1), end=date(2027, 5, 31))

    assert days.closed_dates == (
        SOVEREIGNTY_DAY,
        date(2027, 5, 1),
        date(2027, 5, 16),
        date(2027, 5, 17),
        date(2027, 5, 18),
        date(2027, 5, 19),
    )
    assert days.closed_reason(SOVEREIGNTY_DAY) == "National Sovereignty and Children's Day"
    assert days.closed_reason(date(2027, 5, 1)) == "Labor and Solidarity Day"
    assert days.closed_reason(date(2027, 4, 22)) is None


def test_the_range_includes_both_of_its_ends(istanbul: Clinic) -> None:
    assert clinic_open_days(istanbul, start=SOVEREIGNTY_DAY, end=SOVEREIGNTY_DAY).closed_dates == (
        SOVEREIGNTY_DAY,
    )
    assert clinic_open_days(istanbul, start=date(2027, 4, 24), end=date(2027, 4, 30)) == (
        ClinicOpenDays(working_days=(0, 1, 2, 3, 4), closed_dates=())
    )
    # Across a new year: each year's holidays, and only those in the range.
    new_year = clinic_open_days(istanbul, start=date(2026, 10, 29), end=date(2027, 1, 1))
    assert new_year.closed_dates == (date(2026, 10, 29), date(2027, 1, 1))


def test_a_closure_is_closed_with_its_reason(istanbul: Clinic) -> None:
    ClinicClosure.objects.create(clinic=istanbul, date=date(2027, 4, 26), reason="Staff training")
    ClinicClosure.objects.create(clinic=istanbul, date=SOVEREIGNTY_DAY, reason="Linac service")
    elsewhere = b.clinic("elsewhere", country="TR")
    ClinicClosure.objects.create(clinic=elsewhere, date=date(2027, 4, 27), reason="Not ours")

    days = clinic_open_days(istanbul, start=date(2027, 4, 20), end=date(2027, 4, 30))

    assert days.closed_dates == (SOVEREIGNTY_DAY, date(2027, 4, 26))
    assert days.closed_reason(date(2027, 4, 26)) == "Staff training"
    assert days.closed_reason(SOVEREIGNTY_DAY) == (
        "National Sovereignty and Children's Day; Linac service"
    )


def test_a_closure_outside_the_range_is_left_out(istanbul: Clinic) -> None:
    ClinicClosure.objects.create(clinic=istanbul, date=date(2027, 3, 31), reason="Staff day")

    days = clinic_open_days(istanbul, start=date(2027, 4, 1), end=date(2027, 4, 22))

    assert days.closed_dates == ()
    assert days.closed_reason(date(2027, 3, 31)) is None


def test_a_clinic_has_one_closure_a_day(istanbul: Clinic) -> None:
    ClinicClosure.objects.create(clinic=istanbul, date=date(2027, 4, 26), reason="Staff day")
    with pytest.raises(IntegrityError):
        ClinicClosure.objects.create(clinic=istanbul, date=date(2027, 4, 26), reason="Again")


def test_holiday_names_are_in_english_when_the_library_lacks_the_language(
    istanbul: Clinic,
) -> None:
    with translation.override("ru"):
        days = clinic_open_days(istanbul, start=SOVEREIGNTY_DAY, end=SOVEREIGNTY_DAY)
    assert days.closed_reason(SOVEREIGNTY_DAY) == "National Sovereignty and Children's Day"


def test_israeli_holidays_come_from_israels_calendar(db: None) -> None:
    assuta = b.clinic("assuta", country="IL", working_days=[6, 0, 1, 2, 3])

    days = clinic_open_days(assuta, start=date(2027, 5, 1), end=date(2027, 5, 31))

    assert days.closed_dates == (date(2027, 5, 12),)
    assert days.closed_reason(date(2027, 5, 12)) == "Independence Day"


def test_the_selector_reads_the_closures_in_one_query(
    istanbul: Clinic, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        clinic_open_days(istanbul, start=date(2027, 1, 1), end=date(2028, 12, 31))


# Admin -----------------------------------------------------------------------------------------


def test_the_admin_takes_working_days_as_weekday_boxes(db: None) -> None:
    clinic_admin = admin.site._registry[Clinic]
    boxes = clinic_admin.formfield_for_dbfield(
        Clinic._meta.get_field("working_days"), RequestFactory().get("/")
    )
    assert boxes is not None

    assert boxes.clean(["6", "0", "1", "2", "3"]) == [6, 0, 1, 2, 3]
    with pytest.raises(ValidationError):
        boxes.clean([])
    with pytest.raises(ValidationError):
        boxes.clean(["7"])


def test_the_clinic_admin_page_has_the_weekdays_and_the_closures(istanbul: Clinic) -> None:
    operator = person(Role.ADMIN, "admin@oncoroute.example", first_name="Ada")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client = Client()
    client.force_login(operator)
    ClinicClosure.objects.create(clinic=istanbul, date=date(2027, 4, 26), reason="Staff training")

    page = client.get(reverse("admin:clinics_clinic_change", args=[istanbul.pk])).content.decode()

    assert 'type="checkbox" name="working_days" value="6"' in page
    assert "Sunday" in page
    assert 'name="closures-TOTAL_FORMS"' in page
    assert "Staff training" in page


# Migration -------------------------------------------------------------------------------------


@pytest.fixture
def at_directory_revision() -> Iterator[Any]:
    """The database just before working days existed; at the latest migrations afterwards."""
    try:
        yield migrate([("clinics", "0002_directory_revision")])
    finally:
        migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_israeli_clinics_sunday_to_thursday(at_directory_revision: Any) -> None:
    old = at_directory_revision.get_model("clinics", "Clinic")
    for slug, country in (("assuta", "IL"), ("koc", "TR")):
        old.objects.create(
            slug=slug, name=slug, country=country, city="x", time_zone="UTC", languages=[]
        )

    migrate_to_latest()

    weeks = dict(Clinic.objects.values_list("slug", "working_days"))
    assert weeks == {"assuta": [6, 0, 1, 2, 3], "koc": [0, 1, 2, 3, 4]}
