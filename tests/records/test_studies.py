from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image
from pydicom.dataset import Dataset

from oncoroute.cases.models import CaseEvent
from oncoroute.deid import verify
from oncoroute.records import dicom, services
from oncoroute.records.models import CaseRecords, Instance, Series, Study
from oncoroute.records.tasks import study_deidentify
from tests.records.conftest import partial_files
from tests.records.helpers import draw_previews, upload_bytes
from tests.records.studies import study_zip, write_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploaded_study(patient: Any, tmp_path: Path) -> tuple[Study, Any]:
    archive, synthetic = study_zip(tmp_path, n_slices=6)
    upload_bytes(
        case=patient.cases.get(), actor=patient, data=archive.read_bytes(), filename="cd.zip"
    )
    return Study.objects.get(), synthetic


def test_a_cd_zip_is_indexed_into_studies_series_and_images(
    uploaded_study: tuple[Study, Any], media_root: Path
) -> None:
    study, synthetic = uploaded_study
    assert study.study_uid == synthetic.study_uid
    assert study.modalities == "CT"
    assert study.description == "CT SPINE WITH CONTRAST"
    assert study.study_date is not None
    assert [s.series_uid for s in study.series.order_by("number")] == synthetic.series_uids
    assert [s.instances.count() for s in study.series.order_by("number")] == [3, 3]
    # The original DICOMDIR is not an image: it is left out of the index.
    assert Instance.objects.count() == 6
    assert partial_files(media_root) == []


def test_each_stored_image_has_its_checksum(uploaded_study: tuple[Study, Any]) -> None:
    for instance in Instance.objects.all():
        data = default_storage.open(instance.file).read()
        assert hashlib.sha256(data).hexdigest() == instance.sha256
        assert len(data) == instance.size


def test_the_upload_event_holds_counts_not_health_values(
    uploaded_study: tuple[Study, Any],
) -> None:
    event = CaseEvent.objects.get(kind=CaseEvent.Kind.RECORD_UPLOADED)
    assert event.data["record_kind"] == "imaging"
    assert event.data["files"] == 6
    assert set(event.data) == {"upload", "record_kind", "bytes", "files"}


def test_the_same_study_uploaded_twice_is_not_duplicated(
    uploaded_study: tuple[Study, Any], patient: Any, tmp_path: Path
) -> None:
    archive, _ = study_zip(tmp_path / "again", n_slices=6)
    upload = upload_bytes(case=patient.cases.get(), actor=patient, data=archive.read_bytes())
    assert upload.result["instances"] == 0
    assert Instance.objects.count() == 6


def test_loose_dicom_files_join_their_study(patient: Any, tmp_path: Path) -> None:
    synthetic = write_study(tmp_path, n_slices=4, dicomdir=False)
    for path in synthetic.files:
        upload_bytes(case=patient.cases.get(), actor=patient, data=path.read_bytes())
    study = Study.objects.get()
    assert study.series.count() == 2
    assert Instance.objects.filter(series__study=study).count() == 4


def test_each_series_gets_a_png_preview_of_its_middle_image(
    uploaded_study: tuple[Study, Any],
) -> None:
    draw_previews()
    for series in Series.objects.all():
        assert series.preview_state == Series.Preview.DRAWN
        image = Image.open(default_storage.open(series.preview))
        assert image.format == "PNG"
        assert image.size == (64, 64)
        grey = np.asarray(image)
        # "AXIAL BONE" series without a window of their own get the bone window (400/1800):
        # air is black, the body (40 HU) dark grey, the vertebra (700 HU) light grey.
        assert grey[2, 2] == 0
        assert grey[20, 32] == int((40 + 500) / 1800 * 255)
        assert grey[40, 32] == int((700 + 500) / 1800 * 255)


def _ct(**values: Any) -> Dataset:
    ds = Dataset()
    ds.Modality = "CT"
    ds.RescaleSlope, ds.RescaleIntercept = 1, -1024
    for key, value in values.items():
        setattr(ds, key, value)
    return ds


def test_ct_windowing_uses_the_window_of_the_image() -> None:
    ds = _ct(WindowCenter=40, WindowWidth=400)
    stored = np.array([[1024 + 40, 1024 - 160, 1024 + 240, 0]], dtype=np.uint16)
    assert dicom.to_display(ds, stored).tolist() == [[127, 0, 255, 0]]


def test_ct_windowing_takes_the_first_of_several_windows() -> None:
    ds = _ct(WindowCenter=[300, 40], WindowWidth=[1500, 400])
    assert dicom.ct_window(ds) == (300.0, 1500.0)


def test_ct_without_a_window_gets_soft_tissue_or_bone_by_its_kernel() -> None:
    assert dicom.ct_window(_ct()) == dicom.SOFT_TISSUE_WINDOW
    assert dicom.ct_window(_ct(ConvolutionKernel="BONE")) == dicom.BONE_WINDOW


def test_other_modalities_are_stretched_to_their_own_range() -> None:
    ds = Dataset()
    ds.Modality = "MR"
    stored = np.linspace(0, 800, 400, dtype=np.uint16).reshape(20, 20)
    grey = dicom.to_display(ds, stored)
    assert grey.min() == 0
    assert grey.max() == 255


def test_the_case_keeps_one_date_shift(patient: Any) -> None:
    case = patient.cases.get()
    first = services.case_records_get(case=case)
    assert -3650 <= first.date_shift_days <= -1
    assert services.case_records_get(case=case).date_shift_days == first.date_shift_days
    assert CaseRecords.objects.count() == 1


def test_the_deidentified_zip_passes_the_verify_check(
    uploaded_study: tuple[Study, Any], tmp_path: Path
) -> None:
    study, synthetic = uploaded_study
    assert study_deidentify.call(study_id=study.pk) == "done"
    study.refresh_from_db()
    assert study.deid_state == Study.Deid.DONE
    assert study.deid_done == study.deid_total == 6
    data = default_storage.open(study.deid_archive).read()
    assert hashlib.sha256(data).hexdigest() == study.deid_archive_sha256
    out = tmp_path / "unzipped"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        archive.extractall(out)
    assert "manifest.json" in names
    assert "DICOMDIR" in names
    assert study.deid_summary["written"] + study.deid_summary["held_back"] == 6
    result = verify(tmp_path / "study-7" / "cd", out)
    assert result.ok, result.survivors
    assert synthetic.identifiers["PatientName"].encode() not in data
    event = CaseEvent.objects.get(kind=CaseEvent.Kind.STUDY_DEIDENTIFIED)
    assert event.data["study"] == study.pk
    assert set(event.data) == {"study", "written", "held_back", "bytes"}


def test_files_added_during_a_run_make_it_start_again(
    uploaded_study: tuple[Study, Any],
) -> None:
    study, _ = uploaded_study
    started = services.study_deid_begin(study_id=study.pk)
    assert started is not None
    Study.objects.filter(pk=study.pk).update(deid_generation=started.deid_generation + 1)
    published = services.study_deid_finish(
        study=started, generation=started.deid_generation, result=None, error="x"
    )
    assert not published
    assert Study.objects.get().deid_state == Study.Deid.QUEUED


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_makes_the_copy_after_an_upload(patient: Any, tmp_path: Path) -> None:
    archive, _ = study_zip(tmp_path, n_slices=4)
    upload_bytes(case=patient.cases.get(), actor=patient, data=archive.read_bytes())
    assert Study.objects.get().deid_state == Study.Deid.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    study = Study.objects.get()
    assert study.deid_state == Study.Deid.DONE
    assert default_storage.exists(study.deid_archive)
