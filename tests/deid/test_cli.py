from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pydicom
import pytest

from oncoroute.deid.cli import (
    SECRET_ENV,
    VAR_DIR_ENV,
    _files_in_path_order,
    _first_patient_id,
    main,
)
from oncoroute.deid.synthetic import SyntheticStudy, write_ct_study

REPO = Path(__file__).resolve().parents[2]


def test_without_a_secret_the_apps_var_deid_secret_is_made_once_and_named(
    study_dir: tuple[Path, SyntheticStudy],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    monkeypatch.setenv(VAR_DIR_ENV, str(tmp_path / "var"))
    secret_file = tmp_path / "var" / "deid_secret"
    assert main([str(study_dir[0]), str(tmp_path / "out1"), "--jobs", "1"]) == 0
    assert f"UID secret from {secret_file} (created now)" in capsys.readouterr().err
    assert secret_file.stat().st_mode & 0o777 == 0o600
    secret = secret_file.read_bytes()
    assert main([str(study_dir[0]), str(tmp_path / "out2"), "--jobs", "1"]) == 0
    assert f"UID secret from {secret_file} (the app’s secret)" in capsys.readouterr().err
    assert secret_file.read_bytes() == secret
    # The same secret gives the same replacement UIDs: the two runs are one study.
    assert sorted(p.name for p in (tmp_path / "out1").glob("*.dcm")) == sorted(
        p.name for p in (tmp_path / "out2").glob("*.dcm")
    )


def test_the_secret_file_then_the_environment_come_before_var(
    study_dir: tuple[Path, SyntheticStudy],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(VAR_DIR_ENV, str(tmp_path / "var"))
    monkeypatch.setenv(SECRET_ENV, "env-secret")
    secret = tmp_path / "secret"
    secret.write_text("file-secret\n")
    assert main([str(study_dir[0]), str(tmp_path / "a"), "--secret-file", str(secret)]) == 0
    assert f"UID secret from the secret file {secret}" in capsys.readouterr().err
    assert main([str(study_dir[0]), str(tmp_path / "b"), "--jobs", "1"]) == 0
    assert f"UID secret from ${SECRET_ENV}" in capsys.readouterr().err
    assert not (tmp_path / "var").exists()


def test_an_unwritable_var_folder_exits_2_saying_what_to_do(
    study_dir: tuple[Path, SyntheticStudy],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    (tmp_path / "file").write_text("")
    monkeypatch.setenv(VAR_DIR_ENV, str(tmp_path / "file" / "var"))
    assert main([str(study_dir[0]), str(tmp_path / "out")]) == 2
    assert "--secret-file" in capsys.readouterr().err


def test_oncoroute_deid_on_a_fresh_clone_with_no_environment(
    study_dir: tuple[Path, SyntheticStudy], tmp_path: Path
) -> None:
    """As a newcomer runs it: a fresh clone, its own folder, nothing set but PATH."""
    clone = tmp_path / "clone"
    git = shutil.which("git")
    assert git
    subprocess.run(  # noqa: S603 - fixed arguments
        [git, "clone", "-q", "--depth", "1", f"file://{REPO}", str(clone)], check=True
    )
    assert not (clone / "var").exists()
    command = Path(sys.executable).with_name("oncoroute")
    result = subprocess.run(  # noqa: S603 - our own command
        [str(command), "deid", str(study_dir[0]), "out"],
        cwd=clone,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "12 written" in result.stdout
    assert f"UID secret from {clone / 'var' / 'deid_secret'} (created now)" in result.stderr
    assert len(list((clone / "out").glob("*.dcm"))) == 12


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


def test_the_command_imports_nothing_the_header_rewrite_does_not_need(
    study_dir: tuple[Path, SyntheticStudy], tmp_path: Path
) -> None:
    """Start-up is part of a shell command's time: files the header rewrite handles need no
    pydicom at all, and pydicom's optional helpers stay out."""
    secret = tmp_path / "secret"
    secret.write_text("s")
    code = (
        "import sys\n"
        "from oncoroute.cli import main\n"
        f"assert main(['deid', {str(study_dir[0])!r}, {str(tmp_path / 'out')!r}, "
        f"'--secret-file', {str(secret)!r}]) == 0\n"
        "print(sorted(m for m in ('numpy', 'PIL', 'requests', 'tqdm', 'pylibjpeg', 'pydicom') "
        "if m in sys.modules))\n"
    )
    result = subprocess.run(  # noqa: S603 - our interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"
    assert len(list((tmp_path / "out").glob("*.dcm"))) == 12


def test_files_are_found_in_sorted_path_order(tmp_path: Path) -> None:
    for name in ("b.dcm", "a/z.dcm", "a/b/c.dcm", "a.dcm", ".hidden", "A/x", "a/b.dcm/d"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "link").symlink_to(tmp_path / "a")  # not followed, as rglob does not
    expected = [str(p) for p in sorted(tmp_path.rglob("*")) if p.is_file()]
    assert list(_files_in_path_order(tmp_path)) == expected


def test_the_first_patient_id_is_read_as_pydicom_reads_it(
    study_dir: tuple[Path, SyntheticStudy], tmp_path: Path
) -> None:
    shutil.copytree(study_dir[0], tmp_path / "in")
    (tmp_path / "in" / "0 too short").write_bytes(b"ok\n")
    (tmp_path / "in" / "1 not dicom").write_bytes(b"not a DICOM file, but long enough" * 9)
    first = min(p for p in (tmp_path / "in").rglob("*.dcm"))
    expected = str(pydicom.dcmread(first, stop_before_pixels=True).PatientID)
    assert _first_patient_id(tmp_path / "in") == expected
    ds = pydicom.dcmread(first)
    ds.PatientID = ["A-1", "B-2"]  # multi-valued: only pydicom reads it
    ds.save_as(first)
    assert _first_patient_id(tmp_path / "in") == str(pydicom.dcmread(first).PatientID)
