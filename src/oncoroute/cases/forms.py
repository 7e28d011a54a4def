"""Forms of the public request page and the coordinator workspace."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, cast

import phonenumbers
from django import forms
from django.conf import settings
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from oncoroute.cases.services import CaseRequest
from oncoroute.cases.sharing import consent_text
from oncoroute.cases.timezones import zone_choices
from oncoroute.cases.vocabulary import (
    CORD_COMPRESSION_SIGNS,
    DESTINATION_COUNTRIES,
    OTHER_SYMPTOMS,
    SPINAL_PAIN_SIGNS,
    PatientSex,
    PrimaryCancer,
    SpineRegion,
    Urgency,
    Want,
    WriterRole,
)
from oncoroute.cases.workflow import CaseState

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CONTACT_LANGUAGE_CODES = {code for code, _name in settings.CONTACT_LANGUAGES}


def contact_language_choices() -> list[tuple[str, str]]:
    """The languages we may write in, named and sorted in the page's language."""
    named = [(code, gettext(name)) for code, name in settings.CONTACT_LANGUAGES]
    return sorted(named, key=lambda pair: pair[1].casefold())


class RequestForm(forms.Form):
    """The two-minute request: who, how to reach them, what is wrong, what they want."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=32,
        help_text=_("International format with the country code, e.g. +90 532 123 45 67"),
    )
    country = forms.ChoiceField(label=_("Country where the patient lives"), choices=[])
    language = forms.ChoiceField(label=_("Language we should write in"), choices=[])
    writer_role = forms.ChoiceField(
        label=_("Who is writing?"), choices=WriterRole.choices, widget=forms.RadioSelect
    )
    # Who the case is about, when a relative or a doctor writes (required then, in clean()).
    patient_name = forms.CharField(label=_("The patient's name"), required=False, max_length=150)
    patient_age = forms.IntegerField(
        label=_("The patient's age"), required=False, min_value=0, max_value=120
    )
    patient_sex = forms.ChoiceField(
        label=_("The patient's sex"),
        required=False,
        choices=[("", _("Not said")), *PatientSex.choices],
    )
    primary_cancer = forms.ChoiceField(
        label=_("Where did the cancer start (primary cancer)?"), choices=PrimaryCancer.choices
    )
    primary_cancer_other = forms.CharField(
        label=_("If other, which cancer?"), required=False, max_length=120
    )
    spine_regions = forms.MultipleChoiceField(
        label=_("Where in the spine are the metastases?"),
        choices=SpineRegion.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    warning_signs = forms.MultipleChoiceField(
        label=_("Warning signs: has any of these started or got worse recently?"),
        choices=list(CORD_COMPRESSION_SIGNS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_symptoms = forms.MultipleChoiceField(
        label=_("Other symptoms"),
        choices=list(SPINAL_PAIN_SIGNS.items()) + list(OTHER_SYMPTOMS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    current_treatment = forms.CharField(
        label=_("Current treatment"), required=False, max_length=2000, widget=forms.Textarea
    )
    past_treatment = forms.CharField(
        label=_("Past treatment (surgery, radiotherapy, drugs)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    wants = forms.MultipleChoiceField(
        label=_("What would you like?"), choices=Want.choices, widget=forms.CheckboxSelectMultiple
    )
    preferred_countries = forms.MultipleChoiceField(
        label=_("Countries you would consider (optional)"),
        choices=DESTINATION_COUNTRIES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    message = forms.CharField(
        label=_("Anything else we should know?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea,
    )
    # Its label is the consent text in the page's language (__init__), the one that is recorded.
    consent = forms.BooleanField(required=True)
    # A field people never see: a bot that fills it in is turned away.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", gettext("Choose a country")),
            *countries,
        ]
        cast(forms.ChoiceField, self.fields["language"]).choices = contact_language_choices()
        cast(forms.ChoiceField, self.fields["primary_cancer"]).choices = [
            ("", gettext("Choose one")),
            *PrimaryCancer.choices,
        ]
        self.fields["consent"].label = consent_text("health_data")[2]
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
            # The page's language is the likeliest one to write in.
            page_language = get_language()
            self.initial.setdefault(
                "language", page_language if page_language in CONTACT_LANGUAGE_CODES else "en"
            )

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, None)
        except phonenumbers.NumberParseException:
            raise forms.ValidationError(
                _("Please write the number with its country code, starting with +.")
            ) from None
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(_("This does not look like a valid phone number."))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("email") and not cleaned.get("phone") and not self.has_error("phone"):
            self.add_error("email", _("Please give an email address or a phone number."))
        if cleaned.get("primary_cancer") == PrimaryCancer.OTHER and not cleaned.get(
            "primary_cancer_other"
        ):
            self.add_error("primary_cancer_other", _("Please tell us which cancer."))
        if cleaned.get("writer_role") in (WriterRole.RELATIVE, WriterRole.DOCTOR):
            if not (cleaned.get("patient_name") or "").strip():
                self.add_error("patient_name", _("Please give the patient's own name."))
            if cleaned.get("patient_age") is None and not self.has_error("patient_age"):
                self.add_error("patient_age", _("Please give the patient's age."))
            if not cleaned.get("patient_sex"):
                self.add_error(
                    "patient_sex", _("Please say whether the patient is female or male.")
                )
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
            # The writer is the patient: the name above is theirs.
            patient_name=(
                data["patient_name"].strip() if data["writer_role"] != WriterRole.PATIENT else ""
            ),
            patient_age=data["patient_age"],
            patient_sex=data["patient_sex"],
        )


def _with_any(label: StrOrPromise, choices: Any) -> list[tuple[str, StrOrPromise]]:
    return [("", label), *choices]


class QueueSearchForm(forms.Form):
    """A search by name or reference: sent by POST and kept in the session, so that a
    patient's name reaches neither a URL, the browser's history nor an access log."""

    q = forms.CharField(label=_("Reference or name"), required=False, max_length=150)


class QueueFilterForm(forms.Form):
    """The coordinator queue's filters; every field is optional and none names a person."""

    state = forms.ChoiceField(
        label=_("State"), required=False, choices=_with_any(_("Open cases"), CaseState.choices)
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=_with_any(_("Any urgency"), Urgency.choices)
    )
    country = forms.ChoiceField(label=_("Country"), required=False, choices=[])
    primary_cancer = forms.ChoiceField(
        label=_("Primary cancer"),
        required=False,
        choices=_with_any(_("Any primary"), PrimaryCancer.choices),
    )
    unread_messages = forms.BooleanField(label=_("Unread messages from the family"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = _with_any(
            _("Any country"), countries
        )


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by the records app when it is stored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(_MultipleFileField, self).clean(file, initial) for file in files]


class MessageForm(forms.Form):
    """A message on the case's thread, with attachments; the services refuse an empty or
    overlong message and files the records app does not take."""

    body = forms.CharField(
        label=_("Your message"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = _MultipleFileField(
        label=_("Attach files (PDF, JPEG or PNG)"),
        required=False,
        help_text=_("Up to 5 files, each at most 50 MB."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = settings.MESSAGE_MAX_LENGTH


class TimeZoneForm(forms.Form):
    """Which of the country's time zones is the patient's, where it has several."""

    time_zone = forms.ChoiceField(label=_("Your time zone"), choices=[])

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = zone_choices(country)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add a note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    phone_call = forms.BooleanField(
        label=_("This was a phone call with the family: it counts as the first answer"),
        required=False,
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=CaseState.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)
    confirmed = forms.BooleanField(required=False)


class TravelClearanceForm(forms.Form):
    """A clinician's local assessment: who, when, what was found."""

    assessed_by = forms.CharField(
        label=_("Assessed by (clinician, role, hospital)"), max_length=200
    )
    assessed_on = forms.DateField(
        label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    findings = forms.CharField(
        label=_("What was found (imaging, neurology) and the advice on travel"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
