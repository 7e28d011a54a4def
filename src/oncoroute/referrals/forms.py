"""Forms of the referral pages: sending a case, moving a referral, the clinic's answer,
scheduling a consultation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oncoroute.referrals.models import PLAN_SERVICE_CHOICES, Consultation
from oncoroute.referrals.workflow import ConsultationStatus, ReferralStatus

ITEM_SLOTS = 6
LINE_SLOTS = 8


class SendForm(forms.Form):
    """Send the case to one of the clinics the patient agreed to."""

    clinic = forms.TypedChoiceField(label=_("Clinic"), coerce=int, choices=[])
    question = forms.CharField(
        label=_("Question for the clinic"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deadline = forms.DateField(label=_("Answer by"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, clinics: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinic"].choices = clinics  # type: ignore[attr-defined]
        self.initial.setdefault("deadline", timezone.localdate() + timedelta(days=5))

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return deadline


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=ReferralStatus.choices)
    reason = forms.CharField(required=False, max_length=2000)


class OpinionForm(forms.Form):
    reading = forms.CharField(
        label=_("Your reading of the case"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    specialties = forms.CharField(
        label=_("Specialties that reviewed it (comma-separated)"), max_length=600
    )
    multidisciplinary = forms.BooleanField(
        label=_("The plan was made at a multidisciplinary tumour board"), required=False
    )
    alternatives = forms.CharField(
        label=_("Alternatives considered"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    still_needed = forms.CharField(
        label=_("What you still need"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class PlanItemForm(forms.Form):
    """One step of the plan; a row without a service is an unused row."""

    service = forms.ChoiceField(
        label=_("Service"), choices=[("", "—"), *PLAN_SERVICE_CHOICES], required=False
    )
    sessions = forms.IntegerField(label=_("Sessions"), min_value=1, max_value=100, required=False)
    interval_days = forms.IntegerField(
        label=_("Days between sessions"), min_value=1, max_value=365, required=False
    )
    after_previous_days = forms.IntegerField(
        label=_("Days after the previous step"), min_value=0, max_value=365, required=False
    )
    hospital_nights = forms.IntegerField(
        label=_("Hospital nights"), min_value=0, max_value=60, required=False
    )
    recovery_days = forms.IntegerField(
        label=_("Recovery days before flying"), min_value=0, max_value=365, required=False
    )
    key = "service"
    needed = ("sessions",)

    def clean(self) -> dict[str, Any]:
        return _row_clean(self)


class QuoteForm(forms.Form):
    currency = forms.CharField(label=_("Currency (ISO code)"), max_length=3, initial="EUR")
    included = forms.CharField(
        label=_("Included"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    excluded = forms.CharField(
        label=_("Not included"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    contingency = forms.DecimalField(
        label=_("Contingency for complications"), min_value=0, max_digits=14, decimal_places=2,
        initial=0,
    )  # fmt: skip
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    price_change_rule = forms.CharField(
        label=_("When the price may change"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class QuoteLineForm(forms.Form):
    """One priced line; a row without a description is an unused row."""

    item = forms.IntegerField(
        label=_("Plan step"), min_value=1, max_value=ITEM_SLOTS, required=False
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1000, required=False)
    unit_price = forms.DecimalField(
        label=_("Unit price"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    key = "description"
    needed = ("item", "quantity", "unit_price")

    def clean(self) -> dict[str, Any]:
        return _row_clean(self)


def _row_clean(form: Any) -> dict[str, Any]:
    cleaned: dict[str, Any] = form.cleaned_data
    if cleaned.get(form.key):
        for name in form.needed:
            if cleaned.get(name) is None and name not in form.errors:
                form.add_error(name, _("This field is required."))
    return cleaned


PlanItemFormSet = forms.formset_factory(
    PlanItemForm, extra=ITEM_SLOTS, max_num=ITEM_SLOTS, absolute_max=ITEM_SLOTS, validate_max=True
)
QuoteLineFormSet = forms.formset_factory(
    QuoteLineForm, extra=LINE_SLOTS, max_num=LINE_SLOTS, absolute_max=LINE_SLOTS, validate_max=True
)


def filled(formset: Any) -> list[dict[str, Any]]:
    """The rows a person filled in, without the values left empty (their defaults apply)."""
    return [
        {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
        for form in formset
        if form.cleaned_data.get(form.key)
    ]


class ConsultationForm(forms.Form):
    """A consultation with the referral's clinic: the wall-clock time and the zone it is in."""

    mode = forms.ChoiceField(label=_("How"), choices=Consultation.Mode.choices)
    starts_at = forms.CharField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    time_zone = forms.CharField(
        label=_("Time zone of that time"),
        max_length=64,
        help_text=_("An IANA zone such as Europe/Istanbul; the clinic's zone by default."),
    )
    video_link = forms.URLField(
        label=_("Video link (online)"), required=False, max_length=500, assume_scheme="https"
    )
    doctor = forms.TypedChoiceField(
        label=_("Doctor"), coerce=int, required=False, empty_value=None, choices=[]
    )

    def __init__(
        self, *args: Any, doctors: list[tuple[int, str]], time_zone: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doctor"].choices = [("", _("Any doctor")), *doctors]  # type: ignore[attr-defined]
        self.initial.setdefault("time_zone", time_zone)

    def clean_starts_at(self) -> datetime:
        try:
            return datetime.fromisoformat(self.cleaned_data["starts_at"]).replace(tzinfo=None)
        except ValueError:
            raise forms.ValidationError(_("Give a date and a time.")) from None


class ConsultationMoveForm(forms.Form):
    to = forms.ChoiceField(choices=ConsultationStatus.choices)


class ConsultationOutcomeForm(forms.Form):
    note = forms.CharField(
        label=_("Outcome"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
