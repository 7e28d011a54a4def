"""The pure cores stay pure: no Django, and no reaching into each other's internals."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

CORES = ["clinical", "matching", "itinerary", "deid"]
ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "oncoroute"


def _absolute(node: ast.ImportFrom, path: Path, package: Path) -> str:
    """`from ..cases import x` in `oncoroute/clinical/a.py` is `oncoroute.cases`."""
    if node.level == 0:
        return node.module or ""
    containing = path.relative_to(package.parent).parts[:-1]
    base = containing[: len(containing) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imported_modules(path: Path, package: Path = PACKAGE) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, path, package)
            modules.add(module)
            if not node.module:
                modules.update(f"{module}.{alias.name}" for alias in node.names)
    return modules


def _forbidden_for(core: str, package: Path) -> tuple[str, ...]:
    shell = [p.name for p in package.iterdir() if p.is_dir() and p.name not in CORES]
    forbidden = ("django", "ninja", *(f"oncoroute.{c}" for c in CORES if c != core))
    return forbidden + tuple(f"oncoroute.{package}" for package in shell)


def _offenders(core: str, package: Path = PACKAGE) -> set[str]:
    forbidden = _forbidden_for(core, package)
    return {
        f"{path.relative_to(package)}: {module}"
        for path in (package / core).rglob("*.py")
        for module in imported_modules(path, package)
        if module.split(".")[0] in forbidden or module.startswith(forbidden)
    }


@pytest.mark.parametrize("core", CORES)
def test_a_pure_core_imports_no_django_and_no_other_core(core: str) -> None:
    assert not _offenders(core)


def test_the_check_catches_a_django_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from django.db import models\nimport oncoroute.cases.models\n")
    assert imported_modules(sample) == {"django.db", "oncoroute.cases.models"}


@pytest.mark.parametrize(
    ("source", "reached"),
    [
        ("from ..cases import models\n", "oncoroute.cases"),
        ("from ..cases.models import Case\n", "oncoroute.cases.models"),
        ("from .. import triage\n", "oncoroute.triage"),
    ],
)
def test_the_check_catches_a_relative_import_out_of_a_core(
    tmp_path: Path, source: str, reached: str
) -> None:
    package = tmp_path / "oncoroute"
    for app in ("clinical", "cases", "triage"):
        (package / app).mkdir(parents=True)
    sample = package / "clinical" / "sample.py"
    sample.write_text(source)
    assert reached in imported_modules(sample, package)
    assert _offenders("clinical", package)


def test_the_core_list_is_the_one_the_architecture_docs_name() -> None:
    docs = (ROOT / "docs" / "architecture.md").read_text()
    table = docs.split("## Pure cores", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"^\| `(\w+)` \|", table, flags=re.MULTILINE)
    assert named == CORES
