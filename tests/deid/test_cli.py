from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from oncoroute.deid.cli import SECRET_ENV, main
from oncoroute.deid.synthetic import SyntheticStudy


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
