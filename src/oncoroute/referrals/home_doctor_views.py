"""The home doctor's pages: the patient names their doctor at home (or records that they will
arrange their follow-up themselves); the coordinator sends that doctor a read-only link, revokes
it and records the doctor's answer; the doctor reads the chosen plan through the link. The
patient's page and the link's pages are read by a patient, a relative or their doctor, so every
string has its Russian translation (tests/i18n)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_countries import countries

from oncoroute.accounts.decorators import coordinator_required, patient_required
from oncoroute.accounts.models import User
from oncoroute.cases import selectors as case_selectors
from oncoroute.cases.models import Case
from oncoroute.referrals import home_doctor as services
from oncoroute.referrals.models import HomeDoctor, HomeDoctorLink
from oncoroute.triage.report import StoredTriage
from oncoroute.triage.selectors import latest_triage


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


class HomeDoctorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Doctor's name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False, max_length=254)
    phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=40)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if not data.get("email") and not (data.get("phone") or "").strip():
            raise forms.ValidationError(
                _("Please give the doctor's email address or phone number.")
            )
        return data


class AgreementForm(forms.Form):
    agreement = forms.ChoiceField(choices=HomeDoctor.Agreement.choices)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)


@require_http_methods(["GET", "POST"])
@patient_required
def patient_home_doctor(request: HttpRequest, reference: str) -> HttpResponse:
    """The patient names their oncologist or family doctor at home."""
    case = case_selectors.case_for_patient(user=_user(request), reference=reference)
    doctor = services.home_doctor_of(case)
    posted = request.method == "POST"
    initial = {}
    if doctor is not None:
        initial = {field: getattr(doctor, field) for field in ("name", "email", "phone", "country")}
    form = HomeDoctorForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        services.home_doctor_name(case=case, actor=_user(request), **form.cleaned_data)
        messages.success(request, _("Thank you. We have saved your doctor's details."))
        return redirect("patient_home_doctor", reference=case.reference)
    context = {"case": case, "doctor": doctor, "form": form}
    return render(
        request, "referrals/patient_home_doctor.html", context, status=422 if posted else 200
    )


@require_POST
@patient_required
def patient_home_doctor_waive(request: HttpRequest, reference: str) -> HttpResponse:
    """The patient's choice: "I will arrange my follow-up myself"."""
    case = case_selectors.case_for_patient(user=_user(request), reference=reference)
    services.home_doctor_waived(case=case, actor=_user(request))
    messages.success(request, _("Your choice is saved: you will arrange your follow-up yourself."))
    return redirect("patient_home_doctor", reference=case.reference)


def _coordinator_case(request: HttpRequest, reference: str, *, write: bool = True) -> Case:
    return case_selectors.case_for_coordinator(
        user=_user(request), reference=reference, for_write=write
    )


@require_GET
@coordinator_required
def coordinator_home_doctor(request: HttpRequest, reference: str) -> HttpResponse:
    """The home doctor as the patient named them, the links sent, and the doctor's answer."""
    case = _coordinator_case(request, reference, write=False)
    doctor = services.home_doctor_of(case)
    context = {
        "case": case,
        "doctor": doctor,
        "links": services.case_links(case),
        "form": AgreementForm(initial={"agreement": doctor.agreement if doctor else "unknown"}),
        "days": services.link_days(),
    }
    return render(request, "referrals/coordinator_home_doctor.html", context)


@require_POST
@coordinator_required
def home_doctor_link_send(request: HttpRequest, reference: str) -> HttpResponse:
    case = _coordinator_case(request, reference)
    try:
        services.home_doctor_link_send(case=case, actor=_user(request))
    except services.HomeDoctorRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The link is sent to the home doctor."))
    return redirect("coordinator_home_doctor", reference=case.reference)


@require_POST
@coordinator_required
def home_doctor_link_revoke(request: HttpRequest, reference: str, link_id: int) -> HttpResponse:
    case = _coordinator_case(request, reference)
    link = get_object_or_404(HomeDoctorLink, pk=link_id, home_doctor__case=case)
    services.home_doctor_link_revoke(link=link, actor=_user(request))
    messages.success(request, _("The link is revoked: it opens nothing from now on."))
    return redirect("coordinator_home_doctor", reference=case.reference)


@require_POST
@coordinator_required
def home_doctor_agreement(request: HttpRequest, reference: str) -> HttpResponse:
    case = _coordinator_case(request, reference)
    form = AgreementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the doctor agreed."))
        return redirect("coordinator_home_doctor", reference=case.reference)
    try:
        services.home_doctor_agreement_record(
            case=case, actor=_user(request), agreement=form.cleaned_data["agreement"],
            note=form.cleaned_data["note"],
        )  # fmt: skip
    except services.HomeDoctorRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The home doctor's answer is recorded."))
    return redirect("coordinator_home_doctor", reference=case.reference)


@login_not_required
@require_GET
def home_doctor_view(request: HttpRequest, home_doctor_token: str) -> HttpResponse:
    """The doctor's read-only page: the patient's name (so the doctor knows whom it concerns),
    the chosen plan with the clinic's opinion, and the triage summary. A link that expired, was
    revoked, or whose patient withdrew their health-data consent shows a page with no case data,
    with the status of a missing page."""
    link = services.home_doctor_link_open(token=home_doctor_token)
    if link is None:
        return render(request, "referrals/home_doctor_gone.html", status=404)
    case = link.home_doctor.case
    snapshot = latest_triage(case=case)
    summary = StoredTriage.from_stored(snapshot.report).summary if snapshot else None
    context = {
        "case": case,
        "link": link,
        "opinions": services.chosen_opinions(case),
        "summary": summary,
        "triaged_at": snapshot.recorded_at if snapshot else None,
        # For the handover home's download (trips' `home_doctor_handover` tag), through this link.
        "token": home_doctor_token,
    }
    response = render(request, "referrals/home_doctor_view.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
