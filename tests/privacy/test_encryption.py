"""Health data is sealed at rest: in the database, in storage, through rotation and tampering."""

from __future__ import annotations

import base64
import io
import os
import secrets
from datetime import date
from pathlib import Path
from typing import Any

import pydicom
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from oncoroute.cases.models import Case
from oncoroute.privacy.crypto import DecryptionError
from oncoroute.privacy.keys import KeyUnavailable
from oncoroute.records import services
from oncoroute.records.models import Document, Study
from oncoroute.triage.models import TriageSnapshot
from oncoroute.triage.services import case_triage_record
from tests.privacy.conftest import CANARY, raw_rows
from tests.records.helpers import PDF, upload_bytes
from tests.records.studies import write_study, zip_folder

pytestmark = pytest.mark.django_db


def _new_master(kid: str) -> str:
    return f"{kid}:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}"


def test_health_fields_read_back_but_the_database_holds_only_tokens(canary_case: Case) -> None:
    case = Case.objects.get(pk=canary_case.pk)
    assert case.current_treatment == f"{CANARY} current"
    assert case.spine_regions == ["thoracic"]
    stored = raw_rows("cases_case")
    assert CANARY not in stored
    assert "thoracic" not in stored
    assert "v1:" in stored


@pytest.mark.django_db(transaction=True)
def test_the_sqlite_file_holds_no_canary(
    canary_case: Case, coordinator: Any, tmp_path: Path
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the raw-file check reads a SQLite file; PostgreSQL is checked by columns")
    case_triage_record(
        case=canary_case, actor=coordinator, findings={"primary": "breast", "age": 61}
    )
    copy = tmp_path / "copy.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy)])
    data = copy.read_bytes()
    assert b"Cana Ry" in data  # the check reads the real rows: names are not health data
    assert CANARY.encode() not in data


def test_triage_findings_and_notes_are_sealed(canary_case: Case, coordinator: Any) -> None:
    case_triage_record(case=canary_case, actor=coordinator, findings={"primary": "breast"})
    from oncoroute.cases.services import case_note_add

    case_note_add(case=canary_case, actor=coordinator, text=f"{CANARY} note")
    assert TriageSnapshot.objects.get().findings["primary"] == "breast"
    assert CANARY not in raw_rows("cases_caseevent")
    assert '"breast"' not in raw_rows("cases_triagesnapshot")


def files_holding(folder: Path, needle: bytes) -> list[Path]:
    """Every file under ``folder``, partial uploads included, whose bytes contain ``needle``."""
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_stored_files_are_encrypted_on_disk_and_decrypted_on_read(
    canary_case: Case, media_root: Path
) -> None:
    content = f"%PDF-1.4 {CANARY}".encode() * 1000
    name = default_storage.save(f"records/{canary_case.pk}/documents/a.pdf", ContentFile(content))
    assert files_holding(media_root, CANARY.encode()) == []
    assert default_storage.open(name).read() == content
    assert default_storage.size(name) == len(content)


def test_partial_uploads_are_encrypted_as_written(canary_case: Case, media_root: Path) -> None:
    content = f"%PDF-1.4 {CANARY}".encode() * 100_000
    upload = services.upload_start(
        case=canary_case, actor=canary_case.patient, filename="a.pdf", size=len(content)
    )
    for start in range(0, len(content), 700_000):
        part = content[start : start + 700_000]
        services.upload_chunk(upload=upload, start=start, stream=io.BytesIO(part), length=len(part))
        assert services.partial_path(upload).stat().st_size > len(part)
        assert files_holding(media_root, CANARY.encode()) == []
    services.upload_complete(upload=upload)
    assert default_storage.open(Document.objects.get().file).read() == content
    assert files_holding(media_root, CANARY.encode()) == []


def test_file_names_and_study_fields_are_sealed(
    canary_case: Case, media_root: Path, tmp_path: Path
) -> None:
    study = write_study(tmp_path / "study", n_slices=4)
    for path in study.files:
        ds = pydicom.dcmread(path)
        ds.BodyPartExamined = "TSPINE"
        ds.save_as(path)
    archive = zip_folder(tmp_path / "study" / "cd", tmp_path / "cd.zip").read_bytes()
    patient = canary_case.patient
    upload_bytes(case=canary_case, actor=patient, data=archive, filename=f"{CANARY}-cd.zip")
    upload_bytes(case=canary_case, actor=patient, data=PDF, filename=f"{CANARY} report.pdf")
    indexed = Study.objects.get()
    series = indexed.series.order_by("number").first()
    assert series is not None
    assert indexed.description == "CT SPINE WITH CONTRAST"
    assert indexed.study_date == series.series_date == date(2024, 3, 5)
    assert indexed.body_parts == series.body_part == "TSPINE"
    assert series.description == "AXIAL BONE 1"
    assert Document.objects.get().original_name == f"{CANARY} report.pdf"
    stored = "\n".join(
        raw_rows(table)
        for table in ("records_upload", "records_document", "records_study", "records_series")
    )
    for value in (CANARY, "CT SPINE WITH CONTRAST", "AXIAL BONE", "2024-03-05", "TSPINE"):
        assert value not in stored


def test_a_name_without_a_case_is_refused(db: None) -> None:
    with pytest.raises(ValueError, match="records/<case id>"):
        default_storage.save("elsewhere/a.pdf", ContentFile(b"x"))


def test_reading_works_after_rotation_with_only_the_new_master_key(
    canary_case: Case, settings: Any
) -> None:
    name = default_storage.save(f"records/{canary_case.pk}/x.pdf", ContentFile(b"%PDF-x"))
    new = _new_master("next")
    settings.ONCOROUTE_MASTER_KEYS = f"{new},{settings.ONCOROUTE_MASTER_KEYS}"
    call_command("keys_rotate", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.ONCOROUTE_MASTER_KEYS = new
    assert Case.objects.select_related("data_key").get().data_key.master_key_id == "next"
    case = Case.objects.get(pk=canary_case.pk)
    assert case.message == f"{CANARY} message"
    assert default_storage.open(name).read() == b"%PDF-x"


def test_without_its_master_key_nothing_reads(canary_case: Case, settings: Any) -> None:
    settings.ONCOROUTE_MASTER_KEYS = _new_master("other")
    with pytest.raises(KeyUnavailable):
        Case.objects.get(pk=canary_case.pk).message  # noqa: B018


def test_a_flipped_ciphertext_byte_in_a_field_is_an_error(canary_case: Case) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT message FROM cases_case WHERE id = %s", [canary_case.pk])
        token = cursor.fetchone()[0]
        body = bytearray(base64.b64decode(token.split(":", 2)[2]))
        body[20] ^= 0x01
        tampered = token.rsplit(":", 1)[0] + ":" + base64.b64encode(bytes(body)).decode()
        cursor.execute(
            "UPDATE cases_case SET message = %s WHERE id = %s", [tampered, canary_case.pk]
        )
    case = Case.objects.get(pk=canary_case.pk)
    assert case.full_name == "Cana Ry"
    with pytest.raises(DecryptionError):
        case.message  # noqa: B018


def test_a_flipped_byte_in_a_stored_file_is_an_error(canary_case: Case, media_root: Path) -> None:
    name = default_storage.save(f"records/{canary_case.pk}/y.pdf", ContentFile(b"%PDF" * 100))
    path = media_root / name
    data = bytearray(path.read_bytes())
    data[40] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(DecryptionError):
        default_storage.open(name).read()


def test_a_cut_short_file_is_an_error(canary_case: Case, media_root: Path) -> None:
    name = default_storage.save(f"records/{canary_case.pk}/z.pdf", ContentFile(b"%PDF" * 100))
    path = media_root / name
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(DecryptionError):
        default_storage.open(name).read()


def test_encrypted_fields_cannot_be_compared_in_sql(canary_case: Case) -> None:
    with pytest.raises(TypeError, match="encrypted"):
        list(Case.objects.filter(message="x"))
    with pytest.raises(TypeError, match="encrypted"):
        Case.objects.update(message="x")


def test_a_request_from_a_known_address_is_sealed_apart_from_that_account(
    canary_case: Case,
) -> None:
    from tests.factories import confirmed_case, submitted_case

    second = submitted_case(email="canary@test.example", address="192.0.2.78")
    assert second.patient_id is None
    assert second.data_key_id not in {None, canary_case.data_key_id}
    confirmed = confirmed_case(canary_case.patient, address="192.0.2.80")
    assert confirmed.patient_id == canary_case.patient_id
    no_account = submitted_case(email="", phone="+905321234568", address="192.0.2.79")
    assert no_account.patient_id is None
    assert no_account.data_key_id not in {None, canary_case.data_key_id}
