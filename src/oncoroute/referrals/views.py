"""The clinic portal (a clinic's doctors: their referrals, de-identified, and their consultations)
and the coordinator's referral and consultation actions. Clinic pages are in English for now,
every string marked for translation."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from pydantic import ValidationError

from oncoroute.accounts.decorators import (
    clinic_doctor_required,
    coordinator_required,
    role_refused,
)
from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.cases import selectors as case_selectors
from oncoroute.cases.sharing import SharingRefused
from oncoroute.clinics.models import Clinic, Doctor
from oncoroute.records import selectors as records_selectors
from oncoroute.records.models import Document, Study
from oncoroute.records.staff_views import shared_document_response
from oncoroute.records.views import stored_file_response
from oncoroute.referrals import selectors, services
from oncoroute.referrals.answers import AnswerIn
from oncoroute.referrals.consultations import consultation_for_doctor, local_time
from oncoroute.referrals.forms import (
    ConsultationForm,
    ConsultationMoveForm,
    ConsultationOutcomeForm,
    MoveForm,
    OpinionForm,
    PlanItemFormSet,
    QuoteForm,
    QuoteLineFormSet,
    SendForm,
    filled,
)
from oncoroute.referrals.models import Consultation, Opinion, Referral
from oncoroute.referrals.portal import case_shared, deidentified_referral, sendable_clinics
from oncoroute.referrals.workflow import MoveNotAllowed, consultation_moves_from, moves_from


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@clinic_doctor_required
def clinic_home(request: HttpRequest) -> HttpResponse:
    """The clinic's referrals, the nearest deadline first."""
    referrals = selectors.clinic_referrals(user=_user(request))
    return render(
        request, "referrals/clinic_home.html", {"referrals": referrals, "now": timezone.now()}
    )


@clinic_doctor_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    """One referral, de-identified: the question, the case, its de-identified studies, the moves
    the clinic can make and its answers so far. Opening it the first time marks it opened."""
    user = _user(request)
    referral = selectors.referral_for_doctor(user=user, referral_id=referral_id)
    referral = services.referral_open(referral=referral, actor=user)
    shared = case_shared(referral)
    studies = _shared_studies(referral) if shared else Study.objects.none()
    context = {
        "referral": referral,
        "case_view": deidentified_referral(referral) if shared else None,
        "studies": studies,
        "previews": set(
            records_selectors.series_previews_for_clinics(studies).values_list("pk", flat=True)
        ),
        "documents": _shared_documents(referral) if shared else Document.objects.none(),
        "moves": moves_from(referral.status, Role.CLINIC_DOCTOR),
        "opinions": referral.opinions.all(),
        "now": timezone.now(),
        "consultations": [
            (c, local_time(c, referral.clinic.time_zone),
             consultation_moves_from(c.status, Role.CLINIC_DOCTOR))
            for c in referral.consultations.select_related("doctor")
        ],
    }  # fmt: skip
    return render(request, "referrals/referral_detail.html", context)


@require_POST
@clinic_doctor_required
def referral_move_by_clinic(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = _user(request)
    referral = selectors.referral_for_doctor(user=user, referral_id=referral_id)
    return _move(request, referral, user, redirect("referral_detail", referral_id=referral.pk))


def _move(
    request: HttpRequest, referral: Referral, user: User, back: HttpResponseRedirect
) -> HttpResponseRedirect:
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That change is not possible."))
        return back
    try:
        services.referral_move(
            referral=referral, actor=user, to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
        )  # fmt: skip
    except MoveNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Referral R-%(id)s updated.") % {"id": referral.pk})
    return back


@clinic_doctor_required
def referral_answer(request: HttpRequest, referral_id: int) -> HttpResponse:
    """The structured answer: an opinion with its plan, and an itemised quote."""
    user = _user(request)
    referral = selectors.referral_for_doctor(user=user, referral_id=referral_id)
    data = request.POST if request.method == "POST" else None
    forms = {
        "opinion_form": OpinionForm(data, prefix="opinion"),
        "items": PlanItemFormSet(data, prefix="items"),
        "quote_form": QuoteForm(data, prefix="quote"),
        "lines": QuoteLineFormSet(data, prefix="lines"),
    }
    errors: list[str] = []
    if data is not None:
        answer, errors = _answer_from(forms)
        if answer is not None:
            try:
                services.answer_submit(referral=referral, author=user, answer=answer)
            except (services.AnswerRefused, MoveNotAllowed) as error:
                errors = [str(error)]
            else:
                messages.success(request, _("Your answer was sent to the coordinators."))
                return redirect("referral_detail", referral_id=referral.pk)
    status = 422 if data is not None else 200
    context = {"referral": referral, "errors": errors, **forms}
    return render(request, "referrals/answer.html", context, status=status)


def _answer_from(forms: dict[str, Any]) -> tuple[AnswerIn | None, list[str]]:
    if not all(form.is_valid() for form in forms.values()):
        return None, [_("Please check the fields marked below.")]
    opinion = dict(forms["opinion_form"].cleaned_data)
    opinion["specialties"] = [s.strip() for s in opinion["specialties"].split(",") if s.strip()]
    opinion["items"] = filled(forms["items"])
    quote = {**forms["quote_form"].cleaned_data, "lines": filled(forms["lines"])}
    quote["currency"] = quote["currency"].upper()
    try:
        return AnswerIn.model_validate({"opinion": opinion, "quote": quote}), []
    except ValidationError as error:
        return None, [
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        ]


def _doctor_referral(request: HttpRequest, referral_id: int) -> Referral:
    user = _user(request)
    if not user.is_authenticated or not user.has_role(Role.CLINIC_DOCTOR):
        raise role_refused(user, "referral files")
    return selectors.referral_for_doctor(user=user, referral_id=referral_id)


def _shared_studies(referral: Referral) -> QuerySet[Study]:
    return Study.objects.filter(case=referral.case, deid_state=Study.Deid.DONE)


def _study_for_doctor(request: HttpRequest, referral_id: int, study_id: int) -> Study:
    referral = _doctor_referral(request, referral_id)
    study = _shared_studies(referral).filter(pk=study_id).first() if case_shared(referral) else None
    if study is None:
        raise Http404("No such study.")
    return study


# File views check the role through referral_for_doctor (a 404 for anyone else's referral);
# role_required is typed for HttpResponse, which a streamed FileResponse is not.
@require_GET
def referral_study_archive(request: HttpRequest, referral_id: int, study_id: int) -> FileResponse:
    """The verified de-identified ZIP of a study: the only form in which images reach a clinic."""
    study = _study_for_doctor(request, referral_id, study_id)
    return stored_file_response(
        study.deid_archive, as_attachment=True,
        filename=f"R-{referral_id}-study-{study.pk}-deidentified.zip",
        content_type="application/zip",
    )  # fmt: skip


@require_GET
def referral_series_preview(request: HttpRequest, referral_id: int, series_id: int) -> FileResponse:
    referral = _doctor_referral(request, referral_id)
    series = (
        records_selectors.series_previews_for_clinics(_shared_studies(referral))
        .filter(pk=series_id)
        .first()
        if case_shared(referral)
        else None
    )
    if series is None:
        raise Http404("No such series.")
    return stored_file_response(series.preview, content_type="image/png")


@require_GET
def referral_document(request: HttpRequest, referral_id: int, document_id: int) -> FileResponse:
    """A document's redacted copy, as a coordinator released it; never the original."""
    referral = _doctor_referral(request, referral_id)
    document = (
        _shared_documents(referral).filter(pk=document_id).first()
        if case_shared(referral)
        else None
    )
    if document is None:
        raise Http404("No such document.")
    return shared_document_response(document, f"R-{referral_id}-document-{document.pk}")


def _shared_documents(referral: Referral) -> QuerySet[Document]:
    return Document.objects.filter(case=referral.case).exclude(shared_file="")


# Coordinator side ------------------------------------------------------------------------------


@require_POST
@coordinator_required
def case_referral_send(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    case = case_selectors.case_for_coordinator(user=user, reference=reference, for_write=True)
    form = SendForm(request.POST, clinics=sendable_clinics(case=case))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("coordinator_case", reference=reference)
    deadline = datetime.combine(form.cleaned_data["deadline"], time(18, 0), tzinfo=UTC)
    clinic = get_object_or_404(Clinic, pk=form.cleaned_data["clinic"])
    try:
        services.referral_send(
            case=case, clinic=clinic, actor=user, question=form.cleaned_data["question"],
            deadline=deadline,
        )  # fmt: skip
    except SharingRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The case was sent to %(clinic)s.") % {"clinic": clinic.name})
    return redirect("coordinator_case", reference=reference)


def _referral_for_coordinator(request: HttpRequest, referral_id: int) -> Referral:
    referral = get_object_or_404(Referral.objects.select_related("case"), pk=referral_id)
    case_selectors.case_for_coordinator(
        user=_user(request), reference=str(referral.case.reference), for_write=True
    )
    return referral


@require_POST
@coordinator_required
def referral_move_by_coordinator(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _referral_for_coordinator(request, referral_id)
    back = redirect("coordinator_case", reference=referral.case.reference)
    return _move(request, referral, _user(request), back)


@require_POST
@coordinator_required
def opinion_release(request: HttpRequest, referral_id: int, opinion_id: int) -> HttpResponse:
    """The coordinator reviewed the clinic's answer: the patient may read it now."""
    referral = _referral_for_coordinator(request, referral_id)
    opinion = get_object_or_404(Opinion, pk=opinion_id, referral=referral)
    services.answer_release(opinion=opinion, actor=_user(request))
    messages.success(request, _("The answer of %(clinic)s is released to the patient.") % {
        "clinic": referral.clinic.name})  # fmt: skip
    return redirect("coordinator_case", reference=referral.case.reference)


# Consultations ---------------------------------------------------------------------------------


@require_POST
@coordinator_required
def consultation_schedule(request: HttpRequest, referral_id: int) -> HttpResponse:
    """The coordinator proposes a consultation with the referral's clinic."""
    referral = _referral_for_coordinator(request, referral_id)
    back = redirect("coordinator_case", reference=referral.case.reference)
    doctors = Doctor.objects.filter(clinic_id=referral.clinic_id)
    form = ConsultationForm(
        request.POST, prefix=f"c{referral.pk}", doctors=[(d.pk, d.name) for d in doctors],
        time_zone=referral.clinic.time_zone,
    )  # fmt: skip
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return back
    data = form.cleaned_data
    try:
        services.consultation_schedule(
            referral=referral, actor=_user(request), starts_at=data["starts_at"],
            time_zone=data["time_zone"], mode=data["mode"], video_link=data["video_link"],
            doctor=doctors.filter(pk=data["doctor"]).first() if data["doctor"] else None,
        )  # fmt: skip
    except services.ConsultationRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The consultation is proposed; the patient and the clinic are invited.")
        )
    return back


def _consultation_for_coordinator(request: HttpRequest, consultation_id: int) -> Consultation:
    consultation = get_object_or_404(
        Consultation.objects.select_related("referral__case"), pk=consultation_id
    )
    case_selectors.case_for_coordinator(
        user=_user(request), reference=str(consultation.referral.case.reference), for_write=True
    )
    return consultation


def _consultation_move(
    request: HttpRequest, consultation: Consultation, back: HttpResponseRedirect
) -> HttpResponseRedirect:
    form = ConsultationMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That change is not possible."))
        return back
    try:
        services.consultation_move(
            consultation=consultation, actor=_user(request), to=form.cleaned_data["to"]
        )
    except MoveNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The consultation is updated."))
    return back


@require_POST
@coordinator_required
def consultation_move_by_coordinator(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = _consultation_for_coordinator(request, consultation_id)
    back = redirect("coordinator_case", reference=consultation.referral.case.reference)
    return _consultation_move(request, consultation, back)


@require_POST
@coordinator_required
def consultation_outcome(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """The coordinator notes what came of a consultation that was held."""
    consultation = _consultation_for_coordinator(request, consultation_id)
    back = redirect("coordinator_case", reference=consultation.referral.case.reference)
    form = ConsultationOutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The outcome note is empty or too long."))
        return back
    try:
        services.consultation_outcome(
            consultation=consultation, actor=_user(request), note=form.cleaned_data["note"]
        )
    except MoveNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The outcome is noted."))
    return back


@require_POST
@clinic_doctor_required
def consultation_move_by_clinic(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """The clinic's doctor confirms a proposed consultation (or says how it went)."""
    consultation = consultation_for_doctor(user=_user(request), consultation_id=consultation_id)
    back = redirect("referral_detail", referral_id=consultation.referral_id)
    return _consultation_move(request, consultation, back)
