"""`oncoroute itinerary` run as a person runs it: a separate process, a file or standard input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .builders import WORKED_EXAMPLE, worked_dict


def oncoroute(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [sys.executable, "-m", "oncoroute.cli", "itinerary", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(WORKED_EXAMPLE))
    return path


def test_json_output_is_exactly_the_planners_object(plan_file: Path) -> None:
    run = oncoroute(str(plan_file), "--json")
    assert (run.returncode, run.stderr) == (0, "")
    assert json.loads(run.stdout) == worked_dict(WORKED_EXAMPLE)
    assert json.loads(run.stdout)["summary"]["cost"]["total"] == "3795.00"


def test_a_dash_reads_the_plan_from_standard_input(plan_file: Path) -> None:
    run = oncoroute("-", "--json", stdin=plan_file.read_text())
    assert run.returncode == 0
    assert json.loads(run.stdout) == json.loads(oncoroute(str(plan_file), "--json").stdout)


def test_the_readable_plan_shows_trips_sessions_hospital_flights_and_costs(
    plan_file: Path,
) -> None:
    run = oncoroute(str(plan_file))
    assert run.returncode == 0
    text = run.stdout
    assert "Trip 1: fly out 2027-02-08, fly home 2027-02-13 (5 nights)" in text
    assert "Trip 2: fly out 2027-02-24, fly home 2027-03-04 (8 nights)" in text
    assert "2027-03-01  SBRT, session 3" in text
    assert "in hospital until 2027-02-11 (1 night)" in text
    assert "flights 2560.00 + accommodation 1235.00 = 3795.00 EUR" in text
    assert "24 nights away, 2 one-way flights, 3560.00 EUR" in text


def test_a_blocked_plan_says_so_and_plans_no_trip(tmp_path: Path) -> None:
    path = tmp_path / "urgent.json"
    path.write_text(json.dumps({**WORKED_EXAMPLE, "patient": {"mscc_urgent": True}}))
    run = oncoroute(str(path))
    assert run.returncode == 0
    assert "NO TRAVEL (do_not_travel)" in run.stdout
    assert "Trip 1" not in run.stdout


def test_bad_input_exits_2_with_one_line_per_problem(tmp_path: Path) -> None:
    bad: dict[str, Any] = json.loads(json.dumps(WORKED_EXAMPLE))
    bad["items"][2]["sessions"] = 0
    bad["clinic"]["working_days"] = [0, 0]
    bad["journey"]["one_way_fare"] = 320.0
    del bad["currency"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    run = oncoroute(str(path), "--json")
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert sorted(line.split(": ", 1)[0] for line in lines) == [
        "clinic.working_days",
        "currency",
        "items[2].sessions",
        "journey.one_way_fare",
    ]


@pytest.mark.parametrize("text", ["{", "[1, 2", '{"items": NaN}', ""])
def test_malformed_json_exits_2(text: str) -> None:
    run = oncoroute("-", stdin=text)
    assert run.returncode == 2
    assert run.stderr.startswith("$: cannot read the plan")


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    run = oncoroute(str(tmp_path / "nowhere.json"))
    assert run.returncode == 2
    assert "nowhere.json" in run.stderr


def test_the_command_starts_without_django(plan_file: Path) -> None:
    probe = (
        "import sys; from oncoroute.cli import main; "
        f"code = main(['itinerary', {str(plan_file)!r}, '--json']); "
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'django', 'ninja'}); "
        "print(loaded, file=sys.stderr); sys.exit(code)"
    )
    run = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert (run.returncode, run.stderr.strip()) == (0, "[]")
