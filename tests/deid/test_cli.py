from __future__ import annotations

import json
import shutil
from pathlib import Path

import pydicom
import pytest

from oncoroute.deid.cli import SECRET_ENV, main
from oncoroute.deid.synthetic import SyntheticStudy, write_ct_study


def test_deid_without_secret_exits_2(
    study_dir: tuple[Path, SyntheticStudy],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    assert main([str(study_dir[0]), str(tmp_path / "out")]) == 2
    assert "no secret" in capsys.readouterr().err


def test_deid_then_verify_exit_0(
    study_dir: tuple[Path, SyntheticStudy], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret"
    secret.write_text("a-long-installation-secret\n")
    out = tmp_path / "out"
    args = [str(study_dir[0]), str(out), "--secret-file", str(secret), "--jobs", "2"]
    assert main(["deid", *args, "--date-shift-days", "-40"]) == 0
    assert "12 written" in capsys.readouterr().out
    assert main(["--verify", str(study_dir[0]), str(out)]) == 0
    assert ": 0 found" in capsys.readouterr().out


def test_secret_from_environment_and_derived_shift(
    study_dir: tuple[Path, SyntheticStudy], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECRET_ENV, "env-secret")
    assert main([str(study_dir[0]), str(tmp_path / "out"), "--jobs", "1"]) == 0
    assert main(["--verify", str(study_dir[0]), str(tmp_path / "out")]) == 0


def test_verify_fails_on_a_plain_copy_without_printing_values(
    study_dir: tuple[Path, SyntheticStudy], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(study_dir[0], tmp_path / "copy")
    assert main(["--verify", str(study_dir[0]), str(tmp_path / "copy")]) == 1
    printed = capsys.readouterr().out
    assert "PatientName survives" in printed
    assert study_dir[1].identifiers["PatientID"] not in printed


def test_missing_input_directory_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_ENV, "s")
    assert main([str(tmp_path / "nope"), str(tmp_path / "out")]) == 2
    assert main(["--verify", str(tmp_path / "nope"), str(tmp_path / "out")]) == 2


def test_nothing_deidentifiable_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_ENV, "s")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("hello")
    assert main([str(tmp_path / "in"), str(tmp_path / "out")]) == 1


def _study_with_problems(root: Path) -> Path:
    study = write_ct_study(root / "KOWALSKA^MARTA", 2, rows=16, cols=16, seed=6, n_series=1)
    ds = pydicom.dcmread(study.files[0])
    ds.BurnedInAnnotation = "YES"
    ds.save_as(study.files[0])
    (root / "KOWALSKA^MARTA" / "KOWALSKA notes.txt").write_text("not an image")
    return root / "KOWALSKA^MARTA"


def test_problem_files_are_named_by_source_ref_unless_paths_are_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(SECRET_ENV, "s")
    study = _study_with_problems(tmp_path)
    assert main([str(study), str(tmp_path / "out"), "--jobs", "1"]) == 0
    printed = capsys.readouterr().out
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    refs = {entry["source_ref"] for entry in manifest["files"] if entry["status"] != "written"}
    assert "held back: source_ref" in printed and "error: source_ref" in printed
    assert all(ref in printed for ref in refs) and len(refs) == 2
    assert "KOWALSKA" not in printed

    assert main([str(study), str(tmp_path / "out2"), "--jobs", "1", "--show-paths"]) == 0
    printed = capsys.readouterr().out
    assert "error: KOWALSKA notes.txt" in printed
    assert "held back: series1/slice0000.dcm" in printed
