from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from oncoroute.accounts.roles import Role


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "is_coordinator": authenticated and user.is_coordinator,  # type: ignore[union-attr]
        "is_patient": authenticated and user.is_patient,  # type: ignore[union-attr]
        "is_clinic_doctor": authenticated and user.has_role(Role.CLINIC_DOCTOR),  # type: ignore[union-attr]
    }
