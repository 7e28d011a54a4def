"""Pages of the clinic portal, for partner clinics' doctors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from oncoroute.accounts.decorators import clinic_doctor_required


@clinic_doctor_required
def clinic_home(request: HttpRequest) -> HttpResponse:
    """Where a clinic doctor lands; the cases shared with the clinic will be listed here."""
    return render(request, "referrals/clinic_home.html")
