"""NOMS framework → one recommendation label (SPEC §6.4–§6.5).

Laufer I, Rubin DG, Lis E, et al. The NOMS framework: approach to the treatment of spinal metastatic
tumors. Oncologist 2013;18(6):744–751 (Neurologic, Oncologic, Mechanical, Systemic). Surgery for
high-grade compression with a deficit follows Patchell RA, et al. Lancet 2005;366:643–648; SRS for
re-irradiation follows the ASTRO update (Lutz S, et al. Pract Radiat Oncol 2017;7(1):4–12).

The algorithm, its thresholds (KPS ≥ 50, Tokuhashi ≥ 9, 48 h of paralysis) and the mechanical
overlay are platform conventions (SPEC §6.5). Tests are three-valued; a test passes only when it
holds for every possible value of unknown inputs, and an undecided test lists what it needs.
The label is always "to discuss with a spine MDT"; with MSCC red flags it is informational only.
"""

from __future__ import annotations

from typing import Final

from oncoroute.clinical.case import RADIOSENSITIVITY, CaseFacts, Checks
from oncoroute.clinical.constants import ESCC_HIGH_GRADES, ESCC_LOW_GRADES
from oncoroute.clinical.neurology import complete_paralysis_over_48h, neuro_deficit
from oncoroute.clinical.result import (
    Criterion,
    Result,
    Tri,
    all_of,
    any_of,
    is_equal,
    is_in,
    negate,
)

RULE_ID: Final = "noms_platform"
CITATION: Final = (
    "Laufer I, et al. Oncologist 2013;18(6):744–751 (NOMS); Patchell RA, et al. Lancet "
    "2005;366:643–648; Lutz S, et al. Pract Radiat Oncol 2017;7(1):4–12 — SPEC §6.4–§6.5"
)
SURGICAL_LABELS: Final = frozenset({"separation_surgery+SRS", "decompressive_surgery+cEBRT"})
CEMENT_COLLAPSE: Final = frozenset({"gt50", "lt50", "none_gt50_involved"})
CEMENT_POSTEROLATERAL: Final = frozenset({"none", "unilateral"})

MEANING: Final[dict[str, str]] = {
    "cEBRT": "Conventional external-beam radiotherapy to the spine.",
    "SRS": "Stereotactic radiosurgery / body radiotherapy (high dose to a small target).",
    "palliative_cEBRT": (
        "Palliative radiotherapy (for example a single 8 Gy fraction) or best supportive care."
    ),
    "observation_systemic_therapy": (
        "No local spinal treatment now: observation and systemic therapy for the cancer."
    ),
    "separation_surgery+SRS": (
        "Separation surgery to free the spinal cord, followed by stereotactic radiosurgery."
    ),
    "decompressive_surgery+cEBRT": (
        "Decompressive surgery with stabilisation, followed by conventional radiotherapy."
    ),
    "cement_augmentation+cEBRT": (
        "Cement augmentation of the vertebra plus conventional radiotherapy."
    ),
    "cement_augmentation+SRS": (
        "Cement augmentation of the vertebra plus stereotactic radiosurgery."
    ),
    "surgical_stabilization+cEBRT": "Surgical stabilisation plus conventional radiotherapy.",
    "surgical_stabilization+SRS": "Surgical stabilisation plus stereotactic radiosurgery.",
}
MDT_NOTE: Final = " To discuss with a spine multidisciplinary team."
MSCC_NOTE: Final = (
    " Informational only: possible cord compression needs local emergency care first."
)


def radiosensitivity(primary: str | None) -> str:
    """Radiosensitivity class of SPEC §6.4; a missing primary is handled like an unknown one."""
    return "unknown" if primary is None else RADIOSENSITIVITY[primary]


def fit_for_surgery(facts: CaseFacts, checks: Checks) -> bool:
    """KPS ≥ 50, Tokuhashi minimum ≥ 9, not completely paralysed for over 48 h (SPEC §6.5)."""
    findings = facts.findings
    kps_ok = checks.hard("kps_ge_50", facts.kps_at_least(50), "kps")
    tokuhashi_ok = tokuhashi_at_least_9(facts, checks)
    paralysis = complete_paralysis_over_48h(findings.frankel, findings.paralysis_hours)
    if findings.frankel == "A" and findings.paralysis_hours is None:
        checks.need("paralysis_hours")
    not_paralysed = checks.hard("not_complete_paralysis_over_48h", negate(paralysis), "frankel")
    return kps_ok and tokuhashi_ok and not_paralysed


def fit_for_srs(facts: CaseFacts, checks: Checks) -> bool:
    """KPS ≥ 50 and Tokuhashi minimum ≥ 9 (SPEC §6.5)."""
    kps_ok = checks.hard("kps_ge_50", facts.kps_at_least(50), "kps")
    return tokuhashi_at_least_9(facts, checks) and kps_ok


def tokuhashi_at_least_9(facts: CaseFacts, checks: Checks) -> bool:
    """`tok_min >= 9` is always decided; missing Tokuhashi inputs are listed when they matter."""
    low, high = facts.tokuhashi_range
    if low < 9 <= high:
        checks.need(*facts.tokuhashi.needs)
    checks.criteria.append(("tokuhashi_min_ge_9", low >= 9))
    return low >= 9


def instability_action(facts: CaseFacts) -> Tri:
    """SINS ≥ 13, or SINS 7–12 with mechanical pain (SPEC §6.5)."""
    potentially_unstable = all_of(facts.sins_at_least(7), facts.sins_at_most(12))
    return any_of(
        facts.sins_at_least(13),
        all_of(potentially_unstable, is_equal(facts.index.pain, "mechanical")),
    )


def cement_ok(facts: CaseFacts, checks: Checks) -> bool:
    """Cement alone: normal alignment, posterolateral ≤ unilateral, ESCC ≤ 1b, some collapse."""
    lesion = facts.index
    findings = facts.findings
    results = (
        checks.hard("alignment_normal", is_equal(lesion.alignment, "normal"), "alignment"),
        checks.hard(
            "posterolateral_at_most_unilateral",
            is_in(lesion.posterolateral, CEMENT_POSTEROLATERAL),
            "posterolateral",
        ),
        checks.hard("escc_0_1a_1b", is_in(findings.escc, ESCC_LOW_GRADES), "escc"),
        checks.hard(
            "collapse_or_body_involved", is_in(lesion.collapse, CEMENT_COLLAPSE), "collapse"
        ),
        checks.soft(
            "no_infection_at_site", negate(findings.infection_at_site), "infection_at_site"
        ),
        checks.soft(
            "coagulopathy_corrected",
            negate(findings.coagulopathy_uncorrected),
            "coagulopathy_uncorrected",
        ),
    )
    return all(results)


def base_recommendation(facts: CaseFacts, checks: Checks) -> str:
    """Steps 3 of SPEC §6.5: neurologic + oncologic + systemic, then re-irradiation."""
    findings = facts.findings
    sensitivity = radiosensitivity(findings.primary)
    if findings.primary is None:
        checks.need("primary")
    high_grade = is_in(findings.escc, ESCC_HIGH_GRADES)
    if sensitivity == "highly_sensitive":
        base = "cEBRT"
    elif sensitivity == "moderately_sensitive":
        compressed = checks.hard("escc_2_or_3", high_grade, "escc")
        deficit = checks.hard(
            "neuro_deficit", neuro_deficit(findings.frankel, findings.paralysis_hours), "frankel"
        )
        surgical = compressed and deficit and fit_for_surgery(facts, checks)
        base = "decompressive_surgery+cEBRT" if surgical else "cEBRT"
    elif checks.hard("escc_2_or_3", high_grade, "escc"):
        base = "separation_surgery+SRS" if fit_for_surgery(facts, checks) else "palliative_cEBRT"
    else:
        base = "SRS" if fit_for_srs(facts, checks) else "palliative_cEBRT"
    if base == "cEBRT":
        reirradiation = prior_rt_same_site(facts, checks)
        checks.criteria.append(("prior_rt_same_site", findings.prior_rt_same_site))
        if reirradiation:
            base = "SRS" if fit_for_srs(facts, checks) else "palliative_cEBRT"
    return base


def prior_rt_same_site(facts: CaseFacts, checks: Checks) -> bool:
    """Unknown counts as no previous radiotherapy, and is listed as needed (SPEC §10.3 item 8)."""
    prior = facts.findings.prior_rt_same_site
    if prior is None:
        checks.need("prior_rt_same_site")
    return prior is True


def mechanical_overlay(facts: CaseFacts, checks: Checks, base: str) -> tuple[str, bool]:
    """Step 4 of SPEC §6.5; returns the label and whether instability was left unaddressed."""
    unstable = checks.hard("instability_action", instability_action(facts), *facts.sins.needs)
    if not unstable or base in SURGICAL_LABELS:
        return base, False
    radiation = "SRS" if base == "SRS" else "cEBRT"
    if cement_ok(facts, checks):
        return f"cement_augmentation+{radiation}", False
    if fit_for_surgery(facts, checks):
        return f"surgical_stabilization+{radiation}", False
    return base, True


def recommend(facts: CaseFacts, checks: Checks) -> tuple[str, bool]:
    """Run SPEC §6.5 steps 1–4; steps 1–2 end the algorithm when they match."""
    findings = facts.findings
    lesion = facts.index
    if findings.frankel == "A" and findings.paralysis_hours is None:
        checks.need("paralysis_hours")  # SPEC §10.3 item 4: the duration decides surgery
    if checks.hard("kps_le_40", facts.kps_at_most(40), "kps"):
        return "palliative_cEBRT", False
    asymptomatic_stable = all_of(
        is_equal(lesion.pain, "none"),
        is_in(findings.escc, ESCC_LOW_GRADES),
        facts.sins_at_most(6),
        is_equal(findings.frankel, "E"),
    )
    if checks.hard(
        "pain_free_low_grade_stable_intact",
        asymptomatic_stable,
        "pain",
        "escc",
        *facts.sins.needs,
        "frankel",
    ):
        return "observation_systemic_therapy", False
    return mechanical_overlay(facts, checks, base_recommendation(facts, checks))


def noms_result(facts: CaseFacts) -> Result:
    """The NOMS recommendation with its tests, flags and needed inputs."""
    checks = Checks()
    label, instability_unaddressed = recommend(facts, checks)
    findings = facts.findings
    flags = []
    if "cEBRT" in label and findings.prior_rt_same_site is True:
        flags.append("reirradiation")
    if findings.escc == "1c":
        flags.append("escc_borderline")
    if findings.primary == "unknown":
        flags.append("biopsy_required")
    if instability_unaddressed:
        flags.append("instability_not_addressed")
    if checks.provisional and label.startswith("cement_augmentation"):
        flags.append("provisional")
    meaning = MEANING[label] + MDT_NOTE
    if facts.mscc_urgent:
        flags.append("informational_only_mscc")
        meaning += MSCC_NOTE
    return Result(
        RULE_ID,
        "NOMS recommendation",
        CITATION,
        label,
        radiosensitivity(findings.primary),
        meaning,
        criteria=tuple(first_of_each_name(checks.criteria)),
        needs=tuple(checks.needs),
        flags=tuple(flags),
    )


def first_of_each_name(criteria: list[Criterion]) -> list[Criterion]:
    """Tests re-used by several steps are shown once, with their first outcome."""
    seen: dict[str, Criterion] = {}
    for criterion in criteria:
        seen.setdefault(criterion[0], criterion)
    return list(seen.values())
