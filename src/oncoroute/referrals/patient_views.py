"""The patient's side of referrals: which of the clinics the coordinator put forward may receive
the de-identified case (each tick is the patient's clinic-sharing consent for that clinic), the
clinics' answers a coordinator released side by side, and accepting one of them. Every word
here is read by a patient or a relative, so every string has its Russian translation
(tests/i18n)."""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from oncoroute.accounts.decorators import patient_required
from oncoroute.accounts.models import User
from oncoroute.cases import selectors as case_selectors
from oncoroute.cases.models import Case, Consent
from oncoroute.cases.sharing import consent_text
from oncoroute.clinics.selectors import patient_currency
from oncoroute.referrals import selectors, services
from oncoroute.referrals.acceptance import AcceptanceRefused, follow_up_unsettled, not_this_case
from oncoroute.referrals.consultations import consultation_of_case, ics_invitation
from oncoroute.referrals.home_doctor import follow_up_settled
from oncoroute.referrals.models import Quote


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


class ClinicChoiceForm(forms.Form):
    """The ticked clinics, and the hash of the consent text the page showed: a tick counts only
    as agreement to that text."""

    clinics = forms.MultipleChoiceField(required=False)
    shown = forms.CharField(max_length=64)

    def __init__(self, *args: Any, slugs: list[str], text_sha256: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinics"].choices = [(slug, slug) for slug in slugs]  # type: ignore[attr-defined]
        self.text_sha256 = text_sha256

    def clean_shown(self) -> str:
        shown: str = self.cleaned_data["shown"]
        if shown != self.text_sha256:
            raise forms.ValidationError(
                _(
                    "The consent text below is not the one your page showed (it may be in "
                    "another language now). Please read it and save your choice again."
                )
            )
        return shown


def _names(clinics: list[Any]) -> str:
    return ", ".join(clinic.name for clinic in clinics)


@require_http_methods(["GET", "POST"])
@patient_required
def patient_clinics(request: HttpRequest, reference: str) -> HttpResponse:
    """The clinics of the latest shortlist in plain words, with a tick for each: the consent
    text of the page's language beside the ticks; saving gives or withdraws each consent."""
    user = _user(request)
    posted = request.method == "POST"
    case = case_selectors.case_for_patient(user=user, reference=reference)
    choices = selectors.patient_clinic_choices(case=case, today=timezone.localdate())
    language, _version, text = consent_text(Consent.Purpose.CLINIC_SHARING)
    digest = hashlib.sha256(text.encode()).hexdigest()
    slugs = [choice.clinic.slug for choice in choices]
    form = ClinicChoiceForm(request.POST if posted else None, slugs=slugs, text_sha256=digest)
    if posted and form.is_valid():
        chosen = set(form.cleaned_data["clinics"])
        allowed, withdrawn = services.clinic_sharing_choose(
            case=case,
            actor=user,
            offered=[choice.clinic for choice in choices],
            chosen={choice.clinic.pk for choice in choices if choice.clinic.slug in chosen},
        )
        if allowed:
            messages.success(
                request,
                _("Thank you. These clinics may now receive your case: %(clinics)s.")
                % {"clinics": _names(allowed)},
            )
        if withdrawn:
            messages.success(
                request,
                _("Done. These clinics no longer have access to your case: %(clinics)s.")
                % {"clinics": _names(withdrawn)},
            )
        if not allowed and not withdrawn:
            messages.success(request, _("Your choice is saved; nothing has changed."))
        return redirect("patient_clinics", reference=case.reference)
    ticked = (
        set(request.POST.getlist("clinics")) & set(slugs)
        if posted
        else {choice.clinic.slug for choice in choices if choice.allowed}
    )
    context = {
        "case": case,
        "choices": choices,
        "form": form,
        "ticked": ticked,
        "consent_text": text,
        "consent_language": language,
        "consent_sha256": digest,
    }
    return render(request, "referrals/patient_clinics.html", context, status=422 if posted else 200)


class PlanAcceptForm(forms.Form):
    """The quote version the patient accepts, their explicit tick beside the identity-sharing
    consent text, and the hash of that text as the page showed it."""

    quote = forms.IntegerField(min_value=1)
    agree = forms.BooleanField(
        error_messages={
            "required": _lazy("Please tick the box to confirm that you accept this plan.")
        }
    )
    shown = forms.CharField(max_length=64)


def _identity_text() -> tuple[str, str]:
    _language, _version, text = consent_text(Consent.Purpose.IDENTITY_SHARING)
    return text, hashlib.sha256(text.encode()).hexdigest()


def _answers_page(
    request: HttpRequest, case: Case, form: PlanAcceptForm | None, status: int = 200
) -> HttpResponse:
    text, digest = _identity_text()
    answers = selectors.patient_answers(
        case=case, currency=patient_currency(case=case), today=timezone.localdate()
    )
    context = {
        "case": case,
        "answers": answers,
        "accepted": [row for row in answers if row.quote and row.quote.accepted_at],
        "form": form,
        "chosen": form.data.get("quote") if form is not None else None,
        "identity_text": text,
        "identity_sha256": digest,
        "follow_up_settled": follow_up_settled(case),
        "follow_up_unsettled": follow_up_unsettled(),
    }
    return render(request, "referrals/patient_answers.html", context, status=status)


@require_http_methods(["GET"])
@patient_required
def patient_answers(request: HttpRequest, reference: str) -> HttpResponse:
    """The clinics' released answers side by side, in plain words, each with its way to ask a
    question and to accept it."""
    case = case_selectors.case_for_patient(user=_user(request), reference=reference)
    return _answers_page(request, case, None)


@require_http_methods(["POST"])
@patient_required
def plan_accept(request: HttpRequest, reference: str) -> HttpResponse:
    """The patient accepts one answer's latest quote, with the identity-sharing consent ticked:
    refused with its reason, and nothing changed, otherwise."""
    user = _user(request)
    case = case_selectors.case_for_patient(user=user, reference=reference)
    form = PlanAcceptForm(request.POST)
    _text, digest = _identity_text()
    if form.is_valid() and form.cleaned_data["shown"] != digest:
        form.add_error(
            "agree",
            _(
                "The consent text below is not the one your page showed (it may be in another "
                "language now). Please read it and confirm again."
            ),
        )
    if not form.is_valid():
        return _answers_page(request, case, form, status=422)
    quote = Quote.objects.filter(pk=form.cleaned_data["quote"], referral__case=case).first()
    try:
        if quote is None:
            raise AcceptanceRefused(not_this_case())
        services.plan_accept(case=case, quote=quote, actor=user)
    except AcceptanceRefused as refused:
        form.add_error(None, str(refused))
        return _answers_page(request, case, form, status=422)
    messages.success(
        request,
        _(
            "Thank you. You have accepted the plan of %(clinic)s. Your coordinator will now plan "
            "your trip with you, and the other clinics have been told, with thanks, that you "
            "chose another clinic."
        )
        % {"clinic": quote.referral.clinic.name},
    )
    return redirect("patient_case", reference=case.reference)


@require_http_methods(["GET"])
@patient_required
def patient_consultation_ics(
    request: HttpRequest, reference: str, consultation_id: int
) -> HttpResponse:
    """One consultation of the patient's case as an `.ics` file for their calendar."""
    case = case_selectors.case_for_patient(user=_user(request), reference=reference)
    consultation = consultation_of_case(case=case, consultation_id=consultation_id)
    summary = _("Consultation with %(clinic)s") % {"clinic": consultation.referral.clinic.name}
    response = HttpResponse(
        ics_invitation(consultation, summary=summary), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="consultation.ics"'
    return response
