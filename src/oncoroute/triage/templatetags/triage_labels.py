"""Labels of the triage's codes for its templates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from oncoroute.triage.display import need_label as _need_label
from oncoroute.triage.display import summary_label, summary_value

register = template.Library()


@register.filter
def need_label(need: str) -> str:
    """A missing input named as the findings form names it."""
    return _need_label(need)


@register.filter
def need_labels(needs: Iterable[str]) -> str:
    return ", ".join(_need_label(need) for need in needs)


@register.filter
def summary_key_label(key: str) -> str:
    """A field of the triage summary by its name ('noms_recommendation' → 'NOMS pathway')."""
    return summary_label(key)


@register.filter
def summary_value_text(value: Any, key: str) -> str:
    """A value of the triage summary as words (labels, yes or no, ranges)."""
    return summary_value(key, tuple(value) if isinstance(value, list) else value)
