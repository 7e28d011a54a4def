"""The coordinator's forms of the handover home: the structured summary (a form and four sets of
rows) made into one `HandoverSummary`, and the day the patient came home from a trip."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from oncoroute.records.models import Document
from oncoroute.trips import handover_summary as vocabulary
from oncoroute.trips.handover_summary import (
    Contacts,
    HandoverSummary,
    Implant,
    Medicine,
    Procedure,
    Radiotherapy,
)

_DATE = forms.DateInput(attrs={"type": "date"})


def _choices(table: dict[str, Any]) -> list[tuple[str, Any]]:
    return [("", "—"), *table.items()]


class DocumentChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.original_name} ({obj.created_at:%Y-%m-%d})"


class HandoverForm(forms.Form):
    discharge_summary = DocumentChoice(
        label=_("The clinic's discharge summary"),
        queryset=Document.objects.none(),
        required=False,
        help_text=_("One of the case's documents; upload it on the case page first."),
    )
    no_implants = forms.BooleanField(label=_("No implants were left"), required=False)
    no_medicines = forms.BooleanField(label=_("No medicines to take at home"), required=False)
    more_signs = forms.MultipleChoiceField(
        label=_("Also watch for (the cord-compression signs are always included)"),
        choices=list(vocabulary.MORE_SIGNS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    watch_note = forms.CharField(
        label=_("Other things to watch for, in English"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    watch_note_patient = forms.CharField(
        label=_("The same in the patient's language"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    clinic_name = forms.CharField(label=_("Clinic"), max_length=200, required=False)
    clinic_person = forms.CharField(
        label=_("Person to call at the clinic"), max_length=200, required=False
    )
    clinic_phone = forms.CharField(label=_("Clinic's phone"), max_length=40, required=False)
    clinic_email = forms.EmailField(label=_("Clinic's email"), max_length=254, required=False)
    coordinator_name = forms.CharField(label=_("Coordinator"), max_length=200, required=False)
    coordinator_phone = forms.CharField(
        label=_("Coordinator's phone"), max_length=40, required=False
    )
    coordinator_email = forms.EmailField(
        label=_("Coordinator's email"), max_length=254, required=False
    )

    def __init__(self, *args: Any, documents: QuerySet[Document], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["discharge_summary"].queryset = documents  # type: ignore[attr-defined]


class ProcedureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Procedure"), choices=_choices(vocabulary.PROCEDURES))
    done_on = forms.DateField(label=_("Done on"), widget=_DATE)
    detail = forms.CharField(label=_("Levels and details"), max_length=300, required=False)


class RadiotherapyForm(forms.Form):
    site = forms.CharField(label=_("Site (levels)"), max_length=100)
    technique = forms.ChoiceField(label=_("Technique"), choices=_choices(vocabulary.TECHNIQUES))
    dose_gy = forms.DecimalField(label=_("Total dose (Gy)"), max_digits=5, decimal_places=2)
    fractions = forms.IntegerField(label=_("Fractions"), min_value=1)
    finished_on = forms.DateField(label=_("Last fraction on"), widget=_DATE)


class ImplantForm(forms.Form):
    kind = forms.ChoiceField(label=_("Implant"), choices=_choices(vocabulary.IMPLANTS))
    levels = forms.CharField(label=_("Levels"), max_length=100)
    mri = forms.ChoiceField(label=_("MRI"), choices=list(vocabulary.MRI.items()))
    maker = forms.CharField(label=_("Maker and model"), max_length=200, required=False)


class MedicineForm(forms.Form):
    name = forms.CharField(label=_("Medicine (international name)"), max_length=150)
    amount = forms.DecimalField(label=_("Dose"), max_digits=8, decimal_places=3)
    unit = forms.ChoiceField(label=_("Unit"), choices=_choices(vocabulary.UNITS))
    how_often = forms.ChoiceField(label=_("How often"), choices=_choices(vocabulary.HOW_OFTEN))
    until = forms.DateField(label=_("Until"), widget=_DATE, required=False)


# Blank rows are left out: a formset's extra row that nobody filled in is not validated; a
# stored row goes with its "remove" tick.
ProcedureFormSet = forms.formset_factory(ProcedureForm, extra=2, can_delete=True)
RadiotherapyFormSet = forms.formset_factory(RadiotherapyForm, extra=1, can_delete=True)
ImplantFormSet = forms.formset_factory(ImplantForm, extra=2, can_delete=True)
MedicineFormSet = forms.formset_factory(MedicineForm, extra=3, can_delete=True)

_ROWS: dict[str, type[forms.BaseFormSet[Any]]] = {
    "procedures": ProcedureFormSet,
    "radiotherapy": RadiotherapyFormSet,
    "implants": ImplantFormSet,
    "medicines": MedicineFormSet,
}


class HandoverForms:
    """The form and its four sets of rows, bound together or showing what is stored."""

    def __init__(
        self,
        data: Any = None,
        *,
        documents: QuerySet[Document],
        summary: HandoverSummary,
        discharge_summary: Document | None,
        initial: dict[str, Any] | None = None,
    ) -> None:
        stored = summary.to_stored()
        main = {
            "discharge_summary": discharge_summary,
            "no_implants": summary.no_implants,
            "no_medicines": summary.no_medicines,
            "more_signs": list(summary.more_signs),
            "watch_note": summary.watch_note,
            "watch_note_patient": summary.watch_note_patient,
            **{k: v for k, v in stored["contacts"].items() if v},
        }
        for key, value in (initial or {}).items():
            main.setdefault(key, value)
        self.form = HandoverForm(data, documents=documents, initial=main)
        self.rows = {
            prefix: formset(data, prefix=prefix, initial=stored[prefix])
            for prefix, formset in _ROWS.items()
        }

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        return all([valid, *(rows.is_valid() for rows in self.rows.values())])

    def _filled(self, prefix: str) -> list[dict[str, Any]]:
        rows = self.rows[prefix]
        kept = [form for form in rows.forms if form not in rows.deleted_forms]
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in kept
            if form.cleaned_data
        ]

    def summary(self) -> HandoverSummary:
        data = self.form.cleaned_data
        return HandoverSummary(
            procedures=tuple(Procedure(**row) for row in self._filled("procedures")),
            radiotherapy=tuple(Radiotherapy(**row) for row in self._filled("radiotherapy")),
            implants=tuple(Implant(**row) for row in self._filled("implants")),
            no_implants=data["no_implants"],
            medicines=tuple(Medicine(**row) for row in self._filled("medicines")),
            no_medicines=data["no_medicines"],
            more_signs=tuple(data["more_signs"]),
            watch_note=data["watch_note"].strip(),
            watch_note_patient=data["watch_note_patient"].strip(),
            contacts=Contacts(**{k: data[k].strip() for k in vars(Contacts())}),
        )

    def discharge_summary(self) -> Document | None:
        document: Document | None = self.form.cleaned_data["discharge_summary"]
        return document


class TripReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Came home on"), widget=_DATE)
