from __future__ import annotations

import json
import shutil
from pathlib import Path

import pydicom
import pytest
from pydicom.fileset import FileSet

from oncoroute.deid import deidentify_study, verify
from oncoroute.deid.keyed import map_uid
from oncoroute.deid.synthetic import SyntheticStudy, write_ct_study

from .conftest import SECRET, SHIFT


def _outputs(out: Path) -> list[pydicom.Dataset]:
    return [pydicom.dcmread(p) for p in sorted(out.glob("*.dcm"))]


def test_no_identifying_value_survives(
    study_dir: tuple[Path, SyntheticStudy], deidentified: Path
) -> None:
    result = verify(study_dir[0], deidentified)
    assert result.values_checked > 40
    assert result.survivors == []


def test_verify_collects_every_synthetic_identifier(
    study_dir: tuple[Path, SyntheticStudy], tmp_path: Path
) -> None:
    root, study = study_dir
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    found = {s.value for s in verify(root, copy).survivors}
    assert set(study.identifiers.values()) <= found


def test_every_output_is_marked_and_pixels_are_identical(
    study_dir: tuple[Path, SyntheticStudy], deidentified: Path
) -> None:
    originals = {
        map_uid(SECRET, str(pydicom.dcmread(p).SOPInstanceUID)): p for p in study_dir[1].files
    }
    outputs = _outputs(deidentified)
    assert len(outputs) == len(originals)
    for ds in outputs:
        source = pydicom.dcmread(originals[str(ds.SOPInstanceUID)])
        assert ds.PixelData == source.PixelData
        assert ds.PatientIdentityRemoved == "YES"
        assert ds.LongitudinalTemporalInformationModified == "MODIFIED"
        codes = [item.CodeValue for item in ds.DeidentificationMethodCodeSequence]
        assert codes == ["113100", "113107", "113105"]
        assert all(i.CodingSchemeDesignator == "DCM" for i in ds.DeidentificationMethodCodeSequence)
        assert ds.DeidentificationMethod


def test_uids_map_consistently_across_series_sequences_and_meta(
    study_dir: tuple[Path, SyntheticStudy], deidentified: Path
) -> None:
    _, study = study_dir
    outputs = _outputs(deidentified)
    assert {str(ds.StudyInstanceUID) for ds in outputs} == {map_uid(SECRET, study.study_uid)}
    assert {str(ds.SeriesInstanceUID) for ds in outputs} == {
        map_uid(SECRET, u) for u in study.series_uids
    }
    assert len({str(ds.FrameOfReferenceUID) for ds in outputs}) == 1
    first = map_uid(SECRET, study.sop_uids[0])
    new_uids = {str(ds.SOPInstanceUID) for ds in outputs}
    for ds in outputs:
        assert ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID
        assert str(ds.SOPInstanceUID).startswith("2.25.") and len(str(ds.SOPInstanceUID)) <= 64
        if "ReferencedImageSequence" in ds:
            ref = ds.ReferencedImageSequence[0].ReferencedSOPInstanceUID
            deep = ds.ReferencedSeriesSequence[0].ReferencedInstanceSequence[0]
            assert ref == first == deep.ReferencedSOPInstanceUID
            assert ref in new_uids
            assert ds.ReferencedSeriesSequence[0].SeriesInstanceUID == map_uid(
                SECRET, study.series_uids[0]
            )


def test_dates_shift_by_the_case_offset_and_times_and_age_are_kept(deidentified: Path) -> None:
    ds = _outputs(deidentified)[0]
    assert ds.StudyDate == "20231106"  # 2024-03-05 − 120 days (leap year)
    assert ds.AcquisitionDate == "20231107"
    assert ds.AcquisitionDateTime == "20231107101800.000000"
    assert ds.StudyTime == "101500"
    assert ds.PatientAge == "058Y"
    assert ds.PatientBirthDate == ""


def test_names_ids_private_tags_and_removed_sequences_are_gone(deidentified: Path) -> None:
    ds = _outputs(deidentified)[1]
    assert str(ds.PatientName).startswith("OR-") and ds.PatientID == str(ds.PatientName)
    assert ds.AccessionNumber == ""
    for keyword in (
        "InstitutionName",
        "OperatorsName",
        "StationName",
        "OtherPatientIDs",
        "RequestAttributesSequence",
        "ReferencedPatientSequence",
        "PatientAddress",
    ):
        assert keyword not in ds
    private = [e.tag for e in ds if e.tag.is_private]
    assert {(t.group, t.element) for t in private} == {(0x0043, 0x0010), (0x0043, 0x1027)}


def test_descriptors_are_cleaned_not_kept(
    study_dir: tuple[Path, SyntheticStudy], deidentified: Path
) -> None:
    ids = study_dir[1].identifiers
    ds = _outputs(deidentified)[0]
    assert ds.StudyDescription == "CT SPINE WITH CONTRAST"
    for text in (ds.ImageComments, ds.AdditionalPatientHistory):
        assert ids["PatientID"] not in text
        assert "Lazarus" not in text and "2024-03-05" not in text
        assert ids["PatientName"].split("^")[0].lower() not in text.lower()
    assert "back pain T8" in ds.AdditionalPatientHistory


def test_output_names_and_manifest_carry_no_identifier(
    study_dir: tuple[Path, SyntheticStudy], deidentified: Path
) -> None:
    manifest = json.loads((deidentified / "manifest.json").read_text())
    assert manifest["written"] == 12 and manifest["errors"] == 0
    assert all("source" not in entry and entry["source_ref"] for entry in manifest["files"])
    for path in deidentified.rglob("*"):
        assert "slice" not in path.name and "series" not in path.name


def test_burned_in_ultrasound_and_secondary_capture_are_held_back(tmp_path: Path) -> None:
    study = write_ct_study(tmp_path / "in", 4, rows=16, cols=16, seed=3, n_series=1)
    changes = [
        ("BurnedInAnnotation", "YES"),
        ("Modality", "US"),
        ("SOPClassUID", "1.2.840.10008.5.1.4.1.1.7"),
        ("SOPClassUID", "1.2.840.10008.5.1.4.1.1.7.4"),
    ]
    for path, (keyword, value) in zip(study.files, changes, strict=True):
        ds = pydicom.dcmread(path)
        setattr(ds, keyword, value)
        ds.save_as(path)
    summary = deidentify_study(
        tmp_path / "in", tmp_path / "out", secret=SECRET, date_shift_days=SHIFT, jobs=1
    )
    assert len(summary.held_back) == 4 and not summary.written
    reasons = {o.reason for o in summary.held_back}
    assert any("Burned In" in r for r in reasons if r)
    assert all(o.output and o.output.startswith("_review/") for o in summary.held_back)
    assert not list((tmp_path / "out").glob("*.dcm"))
    assert verify(tmp_path / "in", tmp_path / "out").ok


def test_bad_files_are_reported_one_by_one_without_stopping(tmp_path: Path) -> None:
    study = write_ct_study(tmp_path / "in", 3, rows=16, cols=16, seed=4, n_series=1)
    (tmp_path / "in" / "notes.txt").write_text("not an image")
    data = study.files[0].read_bytes()
    (tmp_path / "in" / "truncated.dcm").write_bytes(data[: len(data) - 100])
    (tmp_path / "in" / "header-cut.dcm").write_bytes(data[:300])
    summary = deidentify_study(
        tmp_path / "in", tmp_path / "out", secret=SECRET, date_shift_days=SHIFT, jobs=2
    )
    errors = {o.source: o.reason for o in summary.errors}
    assert set(errors) == {"notes.txt", "truncated.dcm", "header-cut.dcm"}
    assert "not a DICOM" in (errors["notes.txt"] or "")
    assert "pixel data ends" in (errors["truncated.dcm"] or "")
    assert len(summary.written) == 3
    assert summary.to_manifest()["errors"] == 3


def test_dicomdir_is_skipped_as_input_and_rebuilt(tmp_path: Path) -> None:
    write_ct_study(tmp_path / "in", 6, rows=16, cols=16, seed=5, dicomdir=True)
    summary = deidentify_study(
        tmp_path / "in", tmp_path / "out", secret=SECRET, date_shift_days=SHIFT, jobs=2
    )
    assert summary.dicomdir
    assert [o.status for o in summary.outcomes].count("skipped") == 1
    fileset = FileSet(pydicom.dcmread(tmp_path / "out" / "DICOMDIR"))
    assert len(fileset) == 6
    for instance in fileset:
        assert instance.PatientID.startswith("OR-")
        assert pydicom.dcmread(instance.path).SOPInstanceUID == instance.SOPInstanceUID
    assert verify(tmp_path / "in", tmp_path / "out").ok


def test_same_secret_gives_same_uids_across_runs_and_another_secret_does_not(
    study_dir: tuple[Path, SyntheticStudy], tmp_path: Path
) -> None:
    root = study_dir[0]
    first = deidentify_study(root, tmp_path / "a", secret=SECRET, date_shift_days=SHIFT, jobs=1)
    again = deidentify_study(root, tmp_path / "b", secret=SECRET, date_shift_days=SHIFT, jobs=2)
    other = deidentify_study(root, tmp_path / "c", secret=b"another", date_shift_days=SHIFT, jobs=1)
    assert {o.output for o in first.written} == {o.output for o in again.written}
    assert not {o.output for o in first.written} & {o.output for o in other.written}


def test_progress_is_reported_for_every_file(
    study_dir: tuple[Path, SyntheticStudy], tmp_path: Path
) -> None:
    calls: list[tuple[int, int]] = []
    deidentify_study(
        study_dir[0],
        tmp_path / "o",
        secret=SECRET,
        date_shift_days=SHIFT,
        jobs=2,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[-1] == (12, 12) and len(calls) == 12


def test_empty_secret_is_refused(study_dir: tuple[Path, SyntheticStudy], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="secret"):
        deidentify_study(study_dir[0], tmp_path / "o", secret=b"", date_shift_days=SHIFT)


def test_a_second_run_into_a_removed_and_recreated_output_writes_everything(
    tmp_path: Path,
) -> None:
    study = write_ct_study(tmp_path / "in", 3, rows=16, cols=16, seed=8, n_series=1)
    ds = pydicom.dcmread(study.files[0])
    ds.BurnedInAnnotation = "YES"
    ds.save_as(study.files[0])
    for _ in range(2):
        shutil.rmtree(tmp_path / "out", ignore_errors=True)
        summary = deidentify_study(
            tmp_path / "in", tmp_path / "out", secret=SECRET, date_shift_days=SHIFT, jobs=1
        )
        assert (len(summary.written), len(summary.held_back), len(summary.errors)) == (2, 1, 0)


def test_the_manifest_says_so_when_no_instance_could_be_listed_in_a_dicomdir(
    tmp_path: Path,
) -> None:
    (path,) = write_ct_study(tmp_path / "in", 1, rows=16, cols=16, seed=8, n_series=1).files
    ds = pydicom.dcmread(path)
    del ds.StudyTime  # a STUDY directory record requires it
    ds.save_as(path)
    summary = deidentify_study(
        tmp_path / "in", tmp_path / "out", secret=SECRET, date_shift_days=SHIFT, dicomdir=True
    )
    assert len(summary.written) == 1
    assert "not listed in the DICOMDIR" in (summary.written[0].reason or "")
    assert not (tmp_path / "out" / "DICOMDIR").exists()
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["dicomdir"] is False
