"""Therapy eligibility: the `eligible` list (SPEC §9, §10.3 items 2, 5, 8–11).

Each therapy has one generator yielding its tests in order; evaluation stops at the first test that
fails, so an ineligible therapy shows the reason that ruled it out. Hard tests decide: a failed one
rules the therapy out, an undecided one leaves it out and lists the inputs it needs. Soft tests
(safety booleans, laboratory values, and the KPS ≤ 40 gate when KPS is only partly known) block only
when known to fail; unknown marks the match provisional. Every rule here is a platform convention
built on the sources cited per therapy; radium-223 follows the EU restriction unless
`ra223_label="us"`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final, Literal

from oncoroute.clinical.case import CaseFacts, contiguous_run
from oncoroute.clinical.constants import (
    ANDROGEN_RECEPTOR_PATHWAY_INHIBITORS,
    ESCC_HIGH_GRADES,
    ESCC_LOW_GRADES,
    TAXANES,
)
from oncoroute.clinical.findings import Findings
from oncoroute.clinical.neurology import complete_paralysis_over_48h
from oncoroute.clinical.noms import instability_action, radiosensitivity
from oncoroute.clinical.result import (
    Criterion,
    Tri,
    all_of,
    any_of,
    at_least,
    is_equal,
    is_in,
    negate,
)

Ra223Label = Literal["eu", "us"]

CITATION: Final[dict[str, str]] = {
    "cebrt": (
        "Lutz S, et al. Pract Radiat Oncol 2017;7(1):4–12; Hoskin PJ, et al. JAMA "
        "2019;322:2084 — SPEC §9.1"
    ),
    "sbrt": (
        "Sahgal A, et al. Lancet Oncol 2021;22:1023–1033 (SC.24); Ryu S, et al. JAMA "
        "Oncol 2023;9(6):800–807 — SPEC §9.2"
    ),
    "surgical_decompression": (
        "Patchell RA, et al. Lancet 2005;366:643–648; Laufer I, et al. Oncologist "
        "2013;18(6):744–751 — SPEC §9.3"
    ),
    "vertebral_augmentation": (
        "Tsoumakidou G, et al. Cardiovasc Intervent Radiol 2017;40:331–342 (CIRSE); "
        "Berenson J, et al. Lancet Oncol 2011;12:225–235 — SPEC §9.4"
    ),
    "surgical_stabilization": (
        "Fisher CG, et al. Spine 2010;35(22):E1221; Laufer I, et al. Oncologist "
        "2013;18(6):744–751 — SPEC §9.5"
    ),
    "preop_embolization": (
        "Berkefeld J, et al. AJNR 1999;20:757–763; pre-operative embolisation series "
        "PMC3806015 — SPEC §9.6"
    ),
    "ra223": (
        "Xofigo FDA label; EMA referral 2018; Parker C, et al. NEJM 2013;369:213–223 "
        "(ALSYMPCA); NICE TA412 — SPEC §9.7"
    ),
    "lu177_psma": (
        "Pluvicto FDA label (2025); Sartor O, et al. NEJM 2021;385:1091–1103 (VISION); "
        "PSMAfore (Morris 2024) — SPEC §9.8"
    ),
    "lu177_dotatate": (
        "Lutathera FDA label (2024); Strosberg J, et al. NEJM 2017;376:125–135 (NETTER-1)"
        " — SPEC §9.9"
    ),
    "bone_targeted_agent": (
        "NICE TA265; Terpos E, et al. J Clin Oncol 2013;31:2347–2357 (IMWG); NICE "
        "CG75/NG234 — SPEC §9.10"
    ),
}
NAME: Final[dict[str, str]] = {
    "cebrt": "Conventional external-beam radiotherapy",
    "sbrt": "Stereotactic body radiotherapy / radiosurgery (incl. CyberKnife)",
    "surgical_decompression": "Decompressive or separation surgery",
    "vertebral_augmentation": "Vertebroplasty or balloon kyphoplasty",
    "surgical_stabilization": "Surgical stabilisation (percutaneous or open instrumentation)",
    "preop_embolization": "Pre-operative transarterial (bland) embolisation",
    "ra223": "Radium-223 (Xofigo)",
    "lu177_psma": "177Lu-PSMA-617 (Pluvicto)",
    "lu177_dotatate": "177Lu-DOTATATE (Lutathera)",
    "bone_targeted_agent": "Bone-targeted agent (bisphosphonate or denosumab)",
}
FACTS: Final[dict[str, str]] = {
    "cebrt": (
        "8 Gy × 1, 20 Gy/5, 24 Gy/6 and 30 Gy/10 relieve painful bone metastases equally;"
        " a single fraction is more often repeated."
    ),
    "sbrt": (
        "High-dose radiotherapy to up to three adjacent vertebrae; SC.24 gave more "
        "complete pain responses than 20 Gy/5."
    ),
    "surgical_decompression": (
        "Surgery plus radiotherapy kept more patients walking than radiotherapy alone "
        "(Patchell 2005: 84 % vs 57 %)."
    ),
    "vertebral_augmentation": (
        "Bone cement injected through a needle (a balloon first, for kyphoplasty) to "
        "stabilise the vertebra and relieve pain; it does not remove tumour."
    ),
    "surgical_stabilization": (
        "Screws and rods, through small incisions or open surgery, for an unstable spine."
    ),
    "preop_embolization": (
        "Blocking the tumour's blood supply the day before surgery reduces bleeding in "
        "very vascular tumours."
    ),
    "ra223": "6 injections of 55 kBq/kg, 4 weeks apart; not with abiraterone + prednisone.",
    "lu177_psma": "7.4 GBq every 6 weeks (± 1 week), up to 6 doses.",
    "lu177_dotatate": "7.4 GBq every 8 weeks, 4 doses.",
    "bone_targeted_agent": (
        "Zoledronic acid 4 mg every 3–4 weeks or denosumab 120 mg every 4 weeks; dental "
        "check first."
    ),
}

PAIN_PRESENT: Final = frozenset({"mechanical", "occasional_nonmechanical"})
AUGMENTATION_COLLAPSE: Final = frozenset({"gt50", "lt50", "none_gt50_involved"})
SBRT_ESCC: Final = frozenset({"0", "1a", "1b", "1c"})
EMBOLIZATION_PRIMARIES: Final = frozenset({"kidney", "thyroid", "liver", "neuroendocrine"})
NO_BONE_AGENT_PRIMARIES: Final = frozenset({"lymphoma", "leukaemia"})
OLIGOMETASTATIC_MAX_LESIONS: Final = 5

# A test is (kind, name, outcome, input fields). HARD decides: False rules the therapy out,
# unknown leaves it undetermined. SOFT (safety, laboratory) blocks only when known to fail;
# unknown is provisional. NEED only lists inputs the rule treats as known (SPEC §10.3 item 8).
HARD: Final = 0
SOFT: Final = 1
NEED: Final = 2
Test = tuple[int, str, Tri, tuple[str, ...]]
KPS_FIELD: Final = ("kps",)
Tests = Iterator[Test]
ELIGIBLE_BANDS: Final = frozenset({"eligible", "provisional"})
BAND_MEANING: Final[dict[tuple[str, str], str]] = {
    (therapy_id, band): f"{NAME[therapy_id]}: {band.replace('_', ' ')}. {FACTS[therapy_id]}"
    for therapy_id in NAME
    for band in ("eligible", "provisional", "not_eligible", "undetermined")
}


def need(*fields: str) -> Test:
    """Inputs to list as needed although the rule treats them as known (SPEC §10.3 item 8)."""
    return NEED, "", None, fields


def not_equal(value: object, excluded: object) -> Tri:
    return None if value is None else value != excluded


def pain_present(facts: CaseFacts) -> Tri:
    return is_in(facts.index.pain, PAIN_PRESENT)


def performance_gate(facts: CaseFacts) -> Test:
    """KPS ≤ 40: only palliative cEBRT may be listed (SPEC §9)."""
    return SOFT, "kps_gt_40", facts.kps_above_40, KPS_FIELD


def lab_at_least(findings: Findings, lab: str, threshold: float) -> Test:
    """A laboratory threshold, checked only when the value is supplied (SPEC §9)."""
    value: float | None = getattr(findings.labs, lab) if findings.labs is not None else None
    return SOFT, f"{lab}_ge_{threshold:g}", at_least(value, threshold), (f"labs.{lab}",)


def any_drug(findings: Findings, drugs: frozenset[str], *, include_current: bool) -> Tri:
    """Whether any listed drug was given; unknown when a history list needed is missing."""
    lists = [findings.prior_therapies]
    if include_current:
        lists.append(findings.current_therapies)
    return any_of(*(None if given is None else not drugs.isdisjoint(given) for given in lists))


def fit_for_surgery(facts: CaseFacts) -> Tests:
    """KPS ≥ 50, Tokuhashi minimum ≥ 9, not completely paralysed for over 48 h (SPEC §6.5)."""
    findings = facts.findings
    yield HARD, "kps_ge_50", facts.kps_at_least(50), ("kps",)
    low, high = facts.tokuhashi_range
    if low < 9 <= high:
        yield need(*facts.tokuhashi.needs)
    yield HARD, "tokuhashi_min_ge_9", low >= 9, ()
    if findings.frankel == "A" and findings.paralysis_hours is None:
        yield need("paralysis_hours")
    paralysis = complete_paralysis_over_48h(findings.frankel, findings.paralysis_hours)
    yield HARD, "not_complete_paralysis_over_48h", negate(paralysis), ("frankel",)


def prior_rt(facts: CaseFacts) -> Tests:
    """Unknown counts as no previous radiotherapy, and is listed as needed (SPEC §10.3 item 8)."""
    if facts.findings.prior_rt_same_site is None:
        yield need("prior_rt_same_site")


def cebrt(facts: CaseFacts) -> Tests:
    """SPEC §9.1: symptomatic or compressive lesion, not previously irradiated (no KPS gate)."""
    findings = facts.findings
    yield (
        HARD,
        "pain_or_epidural_disease_or_deficit",
        any_of(
            not_equal(facts.index.pain, "none"),
            not_equal(findings.escc, "0"),
            not_equal(findings.frankel, "E"),
        ),
        ("pain", "escc", "frankel"),
    )
    yield from prior_rt(facts)
    yield HARD, "no_prior_rt_same_site", findings.prior_rt_same_site is not True, ()


def oligometastatic(facts: CaseFacts) -> Tri:
    """Known extraspinal count, ≤ 5 bone lesions in all, visceral none or removable (SPEC §9.2)."""
    findings = facts.findings
    if findings.extraspinal_bone_mets is None:
        return False
    total = (
        None if facts.n_vertebral is None else facts.n_vertebral + findings.extraspinal_bone_mets
    )
    return all_of(
        None if total is None else total <= OLIGOMETASTATIC_MAX_LESIONS,
        is_in(findings.visceral_mets, {"none", "removable"}),
    )


def run_at_most_3(facts: CaseFacts) -> Tri:
    """Contiguous involved levels containing the index lesion ≤ 3 (SPEC §9.2)."""
    index_levels = facts.index.levels
    if not index_levels:
        return None
    if facts.involved_levels is None:
        return False if contiguous_run(index_levels, frozenset(index_levels)) > 3 else None
    return contiguous_run(index_levels, facts.involved_levels) <= 3


def sbrt(facts: CaseFacts) -> Tests:
    """SPEC §9.2, after the SC.24 eligibility (ECOG 0–2, ≤ 3 segments, no instability/MSCC)."""
    findings = facts.findings
    yield HARD, "frankel_e", is_equal(findings.frankel, "E"), ("frankel",)
    yield HARD, "escc_0_to_1c", is_in(findings.escc, SBRT_ESCC), ("escc",)
    yield HARD, "no_mscc_red_flag", negate(facts.mscc_urgent), ("red_flags",)
    yield HARD, "sins_lt_13", negate(facts.sins_at_least(13)), tuple(facts.sins.needs)
    yield HARD, "kps_ge_50", facts.kps_at_least(50), ("kps",)
    yield performance_gate(facts)
    yield from prior_rt(facts)
    yield (
        HARD,
        "indication",
        any_of(
            not_equal(facts.index.pain, "none"),
            not_equal(findings.escc, "0"),
            oligometastatic(facts),
            findings.prior_rt_same_site is True,
        ),
        ("pain", "escc", "n_vertebral_mets", "visceral_mets"),
    )
    yield HARD, "contiguous_levels_le_3", run_at_most_3(facts), ("index_levels", "levels")


def surgical_decompression(facts: CaseFacts) -> Tests:
    """SPEC §9.3: high-grade ESCC, fit for surgery, not highly radiosensitive (Patchell 2005)."""
    findings = facts.findings
    yield HARD, "escc_2_or_3", is_in(findings.escc, ESCC_HIGH_GRADES), ("escc",)
    yield performance_gate(facts)
    sensitivity = None if findings.primary is None else radiosensitivity(findings.primary)
    yield (
        HARD,
        "not_highly_radiosensitive",
        not_equal(sensitivity, "highly_sensitive"),
        ("primary",),
    )
    yield from fit_for_surgery(facts)


def vertebral_augmentation(facts: CaseFacts) -> Tests:
    """SPEC §9.4, after the CIRSE 2017 indications and contraindications."""
    lesion = facts.index
    findings = facts.findings
    yield HARD, "pain_present", pain_present(facts), ("pain",)
    yield (
        HARD,
        "collapse_or_body_involved",
        is_in(lesion.collapse, AUGMENTATION_COLLAPSE),
        ("collapse",),
    )
    yield performance_gate(facts)
    yield HARD, "escc_0_1a_1b", is_in(findings.escc, ESCC_LOW_GRADES), ("escc",)
    yield HARD, "no_subluxation", not_equal(lesion.alignment, "subluxation"), ("alignment",)
    yield SOFT, "no_infection_at_site", negate(findings.infection_at_site), ("infection_at_site",)
    yield (
        SOFT,
        "coagulopathy_corrected",
        negate(findings.coagulopathy_uncorrected),
        ("coagulopathy_uncorrected",),
    )


def surgical_stabilization(facts: CaseFacts) -> Tests:
    """SPEC §9.5: instability needing action and fit for surgery."""
    yield HARD, "instability_action", instability_action(facts), tuple(facts.sins.needs)
    yield performance_gate(facts)
    yield from fit_for_surgery(facts)


def preop_embolization(
    facts: CaseFacts, operations: tuple[EligibilityResult, EligibilityResult]
) -> Tests:
    """SPEC §9.6: hypervascular primary and an eligible operation."""
    yield (
        HARD,
        "hypervascular_primary",
        is_in(facts.findings.primary, EMBOLIZATION_PRIMARIES),
        ("primary",),
    )
    yield performance_gate(facts)
    outcomes = [operation.outcome for operation in operations]
    operation_needs = [field for operation in operations for field in operation.needs]
    yield HARD, "surgery_eligible", any_of(*outcomes), (*operation_needs,)


def ra223(facts: CaseFacts, label: Ra223Label = "eu") -> Tests:
    """SPEC §9.7 (EU restriction 2018; ALSYMPCA ≥ 2 bone lesions; first-dose blood counts)."""
    findings = facts.findings
    yield HARD, "prostate_primary", is_equal(findings.primary, "prostate"), ("primary",)
    yield performance_gate(facts)
    yield HARD, "male", is_equal(findings.sex, "M"), ("sex",)
    yield HARD, "castration_resistant", findings.castration_resistant, ("castration_resistant",)
    yield HARD, "symptomatic", pain_present(facts), ("pain",)
    extraspinal = findings.extraspinal_bone_mets or 0
    bone_lesions = None if facts.n_vertebral is None else facts.n_vertebral + extraspinal
    yield HARD, "bone_lesions_ge_2", at_least(bone_lesions, 2), ("n_vertebral_mets",)
    yield HARD, "no_visceral_mets", is_equal(findings.visceral_mets, "none"), ("visceral_mets",)
    current = findings.current_therapies
    on_abiraterone = None if current is None else "abiraterone" in current
    yield HARD, "not_on_abiraterone", negate(on_abiraterone), ("current_therapies",)
    if label == "eu":
        yield from prior_lines(findings)
    yield lab_at_least(findings, "anc_10e9_l", 1.5)
    yield lab_at_least(findings, "platelets_10e9_l", 100)
    yield lab_at_least(findings, "hb_g_dl", 10)


def prior_lines(findings: Findings) -> Tests:
    """≥ 2 prior mCRPC lines or ineligible for other systemic therapy (SPEC §10.3 item 8)."""
    if findings.ineligible_other_systemic is True:
        yield HARD, "two_prior_lines_or_ineligible", True, ()
        return
    if findings.mcrpc_lines is None:
        yield need("mcrpc_lines")
    yield HARD, "two_prior_lines_or_ineligible", (findings.mcrpc_lines or 0) >= 2, ()


def lu177_psma(facts: CaseFacts) -> Tests:
    """SPEC §9.8 (label 2025; VISION and PSMAfore eligibility)."""
    findings = facts.findings
    yield HARD, "prostate_primary", is_equal(findings.primary, "prostate"), ("primary",)
    yield performance_gate(facts)
    yield HARD, "castration_resistant", findings.castration_resistant, ("castration_resistant",)
    yield HARD, "psma_pet_positive", findings.psma_pet_positive, ("psma_pet_positive",)
    yield (
        HARD,
        "no_psma_negative_lesions",
        negate(findings.psma_negative_lesions),
        ("psma_negative_lesions",),
    )
    yield (
        HARD,
        "arpi_given",
        any_drug(findings, ANDROGEN_RECEPTOR_PATHWAY_INHIBITORS, include_current=True),
        ("prior_therapies", "current_therapies"),
    )
    yield (
        HARD,
        "taxane_given_or_deferral_appropriate",
        any_of(
            any_drug(findings, TAXANES, include_current=False),
            findings.taxane_deferral_appropriate,
        ),
        ("prior_therapies", "taxane_deferral_appropriate"),
    )
    yield HARD, "ecog_le_2", facts.kps_at_least(50), ("kps",)
    yield lab_at_least(findings, "anc_10e9_l", 1.5)
    yield lab_at_least(findings, "platelets_10e9_l", 100)
    yield lab_at_least(findings, "hb_g_dl", 9)
    yield lab_at_least(findings, "crcl_ml_min", 50)


def lu177_dotatate(facts: CaseFacts) -> Tests:
    """SPEC §9.9 (label 2024; NETTER-1). `neuroendocrine` is well differentiated (§10.3 item 1)."""
    findings = facts.findings
    yield (
        HARD,
        "well_differentiated_net",
        is_equal(findings.primary, "neuroendocrine"),
        ("primary",),
    )
    yield performance_gate(facts)
    yield HARD, "gep_site", is_equal(findings.net_site, "gep"), ("net_site",)
    yield HARD, "sstr_positive", findings.sstr_positive, ("sstr_positive",)
    yield HARD, "age_ge_12", at_least(findings.age, 12), ("age",)
    yield HARD, "kps_ge_60", facts.kps_at_least(60), ("kps",)
    yield lab_at_least(findings, "hb_g_dl", 8)
    yield lab_at_least(findings, "platelets_10e9_l", 75)
    yield lab_at_least(findings, "crcl_ml_min", 50)


def bone_targeted_agent(facts: CaseFacts) -> Tests:
    """SPEC §9.10, §10.3 item 9: solid tumours and myeloma; prostate if castration-resistant."""
    findings = facts.findings
    primary = findings.primary
    yield (
        HARD,
        "not_lymphoma_or_leukaemia",
        negate(is_in(primary, NO_BONE_AGENT_PRIMARIES)),
        ("primary",),
    )
    if primary == "prostate":
        yield (
            HARD,
            "prostate_castration_resistant",
            findings.castration_resistant,
            ("castration_resistant",),
        )
    yield performance_gate(facts)
    yield (
        SOFT,
        "no_uncorrected_hypocalcaemia",
        negate(findings.hypocalcaemia_uncorrected),
        ("hypocalcaemia_uncorrected",),
    )
    yield (
        SOFT,
        "no_dental_extraction_pending",
        negate(findings.dental_extraction_pending),
        ("dental_extraction_pending",),
    )


@dataclass(slots=True)
class EligibilityResult:
    """Explained eligibility of one therapy; its wording comes from lookups by id and band."""

    therapy_id: str
    band: str
    criteria: list[Criterion]
    needs: tuple[str, ...]

    @property
    def value(self) -> bool:
        """Listed in `eligible` (possibly provisional)."""
        return self.band in ELIGIBLE_BANDS

    @property
    def outcome(self) -> Tri:
        """Three-valued: eligible, ruled out, or undetermined."""
        if self.band in ELIGIBLE_BANDS:
            return True
        return False if self.band == "not_eligible" else None

    @property
    def rule_id(self) -> str:
        return f"eligibility_{self.therapy_id}"

    @property
    def name(self) -> str:
        return NAME[self.therapy_id]

    @property
    def citation(self) -> str:
        return CITATION[self.therapy_id]

    @property
    def meaning(self) -> str:
        return BAND_MEANING[self.therapy_id, self.band]

    @property
    def flags(self) -> tuple[str, ...]:
        return ("provisional",) if self.band == "provisional" else ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "name": self.name,
            "citation": self.citation,
            "value": self.value,
            "band": self.band,
            "meaning": self.meaning,
            "range": None,
            "components": [],
            "criteria": [{"test": name, "passed": passed} for name, passed in self.criteria],
            "needs": list(self.needs),
            "flags": list(self.flags),
        }


def evaluate(therapy_id: str, tests: Tests) -> EligibilityResult:
    """Run a therapy's tests in order, stopping at the first failure, and explain the outcome."""
    criteria: list[Criterion] = []
    needs: dict[str, None] = {}
    undecided = provisional = False
    for kind, name, outcome, fields in tests:
        if kind != NEED:
            criteria.append((name, outcome))
            if outcome is False:
                return EligibilityResult(therapy_id, "not_eligible", criteria, ())
            if outcome is True:
                continue
            if kind == HARD:
                undecided = True
            else:
                provisional = True
        for field_name in fields:
            needs[field_name] = None
    band = "undetermined" if undecided else ("provisional" if provisional else "eligible")
    return EligibilityResult(therapy_id, band, criteria, tuple(needs))


Rule = Callable[[CaseFacts], Tests]
RULES: Final[dict[str, Rule]] = {
    "cebrt": cebrt,
    "sbrt": sbrt,
    "surgical_decompression": surgical_decompression,
    "surgical_stabilization": surgical_stabilization,
    "vertebral_augmentation": vertebral_augmentation,
    "lu177_dotatate": lu177_dotatate,
    "lu177_psma": lu177_psma,
    "bone_targeted_agent": bone_targeted_agent,
}


PRIMARY_FIRST_TEST: Final[dict[str, tuple[str, frozenset[str]]]] = {
    "lu177_dotatate": ("well_differentiated_net", frozenset({"neuroendocrine"})),
    "lu177_psma": ("prostate_primary", frozenset({"prostate"})),
    "preop_embolization": ("hypervascular_primary", EMBOLIZATION_PRIMARIES),
    "ra223": ("prostate_primary", frozenset({"prostate"})),
}


def ruled_out_by_primary(therapy_id: str, primary: str | None) -> EligibilityResult | None:
    """The result of a therapy whose first test (the primary) fails, without running the rest."""
    first_test = PRIMARY_FIRST_TEST.get(therapy_id)
    if first_test is None or primary is None or primary in first_test[1]:
        return None
    return EligibilityResult(therapy_id, "not_eligible", [(first_test[0], False)], ())


def eligibility_results(
    facts: CaseFacts, ra223_label: Ra223Label = "eu"
) -> dict[str, EligibilityResult]:
    """Every therapy of SPEC §9, keyed and ordered by id."""
    primary = facts.findings.primary
    results: dict[str, EligibilityResult] = {}
    for therapy_id, rule in RULES.items():
        shortcut = (
            ruled_out_by_primary(therapy_id, primary) if therapy_id in PRIMARY_FIRST_TEST else None
        )
        results[therapy_id] = shortcut or evaluate(therapy_id, rule(facts))
    operations = (results["surgical_decompression"], results["surgical_stabilization"])
    results["preop_embolization"] = ruled_out_by_primary("preop_embolization", primary) or evaluate(
        "preop_embolization", preop_embolization(facts, operations)
    )
    results["ra223"] = ruled_out_by_primary("ra223", primary) or evaluate(
        "ra223", ra223(facts, ra223_label)
    )
    return {therapy_id: results[therapy_id] for therapy_id in sorted(results)}
