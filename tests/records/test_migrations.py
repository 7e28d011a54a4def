"""Rows stored before the records were sealed stay readable through the migration sealing them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from oncoroute.records.models import Document, Series, Study, Upload
from tests.migrations import migrate, migrate_to_latest, migrated_back, parents_in_app
from tests.privacy.conftest import raw_rows

SEALING = ("records", "0003_encrypt_names_and_study_fields")
TABLES = ("records_upload", "records_document", "records_study", "records_series")
PLAIN = ("IVANOV", "CT SPINE WITH CONTRAST", "AXIAL BONE", "2024-03-05", "TSPINE")


@pytest.fixture
def before_sealing() -> Iterator[Any]:
    with migrated_back(parents_in_app(SEALING)) as apps:
        yield apps


def _old_rows(apps: Any, case: Any) -> None:
    apps.get_model("records", "Upload").objects.create(
        case_id=case.pk,
        filename="IVANOV\u202efdp.zip",
        size=10,
        state="failed",
        error="The ZIP contains an absolute path (/IVANOV/IM1); it was refused.",
    )
    apps.get_model("records", "Document").objects.create(
        case_id=case.pk, kind="pdf", original_name="IVANOV\r\n.pdf", file="x", size=1, sha256="0"
    )
    study = apps.get_model("records", "Study").objects.create(
        case_id=case.pk,
        study_uid="1.2.3",
        study_date=date(2024, 3, 5),
        description="CT SPINE WITH CONTRAST",
        modalities="CT",
        body_parts="TSPINE",
    )
    apps.get_model("records", "Series").objects.create(
        study_id=study.pk,
        series_uid="1.2.3.4",
        modality="CT",
        body_part="TSPINE",
        description="AXIAL BONE 1",
        series_date=date(2024, 3, 5),
    )


@pytest.mark.django_db(transaction=True)
def test_rows_stored_before_sealing_are_sealed_and_read_back(
    before_sealing: Any, patient_case: Any
) -> None:
    _old_rows(before_sealing, patient_case)
    migrate([SEALING])
    stored = "\n".join(raw_rows(table) for table in TABLES)
    assert not [value for value in PLAIN if value in stored]
    migrate_to_latest()  # today's models read today's schema
    upload = Upload.objects.get()
    assert upload.filename == "IVANOVfdp.zip"
    assert upload.error.startswith("The ZIP contains an absolute path (/IVANOV/")
    assert Document.objects.get().original_name == "IVANOV.pdf"
    study = Study.objects.get()
    assert (study.study_date, study.description, study.modalities, study.body_parts) == (
        date(2024, 3, 5),
        "CT SPINE WITH CONTRAST",
        "CT",
        "TSPINE",
    )
    series = Series.objects.get()
    assert (series.series_date, series.description, series.modality, series.body_part) == (
        date(2024, 3, 5),
        "AXIAL BONE 1",
        "CT",
        "TSPINE",
    )


@pytest.mark.django_db(transaction=True)
def test_unapplying_the_sealing_gives_the_plain_values_back(
    before_sealing: Any, patient_case: Any
) -> None:
    _old_rows(before_sealing, patient_case)
    migrate([SEALING])
    apps = migrate(parents_in_app(SEALING))
    study = apps.get_model("records", "Study").objects.get()
    assert (study.study_date, study.description) == (date(2024, 3, 5), "CT SPINE WITH CONTRAST")
    assert apps.get_model("records", "Upload").objects.get().filename == "IVANOVfdp.zip"
