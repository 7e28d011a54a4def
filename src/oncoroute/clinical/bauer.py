"""Modified Bauer score (SPEC §5.1).

Leithner A, et al. Revised Bauer score in patients with spinal metastases. Eur Spine J
2008;17(11):1488–1495 — the original score of Bauer HC, Wedin R. Acta Orthop Scand
1995;66(2):143–146 without its pathological-fracture item, so 0–4. Treatment suggestions as
summarised by dss.dign.eu.

Platform conventions (SPEC §5.1): a lung-origin neuroendocrine tumour counts as lung cancer; an
unknown primary counts as "not lung"; plasmacytoma is entered as myeloma.
"""

from __future__ import annotations

from typing import Final

from oncoroute.clinical.result import Component, Result, exact, range_score, total_range

RULE_ID: Final = "modified_bauer_2008"
CITATION: Final = (
    "Leithner A, et al. Eur Spine J 2008;17(11):1488–1495; Bauer HC, Wedin R. Acta Orthop Scand "
    "1995;66(2):143–146 — SPEC §5.1"
)

LUNG_PRIMARIES: Final = frozenset({"lung_nsclc", "lung_sclc"})
FAVOURABLE_PRIMARIES: Final = frozenset({"breast", "kidney", "lymphoma", "myeloma"})

BANDS: Final = ((0, 1, "0-1"), (2, 2, "2"), (3, 4, "3-4"))
BAND_MEANING: Final[dict[str | None, str]] = {
    "0-1": "Modified Bauer 0–1: supportive care, no surgery.",
    "2": "Modified Bauer 2: short-term palliation (posterior surgery).",
    "3-4": "Modified Bauer 3–4: middle-term local control (combined anterior–posterior surgery).",
    None: "Not determined: the possible range crosses a band boundary.",
}


def _item(name: str, favourable: bool | None, value: object) -> Component:
    if favourable is None:
        return Component(name, None, 0, 1)
    return exact(name, value, 1 if favourable else 0)


def primary_is_lung(primary: str, net_site: str | None) -> bool | None:
    """Lung cancer, counting a neuroendocrine tumour of lung origin as lung (SPEC §5.1)."""
    if primary in LUNG_PRIMARIES:
        return True
    if primary == "neuroendocrine":
        return None if net_site in (None, "unknown") else net_site == "lung"
    return False


def solitary_skeletal(n_vertebral: int | None, extraspinal: int | None) -> bool | None:
    """One solitary skeletal metastasis: vertebral + extraspinal bone lesions == 1."""
    if (n_vertebral is not None and n_vertebral >= 2) or (
        extraspinal is not None and extraspinal >= 1
    ):
        return False
    if n_vertebral == 1 and extraspinal == 0:
        return True
    return None


def modified_bauer_result(
    primary: str | None,
    net_site: str | None,
    visceral_mets: str | None,
    n_vertebral: int | None,
    extraspinal: int | None,
) -> Result:
    """Modified Bauer total (0–4), band and treatment suggestion."""
    not_lung = None if primary is None else _negate(primary_is_lung(primary, net_site))
    components = (
        _item(
            "no_visceral_mets",
            None if visceral_mets is None else visceral_mets == "none",
            visceral_mets,
        ),
        _item("primary_not_lung", not_lung, primary),
        _item(
            "favourable_primary",
            None if primary is None else primary in FAVOURABLE_PRIMARIES,
            primary,
        ),
        _item(
            "solitary_skeletal_met",
            solitary_skeletal(n_vertebral, extraspinal),
            {"n_vertebral_mets": n_vertebral, "extraspinal_bone_mets": extraspinal},
        ),
    )
    return range_score(
        RULE_ID,
        "Modified Bauer score",
        CITATION,
        components,
        total_range(components),
        BANDS,
        BAND_MEANING,
        needs=_needs(components, primary, n_vertebral),
    )


def _negate(value: bool | None) -> bool | None:
    return None if value is None else not value


def _needs(
    components: tuple[Component, ...], primary: str | None, n_vertebral: int | None
) -> tuple[str, ...]:
    needs: dict[str, None] = {}
    for component in components:
        if component.min == component.max:
            continue
        if component.name == "no_visceral_mets":
            needs["visceral_mets"] = None
        elif component.name == "solitary_skeletal_met":
            needs["n_vertebral_mets" if n_vertebral is None else "extraspinal_bone_mets"] = None
        elif primary is None:
            needs["primary"] = None
        else:
            needs["net_site"] = None
    return tuple(needs)
