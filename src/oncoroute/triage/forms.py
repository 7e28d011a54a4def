"""The clinical findings form, built from the clinical core's canonical findings model.

Every field of `oncoroute.clinical.Findings` appears once, with the core's own allowed values, so
the form cannot drift from the rules. An empty answer means "unknown" and is left out of the
findings, never replaced by a default (SPEC §10.1).
"""

from __future__ import annotations

import types
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoroute.clinical import (
    ECOG_GRADES,
    KPS_VALUES,
    LEVELS,
    MSCC_NEURO_RED_FLAGS,
    MSCC_PAIN_RED_FLAGS,
    Findings,
    FindingsError,
    Labs,
    Lesion,
    parse_findings,
)
from oncoroute.clinical.constants import KNOWN_THERAPY_HISTORY_IDS
from oncoroute.clinical.labels import FINDING_VALUE_LABELS, THERAPY_HISTORY_LABELS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LESION_FIELDS = tuple(name for name in Lesion.model_fields if name != "levels")
LESION_SLOTS = 4
TRI_STATE: list[tuple[str, StrOrPromise]] = [("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))]
LEVEL_CHOICES = [(level, level) for level in LEVELS if level != "OCC"]
INT_CHOICES: dict[str, tuple[int, ...]] = {"kps": KPS_VALUES, "ecog": ECOG_GRADES}
FREE_LISTS = ("prior_therapies", "current_therapies")

SECTIONS: list[tuple[StrOrPromise, list[str]]] = [
    (_("Patient and tumour"), ["age", "sex", "primary", "histology", "net_site",
                               "net_differentiation", "ki67_percent"]),
    (_("Performance status"), ["kps", "ecog"]),
    (_("Extent of disease"), ["n_vertebral_mets", "levels", "extraspinal_bone_mets",
                              "visceral_mets"]),
    (_("Neurology and compression"), ["escc", "frankel", "paralysis_hours",
                                      "ambulatory_independent", "albumin_g_dl", "red_flags"]),
    (_("Treatment history"), ["prior_therapies", "current_therapies", "castration_resistant",
                              "mcrpc_lines", "ineligible_other_systemic",
                              "taxane_deferral_appropriate", "psma_pet_positive",
                              "psma_negative_lesions", "sstr_positive"]),
    (_("Safety"), ["prior_rt_same_site", "infection_at_site", "coagulopathy_uncorrected",
                   "hypocalcaemia_uncorrected", "dental_extraction_pending"]),
    (_("Laboratory"), [f"labs_{name}" for name in Labs.model_fields]),
]  # fmt: skip

LABELS: dict[str, StrOrPromise] = {
    "age": _("Age"),
    "sex": _("Sex"),
    "primary": _("Primary"),
    "histology": _("Histology"),
    "net_site": _("Neuroendocrine tumour site"),
    "net_differentiation": _("Neuroendocrine differentiation"),
    "ki67_percent": _("Ki-67 (%)"),
    "kps": _("Karnofsky performance status (KPS)"),
    "ecog": _("ECOG performance status"),
    "n_vertebral_mets": _("Number of involved vertebrae"),
    "levels": _("All involved levels"),
    "extraspinal_bone_mets": _("Bone metastases outside the spine (count)"),
    "visceral_mets": _("Metastases to major organs"),
    "escc": _("Bilsky ESCC grade"),
    "frankel": _("Frankel grade"),
    "paralysis_hours": _("Hours since complete paralysis (Frankel A only)"),
    "ambulatory_independent": _("Walks independently"),
    "albumin_g_dl": _("Serum albumin (g/dL)"),
    "red_flags": _("Red-flag symptoms (new or unexplained)"),
    "prior_therapies": _("Treatments had before"),
    "current_therapies": _("Treatments taken now"),
    "castration_resistant": _("Castration resistant"),
    "mcrpc_lines": _("Lines of treatment for mCRPC"),
    "ineligible_other_systemic": _("Ineligible other systemic"),
    "taxane_deferral_appropriate": _("Taxane deferral appropriate"),
    "psma_pet_positive": _("PSMA PET positive"),
    "psma_negative_lesions": _("PSMA negative lesions"),
    "sstr_positive": _("SSTR positive"),
    "prior_rt_same_site": _("Prior RT same site"),
    "infection_at_site": _("Infection at site"),
    "coagulopathy_uncorrected": _("Coagulopathy uncorrected"),
    "hypocalcaemia_uncorrected": _("Hypocalcaemia uncorrected"),
    "dental_extraction_pending": _("Dental extraction pending"),
    "labs_anc_10e9_l": _("Neutrophils (10⁹/L)"),
    "labs_platelets_10e9_l": _("Platelets (10⁹/L)"),
    "labs_hb_g_dl": _("Haemoglobin (g/dL)"),
    "labs_crcl_ml_min": _("Creatinine clearance (mL/min)"),
    "pain": _("Pain"),
    "lesion_type": _("Lesion type"),
    "alignment": _("Alignment"),
    "collapse": _("Collapse"),
    "posterolateral": _("Posterolateral"),
}


def _label(name: str) -> StrOrPromise:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        return next(arg for arg in get_args(annotation) if arg is not type(None))
    return annotation


def _base_type(annotation: Any) -> Any:
    """The plain type under Optional[...] and Annotated[...]."""
    annotation = _unwrap_optional(annotation)
    metadata_carrier = getattr(annotation, "__origin__", None)
    if metadata_carrier is not None and get_origin(annotation) not in (list, Literal):
        return _base_type(metadata_carrier)
    return annotation


def _choices(values: tuple[Any, ...], name: str = "") -> list[tuple[str, StrOrPromise]]:
    labels = FINDING_VALUE_LABELS.get(name, {})
    return [("", _("Unknown")), *((str(v), labels.get(str(v), str(v))) for v in values)]


def _therapy_choices(known: tuple[str, ...]) -> list[tuple[str, str]]:
    """The known treatments, and any other id already in the findings, each by its label."""
    ids = [*KNOWN_THERAPY_HISTORY_IDS, *(t for t in known if t not in KNOWN_THERAPY_HISTORY_IDS)]
    return [(t, THERAPY_HISTORY_LABELS.get(t, t.replace("_", " ").capitalize())) for t in ids]


def _field_for(name: str, annotation: Any) -> forms.Field:
    kind = _base_type(annotation)
    label = _label(name)
    if name == "levels":
        return forms.MultipleChoiceField(
            label=label, choices=LEVEL_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
        )
    if name == "red_flags":
        flags = {**MSCC_NEURO_RED_FLAGS, **MSCC_PAIN_RED_FLAGS}
        return forms.MultipleChoiceField(
            label=label,
            choices=list(flags.items()),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    if name in INT_CHOICES:
        return forms.TypedChoiceField(
            label=label,
            choices=_choices(INT_CHOICES[name]),
            coerce=int,
            required=False,
            empty_value=None,
        )
    if name in FREE_LISTS:
        return forms.MultipleChoiceField(
            label=label,
            choices=_therapy_choices(()),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    if get_origin(kind) is Literal:
        return forms.ChoiceField(
            label=label, choices=_choices(get_args(kind), name), required=False
        )
    if get_origin(kind) is list:
        return forms.CharField(label=label, required=False, max_length=500)
    if kind is bool:
        return forms.ChoiceField(label=label, choices=TRI_STATE, required=False)
    if kind is int:
        return forms.IntegerField(label=label, required=False)
    if kind is float:
        return forms.FloatField(label=label, required=False)
    return forms.CharField(label=label, required=False, max_length=500)


def _python_value(raw: Any, annotation: Any) -> Any:
    """The form's cleaned value as the findings format wants it; None when unknown."""
    kind = _base_type(annotation)
    if raw in (None, "", []):
        return None
    if kind is bool:
        return raw == "yes"
    if get_origin(kind) is list and isinstance(raw, str):
        return [item.strip() for item in raw.split(",") if item.strip()] or None
    return raw


def _form_value(name: str, value: Any) -> Any:
    """A findings value as the form shows it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


class FindingsForm(forms.Form):
    """The systemic findings; lesions come from `LesionForm`s beside it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, info in Findings.model_fields.items():
            if name in ("lesions", "labs", "index_levels", *LESION_FIELDS):
                continue
            self.fields[name] = _field_for(name, info.annotation)
        for name, info in Labs.model_fields.items():
            self.fields[f"labs_{name}"] = _field_for(f"labs_{name}", info.annotation)
        # A treatment recorded earlier that the list does not know stays ticked, by its id.
        for name in FREE_LISTS:
            held = tuple(self.initial.get(name) or ()) + tuple(
                self.data.getlist(name) if hasattr(self.data, "getlist") else ()
            )
            self.fields[name].choices = _therapy_choices(held)  # type: ignore[attr-defined]

    def sections(self) -> list[tuple[StrOrPromise, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]

    def findings_part(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, info in Findings.model_fields.items():
            if name in self.cleaned_data:
                value = _python_value(self.cleaned_data[name], info.annotation)
                if value is not None:
                    data[name] = value
        labs = {
            name: value
            for name, info in Labs.model_fields.items()
            if (value := _python_value(self.cleaned_data.get(f"labs_{name}"), info.annotation))
            is not None
        }
        if labs:
            data["labs"] = labs
        return data


class LesionForm(forms.Form):
    """One lesion scored by SINS: its levels and five categories."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["levels"] = forms.MultipleChoiceField(
            label=_("Levels of this lesion"),
            choices=LEVEL_CHOICES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        for name in LESION_FIELDS:
            self.fields[name] = _field_for(name, Lesion.model_fields[name].annotation)

    def category_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in LESION_FIELDS]

    def lesion(self) -> dict[str, Any] | None:
        data = {
            name: value
            for name in ("levels", *LESION_FIELDS)
            if (value := self.cleaned_data.get(name)) not in (None, "", [])
        }
        if not data:
            return None
        data.setdefault("levels", [])
        return data


# absolute_max: a posted form count above the slots is refused before any form is built.
LesionFormSet = forms.formset_factory(
    LesionForm, extra=0, max_num=LESION_SLOTS, validate_max=True, absolute_max=LESION_SLOTS
)


def initial_from_findings(findings: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Form and lesion initial data from stored findings, so an earlier triage can be edited."""
    initial = {k: _form_value(k, v) for k, v in findings.items() if k not in ("labs", "lesions")}
    for name, value in (findings.get("labs") or {}).items():
        initial[f"labs_{name}"] = value
    lesions = [dict(lesion) for lesion in findings.get("lesions") or []]
    if findings.get("index_levels"):
        lesions = [
            {"levels": findings["index_levels"], **{k: findings.get(k) for k in LESION_FIELDS}}
        ]
    return initial, lesions


def bound_forms(
    data: Any | None, initial: dict[str, Any], lesions: list[dict[str, Any]]
) -> tuple[FindingsForm, Any]:
    slots = lesions + [{}] * max(LESION_SLOTS - len(lesions), 0)
    if data is None:
        return FindingsForm(initial=initial), LesionFormSet(initial=slots[:LESION_SLOTS])
    return FindingsForm(data), LesionFormSet(data, initial=slots[:LESION_SLOTS])


def findings_from_forms(form: FindingsForm, lesion_forms: Any) -> dict[str, Any] | None:
    """Canonical findings from valid forms, checked by the core; None with errors on the form."""
    if not (form.is_valid() and lesion_forms.is_valid()):
        return None
    findings = form.findings_part()
    filled = [(f, lesion) for f in lesion_forms if (lesion := f.lesion()) is not None]
    if filled:
        findings["lesions"] = [lesion for _, lesion in filled]
    try:
        parse_findings(findings)
    except FindingsError as error:
        _attach_error(form, [f for f, _ in filled], error)
        return None
    return findings


def _attach_error(form: FindingsForm, lesion_forms: list[LesionForm], error: FindingsError) -> None:
    """Show the core's message beside the field it names, or above the form."""
    for field in error.fields:
        if field.startswith("lesions["):
            lesion_form = lesion_forms[int(field[len("lesions[") : field.index("]")])]
            name = field.partition("].")[2]
            lesion_form.add_error(name if name in lesion_form.fields else None, error.message)
            return
        flat = field.replace("labs.", "labs_")
        if flat in form.fields:
            form.add_error(flat, error.message)
            return
    form.add_error(None, error.message)
