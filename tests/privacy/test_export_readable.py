"""The data export is readable: data.json in plain UTF-8 (Russian as Russian, not \\u escapes)
and summary.txt beside it, in the reader's language."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from oncoroute.accounts.services import email_verify
from tests.factories import PASSWORD, submitted_case

pytestmark = pytest.mark.django_db


def _export(client: Client, **headers: str) -> zipfile.ZipFile:
    response = client.get(reverse("my_data_export"), headers=headers)
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]


@pytest.fixture
def russian_family(db: None) -> Any:
    case = submitted_case(
        email="olga@example.com",
        full_name="Ольга Смирнова",
        writer_role="relative",
        patient_name="Анна Смирнова",
        patient_age=71,
        patient_sex="F",
        message="Мама не может долго сидеть.",
        language="ru",
    )
    user = case.patient
    user.set_password(PASSWORD)
    user.save()
    email_verify(user=user)
    return case


def test_the_json_is_readable_utf8(client: Client, russian_family: Any) -> None:
    client.force_login(russian_family.patient)
    archive = _export(client)
    raw = archive.read("data.json")
    text = raw.decode("utf-8")
    assert "Мама не может долго сидеть." in text
    assert "Анна Смирнова" in text
    assert "\\u04" not in text and "\\u0" not in text


def test_a_summary_in_plain_words_sits_beside_it(client: Client, russian_family: Any) -> None:
    client.force_login(russian_family.patient)
    summary = _export(client).read("summary.txt").decode("utf-8")
    assert russian_family.reference in summary
    assert "Patient: Анна Смирнова" in summary
    assert "Written by: Ольга Смирнова (A relative or friend of the patient)" in summary
    assert "Processing of health data" in summary
    assert "Request received" in summary


def test_the_summary_speaks_the_readers_language(client: Client, russian_family: Any) -> None:
    client.force_login(russian_family.patient)
    client.cookies["django_language"] = "ru"
    summary = _export(client).read("summary.txt").decode("utf-8")
    assert "Пациент: Анна Смирнова" in summary
    assert "Заявка получена" in summary or "Согласия:" in summary
