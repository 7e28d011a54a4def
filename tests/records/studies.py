"""Small synthetic imaging studies for the records tests: CT slices with a body-like phantom."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pydicom
from pydicom.fileset import FileSet

from oncoroute.deid.synthetic import SyntheticStudy, write_ct_study

SIZE = 64


def phantom(index: int) -> np.ndarray:
    """Stored values (HU + 1024) of an axial slice: air, a soft-tissue body, a bright vertebra."""
    y, x = np.mgrid[0:SIZE, 0:SIZE]
    hu = np.full((SIZE, SIZE), -1000.0)
    hu[((x - 32) / 28) ** 2 + ((y - 30) / 20) ** 2 <= 1] = 40.0
    hu[(x - 32) ** 2 + (y - 40 - index % 3) ** 2 <= 36] = 700.0
    return (hu + 1024).astype(np.uint16)


def write_study(
    folder: Path, *, n_slices: int = 6, seed: int = 7, dicomdir: bool = True
) -> SyntheticStudy:
    """A CT study of ``n_slices`` slices in two series, laid out as on a CD when ``dicomdir``."""
    loose = folder / "loose"
    study = write_ct_study(loose, n_slices, SIZE, SIZE, seed=seed)
    for index, path in enumerate(study.files):
        ds = pydicom.dcmread(path)
        ds.PixelData = phantom(index).tobytes()
        ds.save_as(path)
    if not dicomdir:
        return study
    fileset = FileSet()
    for path in study.files:
        fileset.add(path)
    cd = folder / "cd"
    fileset.write(cd)
    study.files = [Path(instance.path) for instance in fileset]
    return study


def zip_folder(folder: Path, archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            out.write(path, path.relative_to(folder).as_posix())
    return archive


def study_zip(tmp_path: Path, *, n_slices: int = 6, seed: int = 7) -> tuple[Path, SyntheticStudy]:
    """A ZIP of a CD export (DICOMDIR included) and the study it holds."""
    study = write_study(tmp_path / f"study-{seed}", n_slices=n_slices, seed=seed)
    return zip_folder(tmp_path / f"study-{seed}" / "cd", tmp_path / f"study-{seed}.zip"), study
