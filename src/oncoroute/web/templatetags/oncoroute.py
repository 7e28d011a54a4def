from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from babel.numbers import format_decimal, get_currency_precision
from django import template
from django.utils.translation import get_language, to_locale

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


def _locale() -> str:
    return to_locale(get_language() or "en")


@register.filter
def money(value: Decimal | int | float | None, currency: str = "") -> str:
    """An amount as the reader's language writes it, with its currency's own decimals:
    12000 → '12,000' ('12 000' in Russian), 12.5 USD → '12.50', 1500.4 JPY → '1,500'."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value))
    digits = get_currency_precision(currency) if currency else 2
    if number == number.to_integral_value():
        digits = 0
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(number, format=pattern, locale=_locale(), decimal_quantization=True)


@register.filter
def rate(value: Decimal | float | None) -> str:
    """An exchange rate to four decimal places at most: 90.74074074 → '90.7407'."""
    if value is None:
        return "—"
    return format_decimal(Decimal(str(value)), format="#,##0.####", locale=_locale())
