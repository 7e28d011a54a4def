"""`oncoroute triage FILE.json`: text, --json, stdin, and exit status 2 on bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from oncoroute.clinical import SUMMARY_KEYS
from oncoroute.clinical.cli import main

from .builders import BASE


def write(tmp_path: Path, content: str) -> str:
    path = tmp_path / "findings.json"
    path.write_text(content, encoding="utf-8")
    return str(path)


def test_text_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["triage", write(tmp_path, json.dumps(BASE))]) == 0
    out = capsys.readouterr().out
    assert "URGENCY: routine" in out and "SINS" in out and "Revised Tokuhashi" in out


def test_json_report_summary_has_the_spec_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["triage", "--json", write(tmp_path, json.dumps(BASE))]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report["summary"]) == list(SUMMARY_KEYS)


def test_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"primary": "kidney"})))
    assert main(["--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["sins"] is None


def test_invalid_field_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["triage", write(tmp_path, json.dumps({"escc": "4"}))]) == 2
    captured = capsys.readouterr()
    assert "escc" in captured.err and captured.out == ""


def test_extra_field_exits_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["triage", "--json", write(tmp_path, json.dumps({"colour": "red"}))]) == 2
    assert "colour" in capsys.readouterr().err


def test_bad_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["triage", write(tmp_path, '{"kps": ')]) == 2
    assert "line 1" in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["triage", str(tmp_path / "absent.json")]) == 2
    assert capsys.readouterr().err


def test_kps_ecog_disagreement_names_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([write(tmp_path, json.dumps({"kps": 90, "ecog": 3}))]) == 2
    err = capsys.readouterr().err
    assert "kps" in err and "ecog" in err
