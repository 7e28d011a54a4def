"""The one reader of a stored triage report: every page, export and API that reads a snapshot's
report goes through `StoredTriage.from_stored`, so no string key of the stored JSON is spelled
anywhere else. Reports of older rule versions read too: what they lack takes its empty value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from oncoroute.clinical.labels import (
    BAND_LABELS,
    COMPONENT_LABELS,
    NOMS_LABELS,
    SINS_BAND_LABELS,
    TRAVEL_LABELS,
    TRIAGE_LEVEL_LABELS,
    criterion_label,
    value_label,
)

_READ = ConfigDict(extra="ignore", frozen=True)
Scalar = str | int | float | bool | None


class StoredComponent(BaseModel):
    """One input of a score and the points it gave (a range while the input is unknown)."""

    model_config = _READ
    name: str
    input: Any = None
    points: int | None = None
    points_range: tuple[int, int] | None = None

    @property
    def label(self) -> str:
        return COMPONENT_LABELS.get(self.name, self.name.replace("_", " ").capitalize())

    @property
    def input_text(self) -> str:
        """The input as words: labelled values, lists joined, yes or no; '' when unknown."""
        return input_text(self.input)


class StoredCriterion(BaseModel):
    """One test of a decision rule and its three-valued outcome."""

    model_config = _READ
    test: str
    passed: bool | None = None

    @property
    def label(self) -> str:
        return criterion_label(self.test)


class StoredResult(BaseModel):
    """The explained result of one rule, as the clinical core wrote it."""

    model_config = _READ
    rule_id: str = ""
    name: str = ""
    citation: str = ""
    value: Scalar = None
    band: str | None = None
    meaning: str = ""
    range: tuple[int, int] | None = None
    components: tuple[StoredComponent, ...] = ()
    criteria: tuple[StoredCriterion, ...] = ()
    needs: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()

    @property
    def value_text(self) -> str:
        """The value as a person reads it: the score, its possible range, or a dash."""
        if self.value is not None and not isinstance(self.value, bool):
            return str(self.value)
        if self.range is not None:
            low, high = self.range
            return f"{low}–{high}" if low != high else str(low)
        return "—"

    @property
    def complete(self) -> bool:
        return not self.needs

    @property
    def band_label(self) -> str:
        return BAND_LABELS.get(self.band or "", self.band or "")

    @property
    def value_label(self) -> str:
        """A recommendation by its label (the NOMS pathway), else the value as text."""
        if isinstance(self.value, str) and self.value in NOMS_LABELS:
            return NOMS_LABELS[self.value]
        return self.value_text

    @property
    def is_eligible(self) -> bool:
        return self.value is True


def input_text(value: Any) -> str:
    """A stored input as a person reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(input_text(item) for item in value)
    if isinstance(value, Mapping):
        return "; ".join(
            f"{COMPONENT_LABELS.get(k, k.replace('_', ' '))}: {input_text(v) or '?'}"
            for k, v in value.items()
        )
    return value_label(value)


class StoredSummary(BaseModel):
    """The headline of a triage: scores, bands, the pathway and the therapy ids found eligible."""

    model_config = _READ
    sins: int | None = None
    sins_band: str | None = None
    tokuhashi: int | None = None
    tokuhashi_range: tuple[int, int] | None = None
    tokuhashi_band: str | None = None
    tomita: int | None = None
    tomita_band: str | None = None
    modified_bauer: int | None = None
    nesms: int | None = None
    noms_recommendation: str | None = None
    mscc_urgent: bool | None = None
    triage: str = "routine"
    travel: str = ""
    eligible: tuple[str, ...] = ()

    @property
    def triage_label(self) -> str:
        return TRIAGE_LEVEL_LABELS.get(self.triage, self.triage)

    @property
    def travel_label(self) -> str:
        return TRAVEL_LABELS.get(self.travel, self.travel)

    @property
    def sins_band_label(self) -> str:
        return SINS_BAND_LABELS.get(self.sins_band or "", "")

    def rows(self) -> list[tuple[str, Scalar | tuple[Any, ...]]]:
        """(field, value) in the core's order, for tables that compare triages."""
        return [(name, getattr(self, name)) for name in type(self).model_fields]

    def shareable(self, keys: tuple[str, ...]) -> dict[str, Any]:
        """The named fields as plain JSON, for what leaves the platform de-identified."""
        return self.model_dump(mode="json", include=set(keys))


SCORE_KEYS = ("sins", "tokuhashi", "tomita", "modified_bauer", "nesms")
GRADE_KEYS = ("escc", "frankel", "performance")


class StoredTriage(BaseModel):
    """A snapshot's whole report: the summary, every explained result, eligibility, needs."""

    model_config = _READ
    rules_version: str = ""
    summary: StoredSummary = Field(default_factory=StoredSummary)
    results: dict[str, StoredResult] = Field(default_factory=dict)
    sins_lesions: tuple[StoredResult, ...] = ()
    eligibility: dict[str, StoredResult] = Field(default_factory=dict)
    flags: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    ra223_label: str = ""

    @classmethod
    def from_stored(cls, report: Mapping[str, Any]) -> StoredTriage:
        return cls.model_validate(report)

    @property
    def mscc(self) -> StoredResult | None:
        return self.results.get("mscc")

    @property
    def noms(self) -> StoredResult | None:
        return self.results.get("noms")

    @property
    def travel(self) -> StoredResult | None:
        return self.results.get("travel")

    @property
    def scores(self) -> list[StoredResult]:
        return [self.results[key] for key in SCORE_KEYS if key in self.results]

    @property
    def grades(self) -> list[StoredResult]:
        return [self.results[key] for key in GRADE_KEYS if key in self.results]

    @property
    def eligible(self) -> list[StoredResult]:
        return [result for result in self.eligibility.values() if result.is_eligible]

    @property
    def ineligible(self) -> list[StoredResult]:
        return [result for result in self.eligibility.values() if not result.is_eligible]

    def therapy_name(self, therapy_id: str) -> str:
        result = self.eligibility.get(therapy_id)
        return result.name if result and result.name else therapy_id

    def lesion_results(self) -> tuple[StoredResult, ...]:
        """One SINS result per lesion; the overall one when lesions were not scored apart."""
        if self.sins_lesions:
            return self.sins_lesions
        overall = self.results.get("sins")
        return (overall,) if overall else ()
