"""The pure cores stay pure: no Django, and no reaching into each other's internals."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORES = ["clinical", "matching", "itinerary", "deid"]
PACKAGE = Path(__file__).resolve().parents[1] / "src" / "oncoroute"


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("core", CORES)
def test_a_pure_core_imports_no_django_and_no_other_core(core: str) -> None:
    shell = [p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name not in CORES]
    forbidden = ("django", "ninja", *(f"oncoroute.{c}" for c in CORES if c != core))
    forbidden += tuple(f"oncoroute.{package}" for package in shell)
    offenders = {
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in (PACKAGE / core).rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in forbidden or module.startswith(forbidden)
    }
    assert not offenders


def test_the_check_catches_a_django_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from django.db import models\nimport oncoroute.cases.models\n")
    assert imported_modules(sample) == {"django.db", "oncoroute.cases.models"}
