"""Benchmark: full triage reports per second on one core, against a plain-dict baseline.

Run: python bench/bench_triage.py [--n 10000] [--seed 2025]

`triage` validates the findings, scores every instrument with ranges and explanations, walks the
NOMS pathway and every eligibility rule, and builds the report objects. The baseline is a plain
function doing the same scoring arithmetic on dicts (scores, ranges, bands, NOMS label, red flags,
travel, eligibility), with no validation, explanations or needs — the floor a report can cost.
Both run in this process over the same seeded findings.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

from oncoroute.clinical import LEVELS, PRIMARIES, RED_FLAGS, triage

Findings = dict[str, Any]


def random_findings(rng: random.Random) -> Findings:
    """Valid canonical findings with some fields missing at random."""
    findings: Findings = {}

    def maybe(key: str, value: Any, p: float = 0.85) -> None:
        if rng.random() < p:
            findings[key] = value

    primary = rng.choice(PRIMARIES)
    maybe("primary", primary, 0.95)
    maybe("sex", "M" if primary == "prostate" else rng.choice(("M", "F")))
    maybe("age", rng.randint(8, 90))
    kps = rng.randrange(10, 101, 10)
    if rng.random() < 0.7:
        findings["kps"] = kps
    elif rng.random() < 0.7:
        findings["ecog"] = (100 - kps) // 20
    start = rng.randrange(0, len(LEVELS) - 3)
    index_levels = list(LEVELS[start : start + rng.choice((1, 1, 2))])
    extra = list(LEVELS[start + 2 : start + 2 + rng.randint(0, 3)])
    if rng.random() < 0.2:
        findings["lesions"] = [
            {
                "levels": index_levels,
                "pain": rng.choice(("mechanical", "none")),
                "lesion_type": "lytic",
            },
            {"levels": extra or ["S3"], "alignment": "normal", "collapse": "lt50"},
        ]
    elif rng.random() < 0.9:
        findings["index_levels"] = index_levels
        maybe("pain", rng.choice(("mechanical", "occasional_nonmechanical", "none")))
        maybe("lesion_type", rng.choice(("lytic", "mixed", "blastic")))
        maybe("alignment", rng.choice(("subluxation", "deformity", "normal")))
        maybe("collapse", rng.choice(("gt50", "lt50", "none_gt50_involved", "none")))
        maybe("posterolateral", rng.choice(("bilateral", "unilateral", "none")))
    maybe("levels", sorted(set(index_levels + extra), key=LEVELS.index), 0.7)
    maybe("n_vertebral_mets", len(set(index_levels + extra)), 0.7)
    maybe("extraspinal_bone_mets", rng.randint(0, 5), 0.7)
    maybe("visceral_mets", rng.choice(("none", "removable", "unremovable")))
    maybe("escc", rng.choice(("0", "1a", "1b", "1c", "2", "3")))
    frankel = rng.choice("ABCDEEEE")
    maybe("frankel", frankel)
    if frankel == "A" and "frankel" in findings:
        maybe("paralysis_hours", rng.choice((6, 24, 72)), 0.5)
    maybe("ambulatory_independent", rng.random() < 0.5, 0.6)
    maybe("albumin_g_dl", round(rng.uniform(2.0, 4.8), 1), 0.6)
    maybe("red_flags", rng.sample(RED_FLAGS, rng.choice((0, 0, 0, 1, 2))), 0.9)
    maybe("prior_rt_same_site", rng.random() < 0.2)
    maybe("infection_at_site", rng.random() < 0.05)
    maybe("coagulopathy_uncorrected", rng.random() < 0.05)
    maybe("hypocalcaemia_uncorrected", rng.random() < 0.05, 0.5)
    maybe("dental_extraction_pending", rng.random() < 0.05, 0.5)
    if primary == "prostate":
        maybe("castration_resistant", rng.random() < 0.6)
        maybe("mcrpc_lines", rng.randint(0, 3), 0.6)
        maybe("psma_pet_positive", rng.random() < 0.7, 0.6)
        maybe("psma_negative_lesions", rng.random() < 0.3, 0.6)
        maybe("prior_therapies", rng.sample(["adt", "enzalutamide", "docetaxel"], 2))
        maybe("current_therapies", rng.sample(["adt", "abiraterone", "prednisone"], 1))
    if primary == "neuroendocrine":
        maybe("net_site", rng.choice(("gep", "lung", "unknown")))
        maybe("sstr_positive", rng.random() < 0.8)
    maybe("labs", {"hb_g_dl": round(rng.uniform(6.5, 15), 1), "platelets_10e9_l": 180.0}, 0.5)
    return findings


# --- baseline: the same arithmetic on plain dicts -------------------------------------------------

LOCATION = {
    **dict.fromkeys(("OCC", "C1", "C2", "C7", "T1", "T2", "T11", "T12", "L1", "L5", "S1"), 3),
    **dict.fromkeys(("C3", "C4", "C5", "C6", "L2", "L3", "L4"), 2),
    **dict.fromkeys(("T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10"), 1),
    **dict.fromkeys(("S2", "S3", "S4", "S5"), 0),
}
SINS_ITEMS = (
    ("pain", {"mechanical": 3, "occasional_nonmechanical": 1, "none": 0}, 3),
    ("lesion_type", {"lytic": 2, "mixed": 1, "blastic": 0}, 2),
    ("alignment", {"subluxation": 4, "deformity": 2, "normal": 0}, 4),
    ("collapse", {"gt50": 3, "lt50": 2, "none_gt50_involved": 1, "none": 0}, 3),
    ("posterolateral", {"bilateral": 3, "unilateral": 1, "none": 0}, 3),
)
TOK_PRIMARY = {
    **dict.fromkeys(
        ("lung_nsclc", "lung_sclc", "osteosarcoma", "stomach", "bladder", "oesophagus", "pancreas"),
        0,
    ),
    **dict.fromkeys(("liver", "gallbladder", "unknown"), 1),
    **dict.fromkeys(("kidney", "uterus"), 3),
    "rectum": 4,
    **dict.fromkeys(("thyroid", "breast", "prostate", "neuroendocrine"), 5),
}
TOMITA_GROWTH = {
    **dict.fromkeys(("breast", "thyroid", "prostate", "neuroendocrine"), 1),
    **dict.fromkeys(
        ("lung_nsclc", "lung_sclc", "liver", "stomach", "colon", "rectum", "unknown"), 4
    ),
    **dict.fromkeys(("osteosarcoma", "bladder", "oesophagus", "pancreas", "gallbladder"), 4),
}
NEURO_FLAGS = frozenset(RED_FLAGS[:6])
ECOG_KPS = {0: (90, 100), 1: (70, 80), 2: (50, 60), 3: (30, 40), 4: (10, 20)}


def _lesion_sins(lesion: Findings, levels_key: str) -> tuple[int, int]:
    levels = lesion.get(levels_key)
    low, high = (max(LOCATION[x] for x in levels),) * 2 if levels else (0, 3)
    for key, table, top in SINS_ITEMS:
        value = lesion.get(key)
        if value is None:
            high += top
        else:
            low += table[value]
            high += table[value]
    return low, high


def _band(low: int, high: int, bands: tuple[tuple[int, int, str], ...]) -> str | None:
    for band_low, band_high, name in bands:
        if band_low <= low and high <= band_high:
            return name
    return None


def baseline(f: Findings) -> Findings:
    """Plain dict in, dict out: the summary arithmetic without validation or explanations."""
    lesions = f.get("lesions") or [f]
    levels_key = "levels" if "lesions" in f else "index_levels"
    ranges = [_lesion_sins(lesion, levels_key) for lesion in lesions]
    sins = (max(r[0] for r in ranges), max(r[1] for r in ranges))
    index = lesions[max(range(len(ranges)), key=lambda i: (ranges[i][1], ranges[i][0]))]
    kps = (f["kps"], f["kps"]) if "kps" in f else ECOG_KPS.get(f.get("ecog", -1), (10, 100))
    kps_points = [0 if k <= 40 else 1 if k <= 70 else 2 for k in kps]
    extra, vert, visc = (
        f.get("extraspinal_bone_mets"),
        f.get("n_vertebral_mets"),
        f.get("visceral_mets"),
    )
    primary, frankel = f.get("primary"), f.get("frankel")
    items = [
        (kps_points[0], kps_points[1]),
        (0, 2) if extra is None else ((0 if extra >= 3 else 1 if extra else 2),) * 2,
        (0, 2) if vert is None else ((0 if vert >= 3 else 1 if vert == 2 else 2),) * 2,
        (0, 2) if visc is None else ({"unremovable": 0, "removable": 1, "none": 2}[visc],) * 2,
        (0, 5) if primary is None else (TOK_PRIMARY.get(primary, 2),) * 2,
        (0, 2) if frankel is None else ({"A": 0, "B": 0, "C": 1, "D": 1, "E": 2}[frankel],) * 2,
    ]
    tok = (sum(i[0] for i in items), sum(i[1] for i in items))
    growth = (1, 4) if primary is None else (TOMITA_GROWTH.get(primary, 2),) * 2
    tvisc = (0, 4) if visc is None else ({"none": 0, "removable": 2, "unremovable": 4}[visc],) * 2
    multiple = (vert or 0) >= 2 or (extra or 0) >= 1
    solitary = vert == 1 and extra == 0
    bone = (2, 2) if multiple else (1, 1) if solitary else (1, 2)
    tomita = (growth[0] + tvisc[0] + bone[0], growth[1] + tvisc[1] + bone[1])
    bauer_items = [
        (0, 1) if visc is None else (int(visc == "none"),) * 2,
        (0, 1) if primary is None else (int(primary not in ("lung_nsclc", "lung_sclc")),) * 2,
        (0, 1)
        if primary is None
        else (int(primary in ("breast", "kidney", "lymphoma", "myeloma")),) * 2,
        (0, 0) if multiple else (1, 1) if solitary else (0, 1),
    ]
    bauer = (sum(i[0] for i in bauer_items), sum(i[1] for i in bauer_items))
    amb, alb = f.get("ambulatory_independent"), f.get("albumin_g_dl")
    amb_r = (0, 1) if amb is None else (int(amb),) * 2
    alb_r = (0, 1) if alb is None else (int(alb >= 3.5),) * 2
    nesms = (
        min(3, 2 * (bauer[0] >= 3) + amb_r[0] + alb_r[0]),
        min(3, 2 * (bauer[1] >= 3) + amb_r[1] + alb_r[1]),
    )
    flags = f.get("red_flags") or []
    urgent = any(flag in NEURO_FLAGS for flag in flags)
    triage_level = "emergency_mscc" if urgent else "urgent_spinal_pain" if flags else "routine"
    escc = f.get("escc")
    hb = (f.get("labs") or {}).get("hb_g_dl")
    clearance = escc in ("2", "3") or sins[0] >= 13 or kps[1] <= 40 or (hb is not None and hb < 7.5)
    travel = (
        "do_not_travel_seek_local_emergency_care"
        if urgent
        else "specialist_clearance_required"
        if clearance
        else "standard_precautions"
    )
    fit = kps[0] >= 50 and tok[0] >= 9 and frankel not in (None, "A")
    pain = index.get("pain")
    if kps[1] <= 40:
        noms = "palliative_cEBRT"
    elif pain == "none" and escc in ("0", "1a", "1b") and sins[1] <= 6 and frankel == "E":
        noms = "observation_systemic_therapy"
    elif primary in ("myeloma", "lymphoma", "leukaemia", "germ_cell", "lung_sclc"):
        noms = "cEBRT"
    elif escc in ("2", "3"):
        noms = "separation_surgery+SRS" if fit else "palliative_cEBRT"
    else:
        noms = "SRS" if fit else "palliative_cEBRT"
    eligible = []
    if pain not in (None, "none") and not f.get("prior_rt_same_site"):
        eligible.append("cebrt")
    if escc in ("2", "3") and fit:
        eligible.append("surgical_decompression")
    if pain not in (None, "none") and index.get("collapse") not in (None, "none"):
        eligible.append("vertebral_augmentation")
    if primary is not None and primary not in ("lymphoma", "leukaemia") and kps[0] > 40:
        eligible.append("bone_targeted_agent")
    return {
        "sins": sins[0] if sins[0] == sins[1] else None,
        "sins_band": _band(
            *sins, ((0, 6, "stable"), (7, 12, "potentially_unstable"), (13, 18, "unstable"))
        ),
        "tokuhashi": tok[0] if tok[0] == tok[1] else None,
        "tokuhashi_range": list(tok),
        "tokuhashi_band": _band(*tok, ((0, 8, "lt6m"), (9, 11, "ge6m"), (12, 15, "ge12m"))),
        "tomita": tomita[0] if tomita[0] == tomita[1] else None,
        "tomita_band": _band(
            *tomita, ((2, 3, "2-3"), (4, 5, "4-5"), (6, 7, "6-7"), (8, 10, "8-10"))
        ),
        "modified_bauer": bauer[0] if bauer[0] == bauer[1] else None,
        "nesms": nesms[0] if nesms[0] == nesms[1] else None,
        "noms_recommendation": noms,
        "mscc_urgent": urgent,
        "triage": triage_level,
        "travel": travel,
        "eligible": sorted(eligible),
    }


def rate(function: Callable[[Findings], object], cases: list[Findings], repeat: int = 3) -> float:
    """Best of `repeat` runs, in calls per second."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for case in cases:
            function(case)
        best = min(best, time.perf_counter() - start)
    return len(cases) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2025)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    cases = [random_findings(rng) for _ in range(options.n)]
    for case in cases[:500]:
        report, plain = triage(case).summary, baseline(case)
        assert (
            report.sins,
            list(report.tokuhashi_range),
            report.tomita,
            report.nesms,
            report.travel,
        ) == (
            plain["sins"],
            plain["tokuhashi_range"],
            plain["tomita"],
            plain["nesms"],
            plain["travel"],
        ), case
    triage_rate = rate(triage, cases)
    to_dict_rate = rate(lambda case: triage(case).to_dict(), cases)
    baseline_rate = rate(baseline, cases)
    print(f"{options.n} varied findings (seed {options.seed}), one core")
    print(
        f"triage: {triage_rate:,.0f} reports/s; baseline: {baseline_rate:,.0f}/s; "
        f"ratio: {triage_rate / baseline_rate:.2f}"
    )
    print(
        f"triage + to_dict: {to_dict_rate:,.0f} reports/s; "
        f"ratio: {to_dict_rate / baseline_rate:.2f}"
    )


if __name__ == "__main__":
    main()
