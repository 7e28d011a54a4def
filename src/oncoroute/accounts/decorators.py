"""Role checks for views: signed-in users of another role get 403, never the page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from oncoroute.accounts.roles import Role

View = Callable[..., HttpResponse]


def role_required(*roles: Role) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not any(user.has_role(r) for r in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


coordinator_required = role_required(Role.COORDINATOR)
patient_required = role_required(Role.PATIENT)
clinic_doctor_required = role_required(Role.CLINIC_DOCTOR)
