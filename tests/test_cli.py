from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case, TriageSnapshot
from oncoroute.cli import main


@pytest.mark.django_db
def test_demo_data_loads_once_and_again_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    main(["demo-data"])
    counts = (Case.objects.count(), User.objects.count(), TriageSnapshot.objects.count())
    main(["demo-data"])
    assert (Case.objects.count(), User.objects.count(), TriageSnapshot.objects.count()) == counts
    assert counts[0] > 0 and counts[2] > 0
    assert "coordinator@oncoroute.example" in capsys.readouterr().out


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
