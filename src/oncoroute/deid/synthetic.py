"""Synthetic CT studies with identifying values in every usual place, for tests and benchmarks.

Every value is invented. The files are valid CT Image Storage objects
(Explicit VR Little Endian) whose headers carry names, IDs, dates, an
institution, physicians, accession numbers, nested reference and request
sequences, private blocks with copies of the patient's data, and free-text
comments that repeat them.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.fileset import FileSet
from pydicom.sequence import Sequence
from pydicom.uid import UID, CTImageStorage, ExplicitVRLittleEndian, generate_uid

PRIVATE_CREATOR = "ONCOROUTE TEST PRIVATE"
_UID_PREFIX = "1.2.826.0.1.3680043.8.498."
_FAMILY = ("KOWALSKA", "NOVAKOVA", "HALVORSEN", "OKONKWO", "MARCHETTI", "DUBOISSON")
_GIVEN = ("MARTA", "ILSE", "AUGUSTINE", "CHIAMAKA", "GIOVANNA", "ROSALIND")


@dataclass
class SyntheticStudy:
    """Where a synthetic study was written and which identifying values it holds."""

    files: list[Path]
    identifiers: dict[str, str]
    study_uid: str
    series_uids: list[str]
    sop_uids: list[str] = field(default_factory=list)


def write_ct_study(
    out_dir: Path,
    n_slices: int,
    rows: int = 512,
    cols: int = 512,
    *,
    seed: int,
    with_private: bool = True,
    nested: bool = True,
    dicomdir: bool = False,
    n_series: int = 2,
) -> SyntheticStudy:
    """Write ``n_slices`` CT slices spread over ``n_series`` series into ``out_dir``.

    With ``dicomdir`` the files are laid out by pydicom's FileSet with a
    DICOMDIR, as on a CD; otherwise they go to ``series<N>/slice<NNNN>.dcm``.
    """
    rng = random.Random(seed)  # noqa: S311 - invented test values, not secrets
    ids = _identifiers(rng)
    study_uid = _uid(seed, "study")
    series_uids = [_uid(seed, f"series{s}") for s in range(n_series)]
    study = SyntheticStudy([], ids, study_uid, series_uids)
    pixels = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    staging = Path(tempfile.mkdtemp(prefix="synthetic-")) if dicomdir else out_dir
    try:
        for index in range(n_slices):
            series = index % n_series
            ds = _slice(ids, study, series, index, seed, rows, cols, pixels)
            if nested:
                _add_nested(ds, ids, study, index)
            if with_private:
                _add_private(ds, ids, study_uid)
            target = staging / f"series{series + 1}" / f"slice{index:04d}.dcm"
            target.parent.mkdir(parents=True, exist_ok=True)
            ds.save_as(target, enforce_file_format=True)
            study.files.append(target)
            study.sop_uids.append(str(ds.SOPInstanceUID))
        if dicomdir:
            study.files = _as_fileset(study.files, out_dir)
    finally:
        if dicomdir:
            shutil.rmtree(staging, ignore_errors=True)
    return study


def _uid(seed: int, *parts: object) -> str:
    return str(generate_uid(_UID_PREFIX, entropy_srcs=[str(seed), *map(str, parts)]))


def _identifiers(rng: random.Random) -> dict[str, str]:
    family, given = rng.choice(_FAMILY), rng.choice(_GIVEN)
    number = rng.randrange(10_000_000, 99_999_999)
    return {
        "PatientName": f"{family}^{given}^JOANNA",
        "PatientID": f"{number}",
        "OtherPatientIDs": f"NHS-{number + 7}-Q",
        "PatientBirthDate": f"19{rng.randrange(40, 70)}0{rng.randrange(1, 9)}"
        f"{rng.randrange(10, 28)}",
        "PatientAddress": f"{rng.randrange(10, 99)} Harbour Lane, Vinterby",
        "PatientTelephoneNumbers": f"+48 601 {rng.randrange(100, 999)} {rng.randrange(100, 999)}",
        "AccessionNumber": f"ACC{number % 10_000_000:07d}",
        "InstitutionName": "Saint Lazarus Oncology Hospital",
        "InstitutionAddress": "1 Cathedral Square, Vinterby",
        "InstitutionalDepartmentName": "Radiology Wing Aurora",
        "ReferringPhysicianName": "BRANDT^OTTOKAR",
        "PerformingPhysicianName": "LINDQVIST^SOLVEIG",
        "OperatorsName": "ABERNATHY^PERCIVAL",
        "NameOfPhysiciansReadingStudy": "VASQUEZ^ESPERANZA",
        "StationName": "CTLAZARUS07",
        "DeviceSerialNumber": f"SN{rng.randrange(100000, 999999)}X",
        "StudyID": f"ST{rng.randrange(1000, 9999)}",
        "StudyDate": "20240305",
        "SeriesDate": "20240305",
        "AcquisitionDate": "20240306",
        "ContentDate": "20240307",
        "RequestedProcedureID": f"RP{rng.randrange(10000, 99999)}",
        "ScheduledProcedureStepID": f"SPS{rng.randrange(10000, 99999)}",
        "PrivateNote": "Private Nickname Bunny",
    }


def _slice(
    ids: dict[str, str],
    study: SyntheticStudy,
    series: int,
    index: int,
    seed: int,
    rows: int,
    cols: int,
    pixels: np.random.Generator,
) -> Dataset:
    ds = Dataset()
    ds.file_meta = _meta(_uid(seed, "sop", index))
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    for keyword in ("StudyDate", "SeriesDate", "AcquisitionDate", "ContentDate"):
        setattr(ds, keyword, ids[keyword])
    ds.StudyTime, ds.SeriesTime, ds.AcquisitionTime, ds.ContentTime = (
        "101500",
        "101700",
        "101800",
        "101900",
    )
    ds.AcquisitionDateTime = ids["AcquisitionDate"] + "101800.000000"
    ds.InstanceCreationDate = ids["ContentDate"]
    ds.Modality = "CT"
    ds.Manufacturer = "Synthetic Scanners"
    ds.BurnedInAnnotation = "NO"
    for keyword in (
        "AccessionNumber",
        "InstitutionName",
        "InstitutionAddress",
        "InstitutionalDepartmentName",
        "ReferringPhysicianName",
        "PerformingPhysicianName",
        "OperatorsName",
        "NameOfPhysiciansReadingStudy",
        "StationName",
        "DeviceSerialNumber",
        "PatientName",
        "PatientID",
        "OtherPatientIDs",
        "PatientBirthDate",
        "PatientAddress",
        "PatientTelephoneNumbers",
        "StudyID",
    ):
        setattr(ds, keyword, ids[keyword])
    ds.StudyDescription = "CT SPINE WITH CONTRAST"
    ds.SeriesDescription = f"AXIAL BONE {series + 1}"
    ds.PatientSex = "F"
    ds.PatientAge = "058Y"
    ds.ImageComments = (
        f"Patient {ids['PatientName'].replace('^', ' ')}, MRN {ids['PatientID']}, "
        f"seen at {ids['InstitutionName']} on 2024-03-05"
    )
    ds.AdditionalPatientHistory = (
        f"Breast cancer 2019; back pain T8. Referred by Dr Brandt, phone "
        f"{ids['PatientTelephoneNumbers']}"
    )
    ds.StudyInstanceUID = study.study_uid
    ds.SeriesInstanceUID = study.series_uids[series]
    ds.FrameOfReferenceUID = _uid(seed, "frame")
    ds.SeriesNumber = series + 1
    ds.InstanceNumber = index + 1
    ds.SliceLocation = float(index)
    ds.ImagePositionPatient = [0.0, 0.0, float(index)]
    ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    ds.PixelSpacing = [0.7, 0.7]
    ds.SliceThickness = 1.0
    ds.KVP = 120
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = rows, cols
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 12, 11
    ds.PixelRepresentation = 0
    ds.RescaleIntercept, ds.RescaleSlope = -1024, 1
    ds.PixelData = pixels.integers(0, 4096, size=rows * cols, dtype=np.uint16).tobytes()
    return ds


def _meta(sop_uid: str) -> FileMetaDataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CTImageStorage
    meta.MediaStorageSOPInstanceUID = UID(sop_uid)
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.SourceApplicationEntityTitle = "LAZARUS_PACS"
    return meta


def _item(**values: object) -> Dataset:
    item = Dataset()
    for keyword, value in values.items():
        setattr(item, keyword, value)
    return item


def _add_nested(ds: Dataset, ids: dict[str, str], study: SyntheticStudy, index: int) -> None:
    """References and requests, up to three levels deep."""
    ds.ReferencedPatientSequence = Sequence(
        [
            _item(
                ReferencedSOPClassUID="1.2.840.10008.3.1.2.1.1",
                ReferencedSOPInstanceUID=_uid(0, ids["PatientID"]),
            )
        ]
    )
    ds.RequestAttributesSequence = Sequence(
        [
            _item(
                RequestedProcedureID=ids["RequestedProcedureID"],
                ScheduledProcedureStepID=ids["ScheduledProcedureStepID"],
                AccessionNumber=ids["AccessionNumber"],
                ReferencedStudySequence=Sequence(
                    [
                        _item(
                            ReferencedSOPClassUID="1.2.840.10008.3.1.2.3.1",
                            ReferencedSOPInstanceUID=study.study_uid,
                        )
                    ]
                ),
            )
        ]
    )
    if index == 0 or not study.sop_uids:
        return
    first = study.sop_uids[0]
    ds.ReferencedImageSequence = Sequence(
        [_item(ReferencedSOPClassUID=CTImageStorage, ReferencedSOPInstanceUID=first)]
    )
    ds.ReferencedSeriesSequence = Sequence(
        [
            _item(
                SeriesInstanceUID=study.series_uids[0],
                ReferencedInstanceSequence=Sequence(
                    [_item(ReferencedSOPClassUID=CTImageStorage, ReferencedSOPInstanceUID=first)]
                ),
            )
        ]
    )


def _add_private(ds: Dataset, ids: dict[str, str], study_uid: str) -> None:
    block = ds.private_block(0x0011, PRIVATE_CREATOR, create=True)
    block.add_new(0x10, "LO", ids["PatientName"])
    block.add_new(0x11, "LO", ids["PatientID"])
    block.add_new(0x12, "DA", ids["PatientBirthDate"])
    block.add_new(0x13, "LO", ids["PrivateNote"])
    block.add_new(
        0x14,
        "SQ",
        Sequence([_item(StudyInstanceUID=study_uid, OperatorsName=ids["OperatorsName"])]),
    )
    safe = ds.private_block(0x0043, "GEMS_PARM_01", create=True)
    safe.add_new(0x27, "SH", "/1.375:1")


def _as_fileset(files: list[Path], out_dir: Path) -> list[Path]:
    fileset = FileSet()
    for path in files:
        fileset.add(path)
    fileset.write(out_dir)
    return [Path(instance.path) for instance in fileset]
