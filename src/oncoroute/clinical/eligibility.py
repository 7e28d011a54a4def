"""Therapy eligibility: the `eligible` list (SPEC §9, §10.3 items 2, 5, 8–11).

Each therapy has one function listing its tests. Hard tests decide: a failed one rules the therapy
out, an undecided one leaves it out and lists the inputs it needs. Soft tests (safety booleans,
laboratory values, the KPS ≤ 40 gate when KPS is only partly known) block only when known to fail;
unknown marks the match provisional. Every rule here is a platform convention built on the sources
cited per therapy; the radium-223 rule follows the EU restriction unless `ra223_label="us"`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal

from oncoroute.clinical.case import CaseFacts, Checks, contiguous_run
from oncoroute.clinical.constants import (
    ANDROGEN_RECEPTOR_PATHWAY_INHIBITORS,
    ESCC_HIGH_GRADES,
    ESCC_LOW_GRADES,
    TAXANES,
)
from oncoroute.clinical.findings import Findings
from oncoroute.clinical.noms import (
    fit_for_surgery,
    instability_action,
    prior_rt_same_site,
    radiosensitivity,
)
from oncoroute.clinical.result import Result, Tri, all_of, any_of, at_least, is_equal, is_in, negate

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


def pain_present(facts: CaseFacts) -> Tri:
    return is_in(facts.index.pain, PAIN_PRESENT)


def not_equal(value: object, excluded: object) -> Tri:
    return None if value is None else value != excluded


def performance_gate(facts: CaseFacts, checks: Checks) -> None:
    """KPS ≤ 40: only palliative cEBRT may be listed (SPEC §9)."""
    checks.soft("kps_gt_40", negate(facts.kps_at_most(40)), "kps")


def lab_at_least(checks: Checks, findings: Findings, lab: str, threshold: float) -> None:
    """A laboratory threshold, checked only when the value is supplied (SPEC §9)."""
    value: float | None = getattr(findings.labs, lab) if findings.labs is not None else None
    checks.soft(f"{lab}_ge_{threshold:g}", at_least(value, threshold), f"labs.{lab}")


def any_drug(findings: Findings, drugs: frozenset[str], *, include_current: bool) -> Tri:
    """Whether any listed drug was given; unknown when a history list needed is missing."""
    lists = [findings.prior_therapies]
    if include_current:
        lists.append(findings.current_therapies)
    outcomes = [None if given is None else not drugs.isdisjoint(given) for given in lists]
    return any_of(*outcomes)


def cebrt(facts: CaseFacts, checks: Checks) -> None:
    """SPEC §9.1: symptomatic or compressive lesion, not previously irradiated (no KPS gate)."""
    findings = facts.findings
    checks.hard(
        "pain_or_epidural_disease_or_deficit",
        any_of(
            not_equal(facts.index.pain, "none"),
            not_equal(findings.escc, "0"),
            not_equal(findings.frankel, "E"),
        ),
        "pain",
        "escc",
        "frankel",
    )
    checks.hard("no_prior_rt_same_site", not prior_rt_same_site(facts, checks))


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


def sbrt(facts: CaseFacts, checks: Checks) -> None:
    """SPEC §9.2, after the SC.24 eligibility."""
    findings = facts.findings
    checks.hard(
        "indication",
        any_of(
            not_equal(facts.index.pain, "none"),
            not_equal(findings.escc, "0"),
            oligometastatic(facts),
            prior_rt_same_site(facts, checks),
        ),
        "pain",
        "escc",
        "extraspinal_bone_mets",
        "n_vertebral_mets",
        "visceral_mets",
    )
    checks.hard("kps_ge_50", facts.kps_at_least(50), "kps")
    checks.hard("contiguous_levels_le_3", run_at_most_3(facts), "index_levels", "levels")
    checks.hard("sins_lt_13", negate(facts.sins_at_least(13)), *facts.sins.needs)
    checks.hard("escc_0_to_1c", is_in(findings.escc, SBRT_ESCC), "escc")
    checks.hard("no_mscc_red_flag", negate(facts.mscc_urgent), "red_flags")
    checks.hard("frankel_e", is_equal(findings.frankel, "E"), "frankel")
    performance_gate(facts, checks)


def surgical_decompression(facts: CaseFacts, checks: Checks) -> None:
    """SPEC §9.3: high-grade ESCC, fit for surgery, not highly radiosensitive (Patchell 2005)."""
    findings = facts.findings
    checks.hard("escc_2_or_3", is_in(findings.escc, ESCC_HIGH_GRADES), "escc")
    fit_for_surgery(facts, checks)
    sensitivity = None if findings.primary is None else radiosensitivity(findings.primary)
    checks.hard("not_highly_radiosensitive", not_equal(sensitivity, "highly_sensitive"), "primary")
    performance_gate(facts, checks)


def vertebral_augmentation(facts: CaseFacts, checks: Checks) -> None:
    """SPEC §9.4, after the CIRSE 2017 indications and contraindications."""
    lesion = facts.index
    findings = facts.findings
    checks.hard("pain_present", pain_present(facts), "pain")
    checks.hard(
        "collapse_or_body_involved", is_in(lesion.collapse, AUGMENTATION_COLLAPSE), "collapse"
    )
    checks.hard("escc_0_1a_1b", is_in(findings.escc, ESCC_LOW_GRADES), "escc")
    checks.hard("no_subluxation", not_equal(lesion.alignment, "subluxation"), "alignment")
    checks.soft("no_infection_at_site", negate(findings.infection_at_site), "infection_at_site")
    checks.soft(
        "coagulopathy_corrected",
        negate(findings.coagulopathy_uncorrected),
        "coagulopathy_uncorrected",
    )
    performance_gate(facts, checks)


def surgical_stabilization(facts: CaseFacts, checks: Checks) -> None:
    """SPEC §9.5: instability needing action and fit for surgery."""
    checks.hard("instability_action", instability_action(facts), *facts.sins.needs)
    fit_for_surgery(facts, checks)
    performance_gate(facts, checks)


def preop_embolization(facts: CaseFacts, checks: Checks) -> None:
    """SPEC §9.6: hypervascular primary and an eligible operation."""
    checks.hard(
        "hypervascular_primary", is_in(facts.findings.primary, EMBOLIZATION_PRIMARIES), "primary"
    )
    operations = (evaluate(surgical_decompression, facts), evaluate(surgical_stabilization, facts))
    operation_needs = [need for operation in operations for need in operation.needs]
    checks.hard("surgery_eligible", any_of(*(op.outcome for op in operations)), *operation_needs)
    performance_gate(facts, checks)


def ra223(facts: CaseFacts, checks: Checks, label: Ra223Label = "eu") -> None:
    """SPEC §9.7 (EU restriction 2018; ALSYMPCA ≥ 2 bone lesions; first-dose blood counts)."""
    findings = facts.findings
    checks.hard("male", is_equal(findings.sex, "M"), "sex")
    checks.hard("prostate_primary", is_equal(findings.primary, "prostate"), "primary")
    checks.hard("castration_resistant", findings.castration_resistant, "castration_resistant")
    checks.hard("symptomatic", pain_present(facts), "pain")
    bone_lesions = (
        None
        if facts.n_vertebral is None
        else facts.n_vertebral + (findings.extraspinal_bone_mets or 0)
    )
    checks.hard("bone_lesions_ge_2", at_least(bone_lesions, 2), "n_vertebral_mets")
    checks.hard("no_visceral_mets", is_equal(findings.visceral_mets, "none"), "visceral_mets")
    on_abiraterone = (
        None if findings.current_therapies is None else "abiraterone" in findings.current_therapies
    )
    checks.hard("not_on_abiraterone", negate(on_abiraterone), "current_therapies")
    if label == "eu":
        prior_lines_test(findings, checks)
    lab_at_least(checks, findings, "anc_10e9_l", 1.5)
    lab_at_least(checks, findings, "platelets_10e9_l", 100)
    lab_at_least(checks, findings, "hb_g_dl", 10)
    performance_gate(facts, checks)


def prior_lines_test(findings: Findings, checks: Checks) -> None:
    """≥ 2 prior mCRPC lines or ineligible for other systemic therapy (SPEC §10.3 item 8)."""
    if findings.ineligible_other_systemic is True:
        checks.hard("two_prior_lines_or_ineligible", True)
        return
    if findings.mcrpc_lines is None:
        checks.need("mcrpc_lines")
    checks.hard("two_prior_lines_or_ineligible", (findings.mcrpc_lines or 0) >= 2)


def lu177_psma(facts: CaseFacts, checks: Checks) -> None:
    """SPEC §9.8 (label 2025; VISION and PSMAfore eligibility)."""
    findings = facts.findings
    checks.hard("prostate_primary", is_equal(findings.primary, "prostate"), "primary")
    checks.hard("castration_resistant", findings.castration_resistant, "castration_resistant")
    checks.hard("psma_pet_positive", findings.psma_pet_positive, "psma_pet_positive")
    checks.hard(
        "no_psma_negative_lesions", negate(findings.psma_negative_lesions), "psma_negative_lesions"
    )
    checks.hard(
        "arpi_given",
        any_drug(findings, ANDROGEN_RECEPTOR_PATHWAY_INHIBITORS, include_current=True),
        "prior_therapies",
        "current_therapies",
    )
    checks.hard(
        "taxane_given_or_deferral_appropriate",
        any_of(
            any_drug(findings, TAXANES, include_current=False),
            findings.taxane_deferral_appropriate,
        ),
        "prior_therapies",
        "taxane_deferral_appropriate",
    )
    checks.hard("ecog_le_2", facts.kps_at_least(50), "kps")
    lab_at_least(checks, findings, "anc_10e9_l", 1.5)
    lab_at_least(checks, findings, "platelets_10e9_l", 100)
    lab_at_least(checks, findings, "hb_g_dl", 9)
    lab_at_least(checks, findings, "crcl_ml_min", 50)
    performance_gate(facts, checks)


def lu177_dotatate(facts: CaseFacts, checks: Checks) -> None:
    """SPEC §9.9 (label 2024; NETTER-1). `neuroendocrine` is well differentiated (§10.3 item 1)."""
    findings = facts.findings
    checks.hard("well_differentiated_net", is_equal(findings.primary, "neuroendocrine"), "primary")
    checks.hard("gep_site", is_equal(findings.net_site, "gep"), "net_site")
    checks.hard("sstr_positive", findings.sstr_positive, "sstr_positive")
    checks.hard("age_ge_12", at_least(findings.age, 12), "age")
    checks.hard("kps_ge_60", facts.kps_at_least(60), "kps")
    lab_at_least(checks, findings, "hb_g_dl", 8)
    lab_at_least(checks, findings, "platelets_10e9_l", 75)
    lab_at_least(checks, findings, "crcl_ml_min", 50)
    performance_gate(facts, checks)


def bone_targeted_agent(facts: CaseFacts, checks: Checks) -> None:
    """SPEC §9.10 and §10.3 item 9."""
    findings = facts.findings
    primary = findings.primary
    checks.hard(
        "not_lymphoma_or_leukaemia", negate(is_in(primary, NO_BONE_AGENT_PRIMARIES)), "primary"
    )
    if primary == "prostate":
        checks.hard(
            "prostate_castration_resistant", findings.castration_resistant, "castration_resistant"
        )
    checks.soft(
        "no_uncorrected_hypocalcaemia",
        negate(findings.hypocalcaemia_uncorrected),
        "hypocalcaemia_uncorrected",
    )
    checks.soft(
        "no_dental_extraction_pending",
        negate(findings.dental_extraction_pending),
        "dental_extraction_pending",
    )
    performance_gate(facts, checks)


Rule = Callable[[CaseFacts, Checks], None]
RULES: Final[dict[str, Rule]] = {
    "bone_targeted_agent": bone_targeted_agent,
    "cebrt": cebrt,
    "lu177_dotatate": lu177_dotatate,
    "lu177_psma": lu177_psma,
    "preop_embolization": preop_embolization,
    "ra223": ra223,
    "sbrt": sbrt,
    "surgical_decompression": surgical_decompression,
    "surgical_stabilization": surgical_stabilization,
    "vertebral_augmentation": vertebral_augmentation,
}


def evaluate(rule: Rule, facts: CaseFacts) -> Checks:
    checks = Checks()
    rule(facts, checks)
    return checks


def eligibility_result(therapy_id: str, checks: Checks) -> Result:
    """Explained eligibility of one therapy."""
    outcome = checks.outcome
    if outcome is True:
        band = "provisional" if checks.provisional else "eligible"
    else:
        band = "not_eligible" if outcome is False else "undetermined"
    needs = tuple(checks.needs) if outcome is not False else ()
    return Result(
        f"eligibility_{therapy_id}",
        NAME[therapy_id],
        CITATION[therapy_id],
        outcome is True,
        band,
        f"{NAME[therapy_id]}: {band.replace('_', ' ')}. {FACTS[therapy_id]}",
        criteria=tuple(checks.criteria),
        needs=needs,
        flags=("provisional",) if band == "provisional" else (),
    )


def eligibility_results(facts: CaseFacts, ra223_label: Ra223Label = "eu") -> dict[str, Result]:
    """Every therapy of SPEC §9, in alphabetical order of id."""
    results: dict[str, Result] = {}
    for therapy_id, rule in RULES.items():
        checks = Checks()
        if therapy_id == "ra223":
            ra223(facts, checks, ra223_label)
        else:
            rule(facts, checks)
        results[therapy_id] = eligibility_result(therapy_id, checks)
    return results
