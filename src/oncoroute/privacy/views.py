"""Patients' privacy page (consents, download my data, erasure) and coordinators' approvals."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from oncoroute.accounts.decorators import coordinator_required, patient_required, role_refused
from oncoroute.accounts.models import User
from oncoroute.cases import sharing
from oncoroute.cases.models import Case, Consent
from oncoroute.privacy import erasure, export
from oncoroute.privacy.models import ErasureRequest


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _own_consents(user: User) -> list[Consent]:
    cases = Case.objects.editable_by(user).filter(patient=user)
    return list(
        Consent.objects.filter(case__in=cases)
        .select_related("case", "clinic")
        .order_by("-given_at")
    )


@patient_required
def my_privacy(request: HttpRequest) -> HttpResponse:
    """Every consent with a Withdraw button; download my data; ask for erasure."""
    user = _user(request)
    cases = list(Case.objects.editable_by(user).filter(patient=user).order_by("-created_at"))
    context = {
        "consents": _own_consents(user),
        "cases": cases,
        "marketing_cases": [
            c
            for c in cases
            if not c.consents.filter(
                purpose=Consent.Purpose.MARKETING, withdrawn_at__isnull=True
            ).exists()
        ],
        "marketing_text": sharing.consent_text(Consent.Purpose.MARKETING)[2],
        "erasure": ErasureRequest.objects.filter(
            patient=user, state=ErasureRequest.State.REQUESTED
        ).first(),
    }
    return render(request, "privacy/my_privacy.html", context)


@require_POST
@patient_required
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = next((c for c in _own_consents(_user(request)) if c.pk == consent_id), None)
    if consent is None:
        raise Http404("No such consent.")
    sharing.consent_withdraw(consent=consent, actor=_user(request))
    messages.success(
        request, _("Withdrawn: %(purpose)s.") % {"purpose": consent.get_purpose_display()}
    )
    return redirect("my_privacy")


@require_POST
@patient_required
def marketing_consent_give(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    case = Case.objects.editable_by(user).filter(patient=user, reference=reference).first()
    if case is None:
        raise Http404("No such case.")
    sharing.consent_give(case=case, actor=user, purpose=Consent.Purpose.MARKETING)
    messages.success(request, _("Thank you: you can withdraw this at any time on this page."))
    return redirect("my_privacy")


@require_GET
def my_data_export(request: HttpRequest) -> FileResponse:
    """A ZIP of everything the service holds about the patient, files included."""
    user = _user(request)
    if not user.is_patient:
        raise role_refused(user, "my_data_export")
    archive = export.patient_export(user=user)
    name = f"oncoroute-my-data-{timezone.localdate():%Y-%m-%d}.zip"
    response = FileResponse(
        archive, as_attachment=True, filename=name, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@patient_required
def erasure_request_create(request: HttpRequest) -> HttpResponse:
    erasure.erasure_request(patient=_user(request))
    messages.success(
        request,
        _("We have your request. A coordinator will confirm it, then everything is erased."),
    )
    return redirect("my_privacy")


@coordinator_required
def erasure_requests(request: HttpRequest) -> HttpResponse:
    """Erasure requests waiting for a coordinator's approval."""
    return render(
        request, "privacy/erasure_requests.html", {"requests": erasure.erasure_requests_open()}
    )


@require_POST
@coordinator_required
def erasure_request_approve(request: HttpRequest, request_id: int) -> HttpResponse:
    pending = erasure.erasure_requests_open().filter(pk=request_id).first()
    if pending is None:
        raise Http404("No such request.")
    tombstone = erasure.erasure_approve(request=pending, approver=_user(request))
    messages.success(request, _("Erased: %(subject)s.") % {"subject": tombstone.subject_ref})
    return redirect("erasure_requests")
