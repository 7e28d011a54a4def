"""Every code a coordinator reads on the triage pages goes through its label: the findings form's
options, the NOMS pathway, the bands, what is still needed, and the history."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from oncoroute.triage.services import case_triage_record
from tests.factories import submitted_case

pytestmark = pytest.mark.django_db

LESION = {
    "levels": ["L1"],
    "pain": "mechanical",
    "lesion_type": "lytic",
    "alignment": "normal",
    "collapse": "lt50",
    "posterolateral": "none",
}
FINDINGS: dict[str, Any] = {
    "primary": "breast",
    "kps": 80,
    "escc": "1a",
    "frankel": "E",
    "n_vertebral_mets": 1,
    "extraspinal_bone_mets": 0,
    "visceral_mets": "none",
    "lesions": [LESION],
}
RAW_CODE = re.compile(
    r"\b(gt50|lt50|none gt50 involved|none_gt50_involved|ge12m|ge6m|lt6m|cement_augmentation"
    r"|labs\.\w+|hb_g_dl|Psma pet positive|ids, comma-separated|not_eligible)\b"
)


@pytest.fixture
def coordinator_client(client: Client, coordinator: Any, password: str) -> Client:
    client.login(username=coordinator.username, password=password)
    return client


def _visible(html: str) -> str:
    """The text a person reads: no tags, no attribute values."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S))


def test_the_findings_form_names_every_option(coordinator_client: Client) -> None:
    case = submitted_case()
    html = coordinator_client.get(reverse("case_findings", args=[case.reference])).content.decode()
    text = _visible(html)
    assert "More than 50% collapse" in text
    assert "No collapse, more than 50% of the body involved" in text
    assert "Abiraterone" in text
    assert not RAW_CODE.findall(text), RAW_CODE.findall(text)


def test_the_panel_names_the_pathway_bands_and_what_is_still_needed(
    coordinator_client: Client, coordinator: Any
) -> None:
    case = submitted_case()
    case_triage_record(case=case, findings=FINDINGS, actor=coordinator)
    html = coordinator_client.get(reverse("coordinator_case", args=[case.reference])).content
    text = _visible(html.decode())
    assert "NOMS pathway: " in text
    assert "months or more predicted" in text or "Under 6 months predicted" in text
    assert "Haemoglobin (g/dL)" in text  # still needed, as the findings form names it
    assert not RAW_CODE.findall(text), RAW_CODE.findall(text)


def test_the_history_prints_no_python(coordinator_client: Client, coordinator: Any) -> None:
    case = submitted_case()
    case_triage_record(case=case, findings=FINDINGS, actor=coordinator)
    case_triage_record(case=case, findings={**FINDINGS, "kps": 50}, actor=coordinator)
    html = coordinator_client.get(reverse("case_triage_history", args=[case.reference]))
    text = _visible(html.content.decode())
    assert "[" not in text
    assert "False" not in text and "True" not in text
    assert "None" not in text
    assert "Eligible therapies" in text
    assert "Possible cord compression" in text


def test_the_clinic_reads_the_shared_triage_summary_in_words(coordinator: Any) -> None:
    from django.template import Context, Template

    template = Template(
        "{% load triage_labels %}{% for key, value in triage.items %}"
        "{{ key|summary_key_label }}={{ value|summary_value_text:key }};{% endfor %}"
    )
    triage = {
        "tokuhashi_band": "ge12m",
        "noms_recommendation": "cement_augmentation+cEBRT",
        "mscc_urgent": False,
        "eligible": ["cebrt", "vertebral_augmentation"],
    }
    text = template.render(Context({"triage": triage}))
    assert "Revised Tokuhashi band=12 months or more predicted;" in text
    assert "NOMS pathway=Cement augmentation and conventional radiotherapy;" in text
    assert "Possible cord compression=No;" in text
    assert "Vertebroplasty or balloon kyphoplasty" in text
    assert "[" not in text
