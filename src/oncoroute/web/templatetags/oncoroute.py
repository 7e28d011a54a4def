from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def duration(value: timedelta) -> str:
    """A waiting time as a coordinator reads it: '3 d 4 h', '5 h 12 min', '8 min'."""
    minutes = max(int(value.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


@register.filter
def state_label(value: str) -> str:
    from oncoroute.cases.workflow import CaseState

    return str(CaseState(value).label) if value in CaseState.values else value


@register.filter
def words(value: object) -> str:
    """An identifier as words: 'bone_lesion' → 'bone lesion'."""
    return str(value).replace("_", " ")
