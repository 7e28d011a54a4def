"""Every DICOM test file that ships inside pydicom gets an outcome, none stops the batch.

The files are those ``pydicom.data.get_testdata_files()`` returns offline:
listed from the package's own folder, since that function may try to
download extra files, which hangs without a network.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pydicom
import pydicom.data

from oncoroute.deid import deidentify_study

from .conftest import SECRET, SHIFT


def _pydicom_test_files() -> list[Path]:
    root = Path(pydicom.data.__file__).parent / "test_files"
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".py")


def _copy_corpus(target_root: Path) -> None:
    for index, source in enumerate(_pydicom_test_files()):
        target = target_root / f"{index:03d}" / source.name
        target.parent.mkdir(parents=True)
        shutil.copyfile(source, target)


def test_every_pydicom_test_file_is_deidentified_or_gets_a_clear_error(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    _copy_corpus(corpus)
    files = [p for p in corpus.rglob("*") if p.is_file()]

    summary = deidentify_study(
        corpus, tmp_path / "out", secret=SECRET, date_shift_days=SHIFT, jobs=2
    )

    assert summary.files_in == len(files)
    assert all(o.status in {"written", "held_back", "error", "skipped"} for o in summary.outcomes)
    assert all(o.reason for o in summary.outcomes if o.status in {"error", "held_back", "skipped"})
    done = summary.written + summary.held_back
    assert len(done) >= 0.6 * len(files)
    for outcome in summary.written:
        assert outcome.output
        ds = pydicom.dcmread(tmp_path / "out" / outcome.output)
        assert ds.PatientIdentityRemoved == "YES"


def test_pixel_bytes_are_identical_for_every_pydicom_image(tmp_path: Path) -> None:
    checked = 0
    _copy_corpus(tmp_path / "in")
    summary = deidentify_study(
        tmp_path / "in", tmp_path / "out", secret=SECRET, date_shift_days=SHIFT, jobs=2
    )
    for outcome in summary.written + summary.held_back:
        original = pydicom.dcmread(tmp_path / "in" / outcome.source, force=True)
        if "PixelData" in original:
            copy = pydicom.dcmread(tmp_path / "out" / str(outcome.output))
            assert copy.PixelData == original.PixelData, outcome.source
            checked += 1
    assert checked > 60
