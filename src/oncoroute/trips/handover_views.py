"""The way home's pages: the coordinator's handover page (the structured summary, the discharge
summary chosen among the case's documents, sending it to the doctor at home, and each trip's
return), and the discharge summary downloaded through the home doctor's link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from oncoroute.accounts.decorators import coordinator_required
from oncoroute.accounts.models import User
from oncoroute.cases import selectors as case_selectors
from oncoroute.cases.models import Case
from oncoroute.records.views import stored_file_response
from oncoroute.referrals.home_doctor import health_data_consented, home_doctor_of
from oncoroute.trips import handover as services
from oncoroute.trips import handover_selectors as selectors
from oncoroute.trips.handover_forms import HandoverForms, TripReturnForm
from oncoroute.trips.handover_summary import HandoverSummary
from oncoroute.trips.models import Trip, TripPlan

_DOCUMENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _case(request: HttpRequest, reference: str, *, write: bool) -> Case:
    return case_selectors.case_for_coordinator(
        user=_user(request), reference=reference, for_write=write
    )


def _plan(case: Case) -> TripPlan | None:
    return TripPlan.objects.filter(case=case).select_related("quote__referral__clinic").first()


def _contacts_initial(case: Case, plan: TripPlan, user: User) -> dict[str, Any]:
    coordinator = case.assigned_to or user
    return {
        "clinic_name": plan.quote.referral.clinic.name,
        "coordinator_name": coordinator.display_name,
        "coordinator_email": coordinator.email,
    }


def _page(
    request: HttpRequest,
    case: Case,
    plan: TripPlan | None,
    forms: HandoverForms | None,
    status: int,
) -> HttpResponse:
    handover = selectors.handover_of_case(case) if plan else None
    doctor = home_doctor_of(case)
    context = {
        "case": case,
        "plan": plan,
        "handover": handover,
        "forms": forms,
        "send_problems": services.handover_send_problems(handover) if plan else [],
        "doctor": doctor,
        "consented": health_data_consented(case),
        "trips": list(plan.trips.all()) if plan else [],
    }
    return render(request, "trips/handover.html", context, status=status)


@require_http_methods(["GET", "POST"])
@coordinator_required
def trip_handover(request: HttpRequest, reference: str) -> HttpResponse:
    """The handover home of a case: the form of the structured summary and the discharge
    summary; a refused summary shows the page again with every reason and what was typed."""
    posted = request.method == "POST"
    case = _case(request, reference, write=posted)
    plan = _plan(case)
    if plan is None:
        if posted:
            messages.error(request, _("The trip plan is not started yet."))
            return redirect("trip_handover", reference=case.reference)
        return _page(request, case, None, None, 200)
    handover = selectors.handover_of_case(case)
    forms = HandoverForms(
        request.POST if posted else None,
        documents=selectors.documents_for_handover(case),
        summary=HandoverSummary.from_stored(handover.summary if handover else None),
        discharge_summary=handover.discharge_summary if handover else None,
        initial=_contacts_initial(case, plan, _user(request)),
    )
    if posted and forms.is_valid():
        try:
            services.handover_save(
                plan=plan, actor=_user(request), discharge_summary=forms.discharge_summary(),
                summary=forms.summary(),
            )  # fmt: skip
        except services.HandoverRefused as refused:
            for problem in refused.problems:
                forms.form.add_error(None, problem)
        else:
            messages.success(request, _("The handover is saved."))
            return redirect("trip_handover", reference=case.reference)
    return _page(request, case, plan, forms, 422 if posted else 200)


@require_POST
@coordinator_required
def trip_handover_send(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, write=True)
    plan = _plan(case)
    try:
        if plan is None:
            raise services.HandoverRefused(_("The trip plan is not started yet."))
        services.handover_send(plan=plan, actor=_user(request))
    except services.HandoverRefused as refused:
        for problem in refused.problems:
            messages.error(request, problem)
    else:
        messages.success(request, _("The handover is sent: the doctor at home has a new link."))
    return redirect("trip_handover", reference=case.reference)


@require_POST
@coordinator_required
def trip_returned(request: HttpRequest, trip_id: int) -> HttpResponse:
    """The patient came home from the trip on the day given."""
    trip = get_object_or_404(Trip.objects.select_related("plan__case"), pk=trip_id)
    case = _case(request, str(trip.plan.case.reference), write=True)
    form = TripReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day the patient came home."))
        return redirect("trip_handover", reference=case.reference)
    try:
        services.trip_return_complete(
            trip=trip, actor=_user(request), returned_on=form.cleaned_data["returned_on"]
        )
    except services.HandoverRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The return home is recorded."))
    return redirect("trip_handover", reference=case.reference)


@login_not_required
@require_GET
def home_doctor_discharge_summary(request: HttpRequest, home_doctor_token: str) -> FileResponse:
    """The clinic's discharge summary of a sent handover, through the home doctor's link; the
    same 404 for a link that does not open and for a handover not sent."""
    document = selectors.discharge_summary_for_link(token=home_doctor_token)
    if document is None:
        raise Http404("Nothing to download through this link.")
    response = stored_file_response(
        document.file,
        as_attachment=True,
        filename=document.original_name,
        content_type=_DOCUMENT_TYPES[document.kind],
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
