"""The patient's check-in form and the coordinator's follow-up forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoroute.followup.answers import CheckInAnswers
from oncoroute.followup.schedule import (
    DEFAULT_SCHEDULE,
    ScheduleError,
    schedule_parse,
    schedule_split,
    schedule_text,
)
from oncoroute.followup.selectors import BY_CLINIC, BY_TREATMENT
from oncoroute.followup.vocabulary import (
    Respondent,
    Response,
    VitalStatus,
    Walking,
    YesNo,
    interval_label,
)

PAIN_CHOICES = [(str(score), str(score)) for score in range(11)]
# Asked of the living patient only: a relative who tells us the patient has died is asked
# nothing more. Each with the sentence shown when it is left out.
CLINICAL_QUESTIONS: dict[str, Any] = {
    "pain": _("Please choose the pain now, from 0 to 10."),
    "walking": _("Please choose how the patient walks now."),
    "new_weakness": _("Please answer yes or no about new weakness, numbness or walking."),
    "bladder_bowel": _("Please answer yes or no about bladder or bowel control."),
    "response": _("Please choose what the doctor said, or “I do not know”."),
}


def _radio(label: Any, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect, required=False, **kwargs
    )


class CheckInForm(forms.Form):
    """The short check-in. A question left out is refused with its own sentence, and nothing
    is stored until every needed answer is there."""

    respondent = _radio(_("Who is answering?"), Respondent.choices)
    vital_status = _radio(
        _("If you are a relative: how is the patient?"),
        VitalStatus.choices,
        help_text=_("We are sorry to ask. If the patient has died, nothing more is asked."),
    )
    pain = _radio(
        _("Pain now, from 0 (no pain) to 10 (the worst pain imaginable)"),
        PAIN_CHOICES,
        error_messages={"invalid_choice": _("The pain is a whole number from 0 to 10.")},
    )
    walking = _radio(_("Walking now"), Walking.choices)
    new_weakness = _radio(
        _(
            "Since the return home: new weakness or numbness in the legs or arms (or around the "
            "buttocks or groin), or has walking become newly difficult?"
        ),
        YesNo.choices,
    )
    bladder_bowel = _radio(
        _(
            "Since the return home: any change in bladder or bowel control (leaking, or new "
            "trouble passing urine)?"
        ),
        YesNo.choices,
    )
    other_symptoms = forms.CharField(
        label=_("Other new symptoms (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    response = _radio(
        _("What the doctor at home has said about the effect of the treatment"), Response.choices
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        respondent = data.get("respondent")
        if not respondent and not self.has_error("respondent"):
            self.add_error("respondent", _("Please say who is answering."))
        if respondent == Respondent.PATIENT:
            data["vital_status"] = VitalStatus.ALIVE
        elif respondent == Respondent.RELATIVE and not data.get("vital_status"):
            self.add_error("vital_status", _("Please tell us how the patient is."))
        if data.get("vital_status") == VitalStatus.DIED:
            return data
        for name, sentence in CLINICAL_QUESTIONS.items():
            if data.get(name) in (None, "") and not self.has_error(name):
                self.add_error(name, sentence)
        return data

    def answers(self) -> CheckInAnswers:
        data = self.cleaned_data
        if data["vital_status"] == VitalStatus.DIED:
            return CheckInAnswers(vital_status=VitalStatus.DIED)
        return CheckInAnswers(
            vital_status=VitalStatus.ALIVE,
            pain=int(data["pain"]),
            walking=data["walking"],
            new_weakness=data["new_weakness"] == YesNo.YES,
            bladder_bowel=data["bladder_bowel"] == YesNo.YES,
            other_symptoms=data["other_symptoms"].strip(),
            response=data["response"],
        )


class ScheduleForm(forms.Form):
    """The day the patient came home and the intervals of the check-ins after it."""

    returned_on = forms.DateField(
        label=_("Returned home on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    schedule = forms.CharField(
        label=_("Check-ins after the return"),
        max_length=200,
        initial=schedule_text(DEFAULT_SCHEDULE),
        help_text=_("Intervals with commas between them: d for days, w for weeks, m for months."),
    )

    def clean_schedule(self) -> list[str]:
        codes = schedule_split(self.cleaned_data["schedule"])
        try:
            return [interval.code for interval in schedule_parse(codes)]
        except ScheduleError as error:
            raise forms.ValidationError(str(error)) from None


class ResendForm(forms.Form):
    check_in = forms.IntegerField(min_value=1)


class OutcomeFilterForm(forms.Form):
    """How the outcome table groups the check-ins, and which interval it reads."""

    by = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=[(BY_CLINIC, _("Clinic")), (BY_TREATMENT, _("Treatment"))],
    )
    interval = forms.ChoiceField(label=_("Check-in"), required=False, choices=[])

    def __init__(self, *args: Any, intervals: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["interval"]).choices = [
            ("", _("Every check-in")),
            *((code, interval_label(code)) for code in intervals),
        ]
