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


def test_reminders_remind_an_overdue_referral_once_however_many_runs(tmp_path: Path) -> None:
    """The scheduler may start `oncoroute reminders` again before the last one ended."""
    oncoroute(tmp_path, "migrate", "-v", "0")
    oncoroute(tmp_path, "demo-data")
    oncoroute(tmp_path, "shell", "-v", "0", "-c", OVERDUE)
    env = {**os.environ, "ONCOROUTE_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "oncoroute.cli", "reminders"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    printed = "".join(run.communicate(timeout=300)[0] for run in runs)
    assert [run.returncode for run in runs] == [0, 0]
    assert re.findall(r"of (\d+) overdue", printed) in (["1", "0"], ["0", "1"])
    assert oncoroute(tmp_path, "shell", "-v", "0", "-c", REMINDERS).split() == ["1"]


OVERDUE = (
    "from datetime import timedelta; from django.utils import timezone; "
    "from oncoroute.referrals.models import Referral; "
    "Referral.objects.update(deadline=timezone.now() - timedelta(hours=1))"
)
REMINDERS = (
    "from oncoroute.referrals.models import ReferralEvent; "
    "print(ReferralEvent.objects.filter(kind='reminded').count())"
)


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
