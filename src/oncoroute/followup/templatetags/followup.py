"""Labels of the follow-up's codes on pages: each through its one table (followup.vocabulary)."""

from __future__ import annotations

from django import template
from django.db import models

from oncoroute.followup import vocabulary

register = template.Library()


@register.filter
def interval_label(code: str) -> str:
    return vocabulary.interval_label(code) if code else ""


def _label(choices: type[models.TextChoices], code: str) -> str:
    return str(choices(code).label) if code in choices.values else ""


@register.filter
def walking_label(code: str) -> str:
    return _label(vocabulary.Walking, code)


@register.filter
def response_label(code: str) -> str:
    return _label(vocabulary.Response, code)


@register.filter
def respondent_label(code: str) -> str:
    return _label(vocabulary.Respondent, code)
