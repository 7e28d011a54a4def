"""Thin views of a trip's documents: the MEDIF draft (coordinators), the printable plan and the
radionuclide treatment card (the case's patient and coordinators), and the coordinator's
request to the clinic for the visa invitation letter."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from oncoroute.accounts.decorators import coordinator_required, role_required
from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.cases.access import case_for
from oncoroute.privacy.audit import Action, audit_denied, audit_record
from oncoroute.trips import documents
from oncoroute.trips.invitation import InvitationRefused, invitation_letter_request
from oncoroute.trips.models import Trip
from oncoroute.trips.selectors import trip_for_coordinator


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _trip_for_reader(user: User, trip_id: int) -> Trip:
    """The trip, for a coordinator or the patient of its case; anybody else's is a 404."""
    trip = Trip.objects.select_related("plan__case").filter(pk=trip_id).first()
    if trip is None:
        audit_denied(actor=user, object_type="trips.trip", object_id=str(trip_id))
        raise Http404("No such trip.")
    # case_for: coordinators see every case, a patient only their own (else a 404, audited).
    case_for(user=user, reference=str(trip.plan.case.reference), action=None)
    return trip


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@coordinator_required
def trip_medif_pdf(request: HttpRequest, trip_id: int) -> HttpResponse:
    trip = trip_for_coordinator(user=_user(request), trip_id=trip_id)
    audit_record(
        actor=_user(request), action=Action.DOWNLOAD, obj=trip, detail={"document": "medif"}
    )
    sheet = documents.trip_sheet(trip)
    return _pdf(documents.medif_draft_pdf(sheet), f"medif-draft-trip-{trip.number}.pdf")


@require_GET
@role_required(Role.PATIENT, Role.COORDINATOR)
def trip_plan_pdf(request: HttpRequest, trip_id: int) -> HttpResponse:
    trip = _trip_for_reader(_user(request), trip_id)
    audit_record(
        actor=_user(request), action=Action.DOWNLOAD, obj=trip, detail={"document": "plan"}
    )
    sheet = documents.trip_sheet(trip)
    return _pdf(documents.trip_plan_pdf(sheet), f"trip-{trip.number}-plan.pdf")


@require_GET
@role_required(Role.PATIENT, Role.COORDINATOR)
def trip_treatment_card_pdf(request: HttpRequest, trip_id: int) -> HttpResponse:
    trip = _trip_for_reader(_user(request), trip_id)
    sheet = documents.trip_sheet(trip)
    if not sheet.has_radionuclide:
        raise Http404("No radionuclide therapy on this trip.")
    audit_record(
        actor=_user(request), action=Action.DOWNLOAD, obj=trip, detail={"document": "card"}
    )
    return _pdf(documents.treatment_card_pdf(sheet), f"treatment-card-trip-{trip.number}.pdf")


@require_POST
@coordinator_required
def trip_invitation_request(request: HttpRequest, trip_id: int) -> HttpResponse:
    trip = trip_for_coordinator(user=_user(request), trip_id=trip_id)
    try:
        invitation_letter_request(trip=trip, actor=_user(request))
    except InvitationRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"The invitation letter for trip {trip.number} was requested.")
    return redirect("trips_plan", reference=trip.plan.case.reference)
