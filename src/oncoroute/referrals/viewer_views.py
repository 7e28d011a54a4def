"""The image viewer for the doctors of a clinic a case was referred to: the de-identified
study only, through the referral, with no identity in any URL, header or pixel."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from oncoroute.accounts.decorators import role_refused
from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.privacy.audit import Action, audit_record
from oncoroute.records import viewer
from oncoroute.records.models import Series, Study
from oncoroute.records.staff_views import viewer_page_context
from oncoroute.referrals import selectors
from oncoroute.referrals.models import Referral
from oncoroute.referrals.portal import case_shared


def _referral(request: HttpRequest, referral_id: int) -> Referral:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_authenticated or not user.has_role(Role.CLINIC_DOCTOR):
        raise role_refused(user, "referral viewer")
    return selectors.referral_for_doctor(user=user, referral_id=referral_id)


def _shared_study(referral: Referral, study_id: int) -> Study:
    study = (
        Study.objects.filter(case=referral.case, deid_state=Study.Deid.DONE, pk=study_id).first()
        if case_shared(referral)
        else None
    )
    if study is None:
        raise Http404("No such study.")
    return study


@require_GET
def referral_study_viewer(request: HttpRequest, referral_id: int, study_id: int) -> HttpResponse:
    referral = _referral(request, referral_id)
    study = _shared_study(referral, study_id)
    audit_record(actor=request.user, action=Action.READ, obj=study, detail={"viewer": "open"})
    context = viewer_page_context(
        study=study,
        frame_url=reverse("referral_series_frame", args=[referral.pk, 0, 0]),
        back_url=reverse("referral_detail", args=[referral.pk]),
    )
    return render(request, "records/staff/viewer.html", context)


@require_GET
def referral_series_frame(
    request: HttpRequest, referral_id: int, series_id: int, frame: int
) -> HttpResponse:
    referral = _referral(request, referral_id)
    series = Series.objects.filter(
        pk=series_id, study__case=referral.case, study__deid_state=Study.Deid.DONE
    ).first()
    if series is None or not case_shared(referral):
        raise Http404("No such series.")
    return viewer.frame_response(request, series, frame)
