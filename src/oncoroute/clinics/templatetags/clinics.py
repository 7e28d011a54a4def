"""Template helpers of the directory pages: country and language names, amounts, the
clinics card of a case page."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import get_language_info
from django_countries import countries

from oncoroute.cases.models import Case
from oncoroute.clinics.labels import service_label_text
from oncoroute.clinics.selectors import case_shortlists
from oncoroute.web.templatetags.oncoroute import money

register = template.Library()


@register.filter
def country_name(code: object) -> str:
    return str(countries.name(str(code))) or str(code)


@register.filter
def language_name(code: str) -> str:
    """The language's name in the page's language: "Turkish", "турецкий"."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


@register.filter
def language_names(codes: list[str]) -> str:
    return ", ".join(language_name(code) for code in codes)


@register.filter
def service_name(service: str) -> str:
    return service_label_text(service)


@register.filter
def amount(value: Decimal | int | None, currency: str = "") -> str:
    """A price or an estimate in the reader's language (web's `money`): from a thousand up in
    whole units, below with the currency's own decimals."""
    if value is not None and abs(Decimal(value)) >= 1000:
        value = Decimal(value).quantize(Decimal(1))
    return money(value, currency)


@register.simple_tag
def valid_on(accreditation: Any, day: Any) -> bool:
    return bool(accreditation.is_valid_on(day))


@register.inclusion_tag("clinics/_case_card.html")
def case_clinics_card(case: Case) -> dict[str, Any]:
    """The 'Clinics' card of a coordinator's case page: find clinics, the latest shortlist."""
    return {"case": case, "shortlist": case_shortlists(case=case).first()}


@register.simple_tag
def card_figures(clinic: Any, service: str, today: Any) -> Any:
    """A directory card's price range and waits (clinics.selectors.card_figures)."""
    from oncoroute.clinics.selectors import card_figures as figures

    return figures(clinic, service=service, today=today)


_ITEM = re.compile(r"^  (?! )")
_CONTINUED = re.compile(r"^ {4,}")


@register.inclusion_tag("clinics/_policy.html")
def policy_text(text: str) -> dict[str, Any]:
    """The ranking policy, written hard-wrapped for the terminal and the docstring, as
    paragraphs and lists that reflow on any screen: a line indented two spaces starts a list
    item, a deeper one continues it, any other line continues its paragraph. Each block is a
    paragraph (a string) or a list (its items)."""
    blocks: list[str | list[str]] = []
    for block in text.strip().split("\n\n"):
        parts: list[tuple[str, list[str]]] = []  # ("p" or "li", its lines)
        for line in block.splitlines():
            if _ITEM.match(line):
                parts.append(("li", [line.strip()]))
            elif (_CONTINUED.match(line) and parts and parts[-1][0] == "li") or (
                parts and parts[-1][0] == "p"
            ):
                parts[-1][1].append(line.strip())
            else:
                parts.append(("p", [line.strip()]))
        for kind, lines in parts:
            joined = " ".join(lines)
            if kind == "p":
                blocks.append(joined)
            elif blocks and isinstance(blocks[-1], list):
                blocks[-1].append(joined)
            else:
                blocks.append([joined])
    return {"blocks": [(isinstance(b, list), b) for b in blocks]}
