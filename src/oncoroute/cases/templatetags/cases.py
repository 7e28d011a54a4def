"""The intake's codes as a person reads them, for pages outside the cases app, and the card that
moves a case."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from oncoroute.cases.forms import TravelClearanceForm
from oncoroute.cases.models import Case
from oncoroute.cases.safety import cord_flag_unresolved
from oncoroute.cases.vocabulary import PrimaryCancer, SpineRegion
from oncoroute.cases.workflow import refusals, transitions_from

register = template.Library()


@register.filter
def primary_cancer_label(code: str) -> str:
    return str(PrimaryCancer(code).label) if code in PrimaryCancer.values else code


@register.filter
def spine_region_labels(codes: Iterable[str]) -> str:
    return ", ".join(
        str(SpineRegion(code).label) if code in SpineRegion.values else code for code in codes
    )


@register.inclusion_tag("cases/_moves.html", takes_context=True)
def case_moves_card(context: template.Context, case: Case) -> dict[str, Any]:
    """The moves open from the case's state, each with why it is refused now if it is; the
    safety gate and the form that records a local assessment when warning signs stand."""
    gate = cord_flag_unresolved(case)
    return {
        "case": case,
        "csrf_token": context.get("csrf_token"),
        "gate": gate,
        "clearance_form": TravelClearanceForm() if gate else None,
        "transitions": [
            (to, rule, refusals(case, rule)) for to, rule in transitions_from(case.state)
        ],
    }
