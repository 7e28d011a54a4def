"""POST /api/triage: findings in, the explained triage report out."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from oncoroute.api.auth import staff_auth
from oncoroute.clinical import Findings, triage

router = Router(tags=["triage"])


@router.post(
    "/triage",
    auth=staff_auth,
    response=dict[str, Any],
    summary="Triage one case's findings",
    description=(
        "Takes the canonical findings (every field optional; a missing field means unknown) "
        "and returns the whole report: explained scores, NOMS pathway, MSCC red-flag screen, "
        "therapy eligibility, travel advice, the inputs still needed, and the `summary` object. "
        "Invalid findings get a 422 whose detail names the field. Coordinators and clinic "
        "doctors only; nothing is stored."
    ),
)
def triage_findings(request: HttpRequest, findings: Findings) -> dict[str, Any]:
    return triage(findings).to_dict()
