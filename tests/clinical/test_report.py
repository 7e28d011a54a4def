"""The triage report: summary keys (SPEC §10.2), JSON, determinism, needs, purity."""

from __future__ import annotations

import json
import subprocess
import sys

from oncoroute.clinical import RULES_VERSION, SUMMARY_KEYS, THERAPY_IDS, Findings, triage

from .builders import BASE, findings

SPEC_SUMMARY_KEYS = {
    "sins",
    "sins_band",
    "tokuhashi",
    "tokuhashi_range",
    "tokuhashi_band",
    "tomita",
    "tomita_band",
    "modified_bauer",
    "nesms",
    "noms_recommendation",
    "mscc_urgent",
    "triage",
    "travel",
    "eligible",
}


def test_summary_has_exactly_the_spec_keys() -> None:
    assert set(SUMMARY_KEYS) == SPEC_SUMMARY_KEYS
    assert set(triage(BASE).to_dict()["summary"]) == SPEC_SUMMARY_KEYS
    assert set(triage({}).to_dict()["summary"]) == SPEC_SUMMARY_KEYS


def test_report_is_json_serialisable_and_stamped() -> None:
    data = triage(BASE).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["rules_version"] == RULES_VERSION


def test_report_is_deterministic() -> None:
    first = json.dumps(triage(BASE).to_dict(), sort_keys=True)
    assert all(json.dumps(triage(BASE).to_dict(), sort_keys=True) == first for _ in range(3))


def test_dict_and_model_inputs_give_the_same_report() -> None:
    assert triage(Findings.model_validate(BASE)).to_dict() == triage(BASE).to_dict()


def test_every_result_explains_itself() -> None:
    data = triage(BASE).to_dict()
    results = [*data["results"].values(), *data["eligibility"].values()]
    for result in results:
        assert result["rule_id"] and result["citation"] and result["meaning"]
        assert {"value", "band", "components", "criteria", "needs", "flags"} <= set(result)
    assert set(data["eligibility"]) == set(THERAPY_IDS)


def test_score_components_carry_their_points() -> None:
    sins = triage(BASE).to_dict()["results"]["sins"]
    assert [c["name"] for c in sins["components"]] == [
        "location",
        "pain",
        "bone_lesion",
        "alignment",
        "collapse",
        "posterolateral",
    ]
    assert sum(c["points"] for c in sins["components"]) == sins["value"]


def test_nothing_known_gives_incomplete_results_that_list_needs() -> None:
    report = triage({})
    summary = report.summary
    assert (
        summary.sins,
        summary.tokuhashi,
        summary.tomita,
        summary.modified_bauer,
        summary.nesms,
    ) == (None, None, None, None, None)
    assert summary.tokuhashi_range == (0, 15)
    assert summary.eligible == []
    for needed in (
        "primary",
        "kps",
        "escc",
        "frankel",
        "index_levels",
        "red_flags",
        "visceral_mets",
    ):
        assert needed in report.needs
    assert report.results["tomita"].range == (2, 10)
    assert report.results["nesms"].range == (0, 3)


def test_a_complete_case_needs_nothing_for_its_scores() -> None:
    report = triage(findings(labs={"hb_g_dl": 12.0}))
    for key in ("sins", "tokuhashi", "tomita", "modified_bauer", "nesms", "travel"):
        assert report.results[key].needs == ()


def test_the_clinical_package_does_not_import_django() -> None:
    code = (
        "import sys, oncoroute.clinical, oncoroute.clinical.cli; "
        "from oncoroute.clinical import triage; triage({}); "
        "print(any(name == 'django' or name.startswith('django.') for name in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
