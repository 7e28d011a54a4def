"""Numbers, dates and times as the reader's language and zone write them: money with its
currency's decimals, exchange rates to four places, '1 day' and '3 days', one date format per
language, and a patient's times in their own zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from oncoroute.matching.vocabulary import day_text, days_text
from oncoroute.web.templatetags.oncoroute import money, rate

NBSP = "\xa0"


def test_an_exchange_rate_shows_four_decimals_at_most() -> None:
    with translation.override("en"):
        assert rate(Decimal("90.74074074")) == "90.7407"
        assert rate(Decimal("1.00000000")) == "1"
    with translation.override("ru"):
        assert rate(Decimal("90.74074074")) == "90,7407"


def test_money_has_its_currencys_decimals_and_the_languages_grouping() -> None:
    with translation.override("en"):
        assert money(Decimal("12000.00"), "EUR") == "12,000"
        assert money(Decimal("1234.5"), "USD") == "1,234.50"
        assert money(Decimal("1500.4"), "JPY") == "1,500"
    with translation.override("ru"):
        assert money(Decimal("12000"), "RUB") in ("12" + NBSP + "000", "12 000", "12\u202f000")
        assert money(Decimal("1234.5"), "USD").endswith(",50")


def test_days_are_counted_in_words_with_the_right_plural() -> None:
    assert days_text(1) == "1 day"
    assert days_text(3) == "3 days"
    assert day_text(date(2026, 12, 15)) == "15 Dec 2026"


def test_one_date_format_per_language() -> None:
    template = Template('{{ day|date }} · {{ moment|date:"DATETIME_FORMAT" }}')
    context = Context(
        {"day": date(2026, 12, 15), "moment": datetime(2026, 12, 15, 9, 5, tzinfo=UTC)}
    )
    with translation.override("en"):
        assert template.render(context) == "15 Dec 2026 · 15 Dec 2026, 09:05"
    with translation.override("ru"):
        assert template.render(context) == "15 декабря 2026 · 15 декабря 2026, 09:05"


@pytest.mark.django_db
def test_a_patients_pages_show_times_in_their_zone(patient: Any, client: Client) -> None:
    case = patient.cases.get()  # Kazakhstan: Almaty, UTC+5, until the patient picks their zone
    consent = case.consents.get(purpose="health_data")
    type(consent).objects.filter(pk=consent.pk).update(
        given_at=datetime(2026, 12, 15, 10, 0, tzinfo=UTC)
    )
    client.force_login(patient)
    page = client.get(reverse("my_privacy")).content.decode()
    assert "15 Dec 2026, 15:00" in page
    assert "UTC+05:00" in page
