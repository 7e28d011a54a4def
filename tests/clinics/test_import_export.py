"""Directory import (all or nothing, problems by line and field) and export round trips."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from oncoroute.clinics.demo import demo_directory
from oncoroute.clinics.models import Clinic, Doctor, Offering
from oncoroute.clinics.services import directory_export, directory_import

pytestmark = pytest.mark.django_db

GOOD_YAML = """\
format: oncoroute-directory-1
clinics:
  - slug: harbour
    name: Harbour Hospital
    country: TR
    city: Izmir
    time_zone: Europe/Istanbul
    languages: [tr, en]
    commercial_relationship: None
    accreditations:
      - name: JCI
        verified_by: Registry desk
        register: JCI list
        verified_on: 2025-01-10
        expires_on: 2028-01-09
    departments: [Spine surgery]
    doctors:
      - name: Dr A. Example
        specialty: Spine surgeon
        department: Spine surgery
        languages: [tr]
    offerings:
      - service: sbrt
        detail: CyberKnife
        price_min: 9000
        price_max: 12000
        currency: USD
        waiting_days: 7
      - service: mri
        waiting_days: 2
"""

CSV_HEADER = (
    "record,clinic,name,country,city,time_zone,languages,commercial_relationship,"
    "service,detail,price_min,price_max,currency,waiting_days"
)


def test_a_good_yaml_file_imports_every_record() -> None:
    report = directory_import(path_or_text=GOOD_YAML, format="yaml")

    assert report.ok, report.problems
    assert report.created == ["harbour"]
    assert report.records == {"department": 1, "doctor": 1, "offering": 2, "accreditation": 1}
    doctor = Doctor.objects.get()
    assert doctor.department is not None and doctor.department.name == "Spine surgery"
    mri = Offering.objects.get(service="mri")
    assert (mri.price_min, mri.currency, mri.waiting_days) == (None, "", 2)


def test_a_bad_csv_row_is_reported_by_line_and_field_and_nothing_is_imported() -> None:
    text = "\n".join(
        [
            CSV_HEADER,
            "clinic,harbour,Harbour Hospital,TR,Izmir,Europe/Istanbul,tr en,None,,,,,,",
            "offering,harbour,,,,,,,sbrt,CyberKnife,9000,12000,USD,7",
            "offering,harbour,,,,,,,mri,,cheap,900,EUR,2",
        ]
    )
    report = directory_import(path_or_text=text, format="csv")

    assert [(p.line, p.field) for p in report.problems] == [(4, "price_min")]
    assert Clinic.objects.count() == 0
    assert Offering.objects.count() == 0


def test_a_bad_yaml_value_is_reported_at_its_own_line() -> None:
    text = GOOD_YAML.replace("expires_on: 2028-01-09", "expires_on: 2024-01-09").replace(
        "service: mri", "service: xray"
    )
    report = directory_import(path_or_text=text, format="yaml")

    assert [(p.line, p.field) for p in report.problems] == [(15, "expires_on"), (29, "service")]
    assert Clinic.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "line", "field"),
    [
        (("country: TR", "country: Turkey"), 5, "country"),
        (("time_zone: Europe/Istanbul", "time_zone: Mars/Olympus"), 7, "time_zone"),
        (("languages: [tr, en]", "languages: [turkish]"), 8, "languages"),
        (("detail: CyberKnife", "detail: ''"), 24, "detail"),
        (("price_max: 12000", "price_max: 100"), 26, "price_max"),
        (("department: Spine surgery", "department: Cardiology"), 20, "department"),
        (("        waiting_days: 2", "        waiting_days: 2\n        colour: red"), 31, "colour"),
    ],
)
def test_each_kind_of_bad_value_names_its_field(
    change: tuple[str, str], line: int, field: str
) -> None:
    report = directory_import(path_or_text=GOOD_YAML.replace(*change), format="yaml")
    assert [(p.line, p.field) for p in report.problems] == [(line, field)]
    assert Clinic.objects.count() == 0


def test_a_second_import_updates_the_clinic_and_replaces_what_is_under_it() -> None:
    directory_import(path_or_text=GOOD_YAML, format="yaml")
    changed = GOOD_YAML.replace("name: Harbour Hospital", "name: Harbour Hospital Izmir")
    changed = changed.replace("      - service: mri\n        waiting_days: 2\n", "")

    report = directory_import(path_or_text=changed, format="yaml")

    assert (report.created, report.updated) == ([], ["harbour"])
    assert Clinic.objects.get().name == "Harbour Hospital Izmir"
    assert list(Offering.objects.values_list("service", flat=True)) == ["sbrt"]


@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_the_directory_round_trips_through_export_and_import(fmt: str) -> None:
    import yaml

    seed = yaml.safe_dump(demo_directory(date(2026, 6, 1)), allow_unicode=True)
    assert directory_import(path_or_text=seed, format="yaml").ok
    exported = directory_export(format=fmt)

    Clinic.objects.all().delete()
    report = directory_import(path_or_text=exported, format=fmt)

    assert report.ok, report.problems
    assert len(report.created) == 6
    assert directory_export(format=fmt) == exported


def test_the_commands_import_a_file_and_refuse_a_bad_one(tmp_path: Path) -> None:
    good = tmp_path / "directory.yaml"
    good.write_text(GOOD_YAML)
    call_command("directory_import", str(good))
    assert Clinic.objects.filter(slug="harbour").exists()

    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD_YAML.replace("slug: harbour", "slug: quay").replace("TR", "XX"))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("directory_import", str(bad))
    assert not Clinic.objects.filter(slug="quay").exists()

    out = tmp_path / "out.csv"
    call_command("directory_export", "--format", "csv", "--output", str(out))
    assert out.read_text().splitlines()[1].startswith("clinic,harbour,Harbour Hospital,TR")
