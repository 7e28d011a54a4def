from __future__ import annotations

from typing import Any

from django import template

from oncoroute.cases.models import Case

register = template.Library()


@register.inclusion_tag("records/_card.html", takes_context=True)
def case_records(context: template.Context, case: Case) -> dict[str, Any]:
    """The records card of a case page: upload form, studies with previews, documents."""
    from oncoroute.records.views import records_context

    return {
        **records_context(case=case, user=context["user"]),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.filter
def human_bytes(value: int) -> str:
    from oncoroute.records.content import human_size

    return human_size(int(value or 0))
