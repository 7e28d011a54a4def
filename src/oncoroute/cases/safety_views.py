"""The coordinator records a clinician's local assessment that lifts the safety gate."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from oncoroute.accounts.decorators import coordinator_required
from oncoroute.accounts.models import User
from oncoroute.cases import selectors, services
from oncoroute.cases.forms import TravelClearanceForm


@require_POST
@sensitive_post_parameters()
@coordinator_required
def case_travel_clearance(request: HttpRequest, reference: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_for_coordinator(user=user, reference=reference, for_write=True)
    form = TravelClearanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say who assessed the patient, when, and what they found."))
        return redirect("coordinator_case", reference=reference)
    try:
        services.travel_clearance_record(case=case, actor=user, **form.cleaned_data)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The local assessment is recorded: the safety gate is lifted."))
    return redirect("coordinator_case", reference=reference)
