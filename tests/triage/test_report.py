"""The one reader of stored triage reports reads what the core writes, and older reports too."""

from __future__ import annotations

from oncoroute.clinical import SUMMARY_KEYS, triage
from oncoroute.triage.report import StoredSummary, StoredTriage

UNSTABLE_LESION = {
    "levels": ["L1"],
    "pain": "mechanical",
    "lesion_type": "lytic",
    "alignment": "subluxation",
    "collapse": "gt50",
    "posterolateral": "bilateral",
}


def test_it_reads_every_part_of_a_report_the_core_writes() -> None:
    written = triage({"lesions": [UNSTABLE_LESION], "red_flags": ["limb_weakness"]}).to_dict()
    report = StoredTriage.from_stored(written)
    assert report.rules_version == written["rules_version"]
    assert report.summary.sins == 18
    assert report.summary.sins_band == "unstable"
    assert report.summary.triage == "emergency_mscc"
    assert set(report.results) == set(written["results"])
    assert report.scores[0].rule_id == written["results"]["sins"]["rule_id"]
    assert report.needs == tuple(written["needs"])
    assert {r.rule_id for r in report.eligible + report.ineligible} == {
        r["rule_id"] for r in written["eligibility"].values()
    }


def test_the_summary_has_exactly_the_cores_fields_in_its_order() -> None:
    assert tuple(StoredSummary.model_fields) == SUMMARY_KEYS


def test_an_older_report_missing_parts_still_reads() -> None:
    report = StoredTriage.from_stored({"summary": {"triage": "routine"}, "retired_key": 1})
    assert report.summary.sins is None
    assert report.scores == []
    assert report.lesion_results() == ()


def test_the_summary_shares_only_the_keys_asked_for_as_plain_json() -> None:
    written = triage({"lesions": [UNSTABLE_LESION]}).to_dict()
    summary = StoredTriage.from_stored(written).summary
    assert summary.shareable(("sins", "eligible")) == {
        "sins": 18,
        "eligible": written["summary"]["eligible"],
    }


def test_labels_read_from_the_one_table() -> None:
    summary = StoredSummary(triage="emergency_mscc", sins_band="unstable", travel="")
    assert summary.triage_label == "Emergency: possible spinal cord compression"
    assert summary.sins_band_label == "Unstable (SINS 13–18)"
