"""Worked cases from the cited papers: findings, the hand-derived summary and why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oncoroute.clinical import SUMMARY_KEYS, triage

CASES_DIR = Path(__file__).parent / "cases"
CASE_FILES = sorted(CASES_DIR.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_there_are_at_least_twenty_worked_cases() -> None:
    assert len(CASE_FILES) >= 20


@pytest.mark.parametrize("path", CASE_FILES, ids=[path.stem for path in CASE_FILES])
def test_worked_case_summary_matches_the_hand_derivation(path: Path) -> None:
    case = load(path)
    assert set(case) == {"why", "findings", "expected_summary"}
    assert set(case["expected_summary"]) == set(SUMMARY_KEYS)
    summary = triage(case["findings"]).to_dict()["summary"]
    assert summary == case["expected_summary"], case["why"]
