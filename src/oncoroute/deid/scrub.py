"""Cleaning of free text (action C on text, PS3.15 E.3.5 Clean Descriptors).

A description or comment keeps its wording, minus every identifying value
found elsewhere in the same object (names, IDs, institution, dates…) and
anything shaped like a date, a long number, an e-mail address or a phone
number. What remains is of similar meaning and carries no identifier that
this object itself reveals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_MIN_KNOWN_LENGTH = 3
_PATTERNS = (
    re.compile(r"\b\d{4}[-./]\d{1,2}[-./]\d{1,2}\b"),  # 2024-01-15
    re.compile(r"\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b"),  # 15.01.2024, 01/15/24
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail
    re.compile(r"\+?\d[\d ()-]{6,}\d"),  # phone numbers and long IDs
    re.compile(r"\d{5,}"),  # any other long number (IDs, compact dates)
)
_SPACES = re.compile(r"[ \t]{2,}")


def identifying_tokens(values: Iterable[str]) -> list[str]:
    """Return the strings to remove from free text, longest first.

    A person name also contributes each of its components (PS3.5 6.2 PN:
    family^given^middle^prefix^suffix), since free text rarely writes the
    carets.
    """
    tokens: set[str] = set()
    for value in values:
        text = value.strip()
        tokens.add(text)
        tokens.update(part.strip() for part in re.split(r"[\^=\\,]", text))
    return sorted((t for t in tokens if len(t) >= _MIN_KNOWN_LENGTH), key=len, reverse=True)


def token_pattern(tokens: list[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for all ``tokens``, longest alternatives first."""
    if not tokens:
        return None
    return re.compile("|".join(re.escape(t) for t in tokens), re.IGNORECASE)


def clean_text(text: str, tokens: re.Pattern[str] | None) -> str:
    """Remove ``tokens`` and identifier-shaped substrings from ``text``."""
    previous = None
    cleaned = text
    # Removing one token can join its neighbours into another: repeat until stable.
    while cleaned != previous:
        previous = cleaned
        for pattern in _PATTERNS:
            cleaned = pattern.sub(" ", cleaned)
        if tokens is not None:
            cleaned = tokens.sub(" ", cleaned)
    return _SPACES.sub(" ", cleaned).strip()
