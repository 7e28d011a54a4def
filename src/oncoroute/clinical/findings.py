"""The canonical findings format (SPEC §10, §10.1, §10.3): one strict model, every field optional.

A missing field means "unknown" and is never replaced by a default. Anything outside the format —
an extra field, a value outside an enumeration, a contradiction listed in §10.3 — is refused with a
`FindingsError` that names the field(s).
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from oncoroute.clinical.constants import (
    LEVELS,
    RED_FLAGS,
    Alignment,
    Collapse,
    EsccGrade,
    FrankelGrade,
    LesionType,
    Level,
    NetDifferentiation,
    NetSite,
    Pain,
    Posterolateral,
    Primary,
    RedFlag,
    Sex,
    VisceralMets,
)
from oncoroute.clinical.performance import ecog_from_kps

INDEX_LESION_FIELDS = ("pain", "lesion_type", "alignment", "collapse", "posterolateral")
TOP_LEVEL_LESION_FIELDS = ("index_levels", *INDEX_LESION_FIELDS)

# SPEC §1.2 lists 30 levels: a list of levels is at most that long, and so is a list of separate
# lesions (each holds at least one level). The vertebrae are those levels but the occiput (§2.5).
MAX_LEVELS = len(LEVELS)
MAX_VERTEBRAE = MAX_LEVELS - 1
# SPEC sets no number for the therapy history; this is far above any patient's.
MAX_THERAPY_HISTORY = 50

TherapyHistoryId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
NonNegativeFloat = Annotated[float, Field(ge=0)]
Levels = Annotated[list[Level], Field(min_length=1, max_length=MAX_LEVELS)]
TherapyHistory = Annotated[list[TherapyHistoryId], Field(max_length=MAX_THERAPY_HISTORY)]


class FindingsError(ValueError):
    """Findings refused; `field` names the first offending field, `fields` all of them."""

    def __init__(self, fields: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.fields = fields
        self.field = fields[0] if fields else ""
        self.message = message

    def __str__(self) -> str:
        return self.message


class _CrossFieldError(ValueError):
    """Raised inside the model validator so the field names survive pydantic's wrapping."""

    def __init__(self, fields: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.fields = fields
        self.message = message


# Infinity and NaN are refused: JSON cannot write them back in the report.
_STRICT = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class Labs(BaseModel):
    """Blood tests used by the radiopharmaceutical eligibility rules (SPEC §9.7–§9.9)."""

    model_config = _STRICT

    anc_10e9_l: NonNegativeFloat | None = None
    platelets_10e9_l: NonNegativeFloat | None = None
    hb_g_dl: NonNegativeFloat | None = None
    crcl_ml_min: NonNegativeFloat | None = None


class Lesion(BaseModel):
    """One spinal lesion for SINS (SPEC §10.1): its levels and the five SINS categories."""

    model_config = _STRICT

    levels: Levels
    pain: Pain | None = None
    lesion_type: LesionType | None = None
    alignment: Alignment | None = None
    collapse: Collapse | None = None
    posterolateral: Posterolateral | None = None


class Findings(BaseModel):
    """Canonical clinical findings of one case (SPEC §10 table); every field optional."""

    model_config = _STRICT

    age: Annotated[int, Field(ge=0, le=130)] | None = None
    sex: Sex | None = None
    primary: Primary | None = None
    histology: Annotated[str, Field(max_length=500)] | None = None
    net_site: NetSite | None = None
    net_differentiation: NetDifferentiation | None = None
    ki67_percent: Annotated[float, Field(ge=0, le=100)] | None = None
    kps: Annotated[int, Field(ge=10, le=100, multiple_of=10)] | None = None
    ecog: Annotated[int, Field(ge=0, le=4)] | None = None
    n_vertebral_mets: Annotated[int, Field(ge=1, le=MAX_VERTEBRAE)] | None = None
    levels: Annotated[list[Level], Field(max_length=MAX_LEVELS)] | None = None
    index_levels: Levels | None = None
    extraspinal_bone_mets: Annotated[int, Field(ge=0)] | None = None
    visceral_mets: VisceralMets | None = None
    pain: Pain | None = None
    lesion_type: LesionType | None = None
    alignment: Alignment | None = None
    collapse: Collapse | None = None
    posterolateral: Posterolateral | None = None
    escc: EsccGrade | None = None
    frankel: FrankelGrade | None = None
    paralysis_hours: NonNegativeFloat | None = None
    ambulatory_independent: bool | None = None
    albumin_g_dl: NonNegativeFloat | None = None
    red_flags: Annotated[list[RedFlag], Field(max_length=len(RED_FLAGS))] | None = None
    prior_therapies: TherapyHistory | None = None
    current_therapies: TherapyHistory | None = None
    castration_resistant: bool | None = None
    mcrpc_lines: Annotated[int, Field(ge=0)] | None = None
    ineligible_other_systemic: bool | None = None
    taxane_deferral_appropriate: bool | None = None
    psma_pet_positive: bool | None = None
    psma_negative_lesions: bool | None = None
    sstr_positive: bool | None = None
    prior_rt_same_site: bool | None = None
    infection_at_site: bool | None = None
    coagulopathy_uncorrected: bool | None = None
    hypocalcaemia_uncorrected: bool | None = None
    dental_extraction_pending: bool | None = None
    labs: Labs | None = None
    lesions: Annotated[list[Lesion], Field(min_length=1, max_length=MAX_LEVELS)] | None = None

    @model_validator(mode="after")
    def _check_consistency(self) -> Findings:
        """Refuse the contradictions that SPEC §10.1 and §10.3 name as input errors."""
        _check_kps_matches_ecog(self)
        _check_lesion_form(self)
        _check_neuroendocrine(self)
        _check_paralysis_hours(self)
        return self


def _check_kps_matches_ecog(findings: Findings) -> None:
    """SPEC §10.3 item 3: ECOG must be the §6.3 row of the KPS when both are given."""
    if findings.kps is None or findings.ecog is None:
        return
    expected = ecog_from_kps(findings.kps)
    if findings.ecog != expected:
        raise _CrossFieldError(
            ("kps", "ecog"),
            f"kps, ecog: KPS {findings.kps} corresponds to ECOG {expected}, "
            f"but ECOG {findings.ecog} was given",
        )


def _check_lesion_form(findings: Findings) -> None:
    """SPEC §10.1 and §10.3 item 7: one lesion form at a time; SINS fields need their levels."""
    if findings.lesions is None and findings.index_levels is not None:
        return
    given = tuple(name for name in TOP_LEVEL_LESION_FIELDS if getattr(findings, name) is not None)
    if findings.lesions is not None and given:
        raise _CrossFieldError(
            ("lesions", *given),
            f"lesions: give either the lesions list or the top-level index-lesion fields, "
            f"not both (also given: {', '.join(given)})",
        )
    if findings.index_levels is None and given:
        raise _CrossFieldError(
            ("index_levels", *given),
            f"index_levels: required when SINS fields of the index lesion are given "
            f"({', '.join(given)})",
        )


def _check_neuroendocrine(findings: Findings) -> None:
    """SPEC §10.3 item 1: `neuroendocrine` is well differentiated; a poor NEC goes by organ."""
    if findings.primary == "neuroendocrine" and findings.net_differentiation == "poor":
        raise _CrossFieldError(
            ("primary", "net_differentiation"),
            "primary, net_differentiation: 'neuroendocrine' means a well-differentiated tumour; "
            "enter a poorly differentiated neuroendocrine carcinoma with primary = its organ",
        )


def _check_paralysis_hours(findings: Findings) -> None:
    """SPEC §10: `paralysis_hours` is the time since complete (Frankel A) paralysis, else null."""
    if findings.paralysis_hours is not None and findings.frankel not in (None, "A"):
        raise _CrossFieldError(
            ("paralysis_hours", "frankel"),
            f"paralysis_hours: only meaningful with Frankel A, but frankel is {findings.frankel}",
        )


def parse_findings(data: Findings | Mapping[str, Any]) -> Findings:
    """Validate a findings mapping (or pass a validated `Findings` through)."""
    if isinstance(data, Findings):
        return data
    if not isinstance(data, Mapping):
        raise FindingsError(("findings",), "findings: expected a JSON object")
    try:
        return Findings.model_validate(data)
    except ValidationError as exc:
        raise findings_error_from(exc) from None


def findings_error_from(exc: ValidationError) -> FindingsError:
    """Turn pydantic's errors into one `FindingsError` naming every offending field."""
    fields: list[str] = []
    messages: list[str] = []
    for error in exc.errors(include_url=False):
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, _CrossFieldError):
            fields.extend(cause.fields)
            messages.append(cause.message)
            continue
        field = _field_path(error["loc"])
        fields.append(field)
        messages.append(_message_for(field, error))
    return FindingsError(tuple(dict.fromkeys(fields)), "; ".join(messages))


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.startswith(("function-", "literal[", "list[", "constrained-")):
            continue
        else:
            path += f".{part}" if path else part
    return path or "findings"


def _message_for(field: str, error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"{field}: unknown field, not part of the findings format"
    if kind == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")
        return f"{field}: {_echo(error['input'])} is not allowed; allowed values: {expected}"
    if kind == "missing":
        return f"{field}: required"
    return f"{field}: {error['msg']} (got {_echo(error.get('input'))})"


def _echo(value: Any) -> str:
    """The refused value, shortened: a message must not grow with the input."""
    return reprlib.repr(value)
