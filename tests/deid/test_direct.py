"""The direct path (header rewritten from its bytes) gives what the pydicom path gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pydicom
import pydicom.data
import pytest
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_file_meta_info

from oncoroute.deid import direct
from oncoroute.deid.files import deidentify_file
from oncoroute.deid.rules import DeidOptions
from oncoroute.deid.synthetic import write_ct_study
from oncoroute.deid.through_pydicom import new_file_meta

from .conftest import SECRET, SHIFT

OPTIONS = DeidOptions(secret=SECRET, date_shift_days=SHIFT)


def _inputs(root: Path) -> list[Path]:
    corpus = Path(pydicom.data.__file__).parent / "test_files"
    write_ct_study(root / "ct", 6, rows=16, cols=16, seed=9, n_series=2)
    implicit = root / "implicit"
    implicit.mkdir()
    for index, path in enumerate(sorted((root / "ct").rglob("*.dcm"))[:2]):
        ds = pydicom.dcmread(path)
        ds.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian
        ds.save_as(implicit / f"{index}.dcm", implicit_vr=True, little_endian=True)
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix != ".py")
    return files + sorted(p for p in root.rglob("*.dcm") if p.is_file())


def _takes_direct_path(path: Path) -> bool:
    with path.open("rb") as fp:
        try:
            direct.deidentify_header(fp, OPTIONS)
        except direct.Unsupported:
            return False
        except Exception:  # a bad file: its outcome is tested elsewhere
            return False
    return True


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_direct_and_pydicom_paths_agree_on_every_file(tmp_path: Path) -> None:
    compared = 0
    for index, source in enumerate(_inputs(tmp_path / "in")):
        if not _takes_direct_path(source):
            continue
        fast = deidentify_file(source, tmp_path / f"d{index}", OPTIONS, name=source.name)
        slow = deidentify_file(
            source, tmp_path / f"p{index}", OPTIONS, name=source.name, direct=False
        )
        assert (fast.status, fast.output, fast.reason) == (slow.status, slow.output, slow.reason)
        assert fast.output, source
        a = pydicom.dcmread(tmp_path / f"d{index}" / fast.output)
        b = pydicom.dcmread(tmp_path / f"p{index}" / slow.output)
        assert a == b, source
        assert a.file_meta == b.file_meta, source
        if "PixelData" in b:
            original = pydicom.dcmread(source)
            assert a.PixelData == original.PixelData, source
        compared += 1
    assert compared > 100


def test_explicit_and_implicit_synthetic_ct_take_the_direct_path(tmp_path: Path) -> None:
    study = write_ct_study(tmp_path, 2, rows=16, cols=16, seed=1, n_series=1)
    ds = pydicom.dcmread(study.files[0])
    ds.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian
    ds.save_as(tmp_path / "implicit.dcm", implicit_vr=True, little_endian=True)
    assert all(_takes_direct_path(p) for p in [*study.files, tmp_path / "implicit.dcm"])


def test_file_meta_is_encoded_as_pydicom_encodes_it(tmp_path: Path) -> None:
    study = write_ct_study(tmp_path, 1, rows=8, cols=8, seed=2, n_series=1)
    ds = pydicom.dcmread(study.files[0])
    meta = new_file_meta(ds, ds.file_meta.TransferSyntaxUID, OPTIONS)
    buffer = DicomBytesIO()
    buffer.is_little_endian, buffer.is_implicit_VR = True, False
    write_file_meta_info(buffer, meta, enforce_standard=True)
    expected = buffer.getvalue()
    encoded = direct.encode_meta(
        str(meta.MediaStorageSOPClassUID),
        str(meta.MediaStorageSOPInstanceUID),
        str(meta.TransferSyntaxUID),
    )
    assert encoded == expected


@pytest.mark.parametrize("cut", [200, 700])
def test_headers_cut_short_go_through_pydicom(tmp_path: Path, cut: int) -> None:
    study = write_ct_study(tmp_path / "in", 1, rows=16, cols=16, seed=3, n_series=1)
    broken = tmp_path / "broken.dcm"
    broken.write_bytes(study.files[0].read_bytes()[:cut])
    assert not _takes_direct_path(broken)
    outcome = deidentify_file(broken, tmp_path / "a", OPTIONS, name="broken.dcm")
    slow = deidentify_file(broken, tmp_path / "b", OPTIONS, name="broken.dcm", direct=False)
    assert (outcome.status, outcome.reason) == (slow.status, slow.reason)


def test_a_header_longer_than_the_first_read_is_read_in_full(tmp_path: Path) -> None:
    study = write_ct_study(tmp_path / "in", 1, rows=16, cols=16, seed=4, n_series=1)
    ds = pydicom.dcmread(study.files[0])
    ds.ImageComments = "spine " * 20000
    ds.save_as(study.files[0])
    assert _takes_direct_path(study.files[0])
    fast = deidentify_file(study.files[0], tmp_path / "d", OPTIONS, name="a")
    slow = deidentify_file(study.files[0], tmp_path / "p", OPTIONS, name="a", direct=False)
    assert fast.output
    a = pydicom.dcmread(tmp_path / "d" / fast.output)
    assert a == pydicom.dcmread(tmp_path / "p" / str(slow.output))
    assert a.PixelData == ds.PixelData
    shutil.rmtree(tmp_path / "d")


def test_in_process_runs_leave_no_identifying_text_in_the_caches(tmp_path: Path) -> None:
    from oncoroute.deid import deidentify_study

    write_ct_study(tmp_path / "in", 2, rows=16, cols=16, seed=5, n_series=1)
    deidentify_study(tmp_path / "in", tmp_path / "out", secret=SECRET, date_shift_days=1, jobs=1)
    caches = (direct._map_uid, direct._pseudonym, direct._clean_text, direct._token_pattern)
    assert all(cache.cache_info().currsize == 0 for cache in caches)
    assert not direct._rewritten


def test_method_codes_are_encoded_as_pydicom_encodes_them() -> None:
    from oncoroute.deid.dataset import _encoded_method_codes

    for implicit in (True, False):
        assert direct.method_codes_value(implicit) == _encoded_method_codes(implicit).value


def test_a_repeated_element_is_rewritten_as_the_first_time(tmp_path: Path) -> None:
    """Elements rewritten from the per-process cache give the bytes a fresh rewrite gives."""
    study = write_ct_study(tmp_path / "in", 3, rows=16, cols=16, seed=6, n_series=1)
    direct.clear_caches()
    cached = []
    for path in study.files:
        with path.open("rb") as fp:
            cached.append(direct.deidentify_header(fp, OPTIONS).header)
    assert direct._rewritten
    for path, header in zip(study.files, cached, strict=True):
        direct.clear_caches()
        with path.open("rb") as fp:
            assert direct.deidentify_header(fp, OPTIONS).header == header
    direct.clear_caches()


@pytest.mark.parametrize("size", range(8))
def test_files_too_short_for_an_element_are_reported_as_pydicom_reports_them(
    tmp_path: Path, size: int
) -> None:
    tiny = tmp_path / "tiny"
    tiny.write_bytes(b"ok\n\x00\xfe\xff\x00\xe0"[:size])
    fast = deidentify_file(tiny, tmp_path / "a", OPTIONS, name="tiny")
    slow = deidentify_file(tiny, tmp_path / "b", OPTIONS, name="tiny", direct=False)
    assert fast.as_dict() == slow.as_dict()
    assert fast.status == "error"
