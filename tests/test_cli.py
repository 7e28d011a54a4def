from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from oncoroute.cli import main


def oncoroute(var_dir: Path, *args: str) -> str:
    """Run the installed command as a person would, against its own SQLite file."""
    env = {**os.environ, "ONCOROUTE_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [sys.executable, "-m", "oncoroute.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return result.stdout


def test_demo_data_loads_once_and_again_changes_nothing(tmp_path: Path) -> None:
    oncoroute(tmp_path, "migrate", "-v", "0")
    first = oncoroute(tmp_path, "demo-data")
    second = oncoroute(tmp_path, "demo-data")
    assert "Demo data: 10 new case(s)." in first
    assert "Demo data: 0 new case(s)." in second
    assert "coordinator@oncoroute.example" in second
    assert re.fullmatch(r"\d{6}", oncoroute(tmp_path, "demo_code").strip())


def test_the_triage_command_is_dispatched_to_the_clinical_core(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = tmp_path / "case.json"
    findings.write_text(json.dumps({"primary": "breast", "red_flags": ["limb_weakness"]}))
    assert main(["triage", str(findings), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["triage"] == "emergency_mscc"


def test_an_invalid_findings_file_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = tmp_path / "case.json"
    findings.write_text(json.dumps({"kps": 85}))
    assert main(["triage", str(findings)]) == 2
    assert "kps" in capsys.readouterr().err
