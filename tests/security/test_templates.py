"""Templates hold nothing the Content-Security-Policy would block: no inline script without the
nonce, no inline event handler, no style attribute, no javascript: URL."""

from __future__ import annotations

import re
from pathlib import Path

import oncoroute

TEMPLATES = sorted(Path(oncoroute.__file__).parent.glob("*/templates/**/*.html"))
FORBIDDEN = {
    "inline script without the CSP nonce": re.compile(r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>"),
    "style element without the CSP nonce": re.compile(r"<style(?![^>]*\bnonce=)[^>]*>"),
    "inline event handler": re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) > 10


def test_no_template_holds_what_the_csp_blocks() -> None:
    found = [
        f"{path.relative_to(path.parents[2])}: {problem}"
        for path in TEMPLATES
        for problem, pattern in FORBIDDEN.items()
        if pattern.search(path.read_text())
    ]
    assert not found, "\n".join(found)
