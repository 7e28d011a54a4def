"""Forms of the public request page and the coordinator workspace."""

from __future__ import annotations

import uuid
from typing import Any, cast

import phonenumbers
from django import forms
from django.conf import settings
from django_countries import countries

from oncoroute.cases.services import CaseRequest
from oncoroute.cases.vocabulary import (
    CONSENT_TEXT,
    CORD_COMPRESSION_SIGNS,
    DESTINATION_COUNTRIES,
    OTHER_SYMPTOMS,
    SPINAL_PAIN_SIGNS,
    PrimaryCancer,
    SpineRegion,
    Urgency,
    Want,
    WriterRole,
)
from oncoroute.cases.workflow import CaseState

LANGUAGE_CHOICES = sorted(settings.LANGUAGES, key=lambda pair: str(pair[1]))


class RequestForm(forms.Form):
    """The two-minute request: who, how to reach them, what is wrong, what they want."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="Email", required=False, max_length=254)
    phone = forms.CharField(
        label="Phone",
        required=False,
        max_length=32,
        help_text="International format with the country code, e.g. +90 532 123 45 67",
    )
    country = forms.ChoiceField(label="Country where the patient lives", choices=[])
    language = forms.ChoiceField(label="Language we should write in", choices=LANGUAGE_CHOICES)
    writer_role = forms.ChoiceField(
        label="Who is writing?", choices=WriterRole.choices, widget=forms.RadioSelect
    )
    primary_cancer = forms.ChoiceField(
        label="Where did the cancer start (primary cancer)?", choices=PrimaryCancer.choices
    )
    primary_cancer_other = forms.CharField(
        label="If other, which cancer?", required=False, max_length=120
    )
    spine_regions = forms.MultipleChoiceField(
        label="Where in the spine are the metastases?",
        choices=SpineRegion.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    warning_signs = forms.MultipleChoiceField(
        label="Warning signs: has any of these started or got worse recently?",
        choices=list(CORD_COMPRESSION_SIGNS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_symptoms = forms.MultipleChoiceField(
        label="Other symptoms",
        choices=list(SPINAL_PAIN_SIGNS.items()) + list(OTHER_SYMPTOMS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    current_treatment = forms.CharField(
        label="Current treatment", required=False, max_length=2000, widget=forms.Textarea
    )
    past_treatment = forms.CharField(
        label="Past treatment (surgery, radiotherapy, drugs)",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    wants = forms.MultipleChoiceField(
        label="What would you like?", choices=Want.choices, widget=forms.CheckboxSelectMultiple
    )
    preferred_countries = forms.MultipleChoiceField(
        label="Countries you would consider (optional)",
        choices=DESTINATION_COUNTRIES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    message = forms.CharField(
        label="Anything else we should know?",
        required=False,
        max_length=4000,
        widget=forms.Textarea,
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=True)
    # A field people never see: a bot that fills it in is turned away.
    website = forms.CharField(required=False, label="Leave this field empty")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", "Choose a country"),
            *countries,
        ]
        cast(forms.ChoiceField, self.fields["primary_cancer"]).choices = [
            ("", "Choose one"),
            *PrimaryCancer.choices,
        ]
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
            self.initial.setdefault("language", "en")

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, None)
        except phonenumbers.NumberParseException:
            raise forms.ValidationError(
                "Please write the number with its country code, starting with +."
            ) from None
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError("This does not look like a valid phone number.")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("email") and not cleaned.get("phone") and not self.has_error("phone"):
            self.add_error("email", "Please give an email address or a phone number.")
        if cleaned.get("primary_cancer") == PrimaryCancer.OTHER and not cleaned.get(
            "primary_cancer_other"
        ):
            self.add_error("primary_cancer_other", "Please tell us which cancer.")
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def case_request(self) -> CaseRequest:
        data = self.cleaned_data
        return CaseRequest(
            submission_token=data["submission_token"],
            full_name=data["full_name"].strip(),
            email=data["email"].lower(),
            phone=data["phone"],
            country=data["country"],
            language=data["language"],
            writer_role=data["writer_role"],
            primary_cancer=data["primary_cancer"],
            primary_cancer_other=data["primary_cancer_other"].strip(),
            spine_regions=data["spine_regions"],
            symptoms=data["warning_signs"] + data["other_symptoms"],
            current_treatment=data["current_treatment"].strip(),
            past_treatment=data["past_treatment"].strip(),
            wants=data["wants"],
            preferred_countries=data["preferred_countries"],
            message=data["message"].strip(),
        )


def _with_any(label: str, choices: Any) -> list[tuple[str, str]]:
    return [("", label), *choices]


class QueueSearchForm(forms.Form):
    """A search by name or reference: sent by POST and kept in the session, so that a
    patient's name reaches neither a URL, the browser's history nor an access log."""

    q = forms.CharField(label="Reference or name", required=False, max_length=150)


class QueueFilterForm(forms.Form):
    """The coordinator queue's filters; every field is optional and none names a person."""

    state = forms.ChoiceField(
        label="State", required=False, choices=_with_any("Open cases", CaseState.choices)
    )
    urgency = forms.ChoiceField(
        label="Urgency", required=False, choices=_with_any("Any urgency", Urgency.choices)
    )
    country = forms.ChoiceField(label="Country", required=False, choices=[])
    primary_cancer = forms.ChoiceField(
        label="Primary cancer",
        required=False,
        choices=_with_any("Any primary", PrimaryCancer.choices),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = _with_any(
            "Any country", countries
        )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=CaseState.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=500)
    confirmed = forms.BooleanField(required=False)
