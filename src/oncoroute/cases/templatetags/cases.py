"""The intake's codes as a person reads them, for pages outside the cases app."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from oncoroute.cases.vocabulary import PrimaryCancer, SpineRegion

register = template.Library()


@register.filter
def primary_cancer_label(code: str) -> str:
    return str(PrimaryCancer(code).label) if code in PrimaryCancer.values else code


@register.filter
def spine_region_labels(codes: Iterable[str]) -> str:
    return ", ".join(
        str(SpineRegion(code).label) if code in SpineRegion.values else code for code in codes
    )
