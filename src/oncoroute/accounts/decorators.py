"""Role checks for views: signed-in users of another role get 403, never the page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from oncoroute.accounts.roles import Role
from oncoroute.privacy.audit import audit_denied

View = Callable[..., HttpResponse]


def role_refused(user: Any, what: str) -> PermissionDenied:
    """A 403 for want of a role, written to the audit trail so that bursts of them are seen."""
    audit_denied(actor=user, object_type="view", object_id=what, detail={"reason": "role"})
    return PermissionDenied()


def _page_name(request: HttpRequest, view: View) -> str:
    name = getattr(request.resolver_match, "url_name", None)
    return str(name or getattr(view, "__name__", "") or request.path)


def role_required(*roles: Role) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not any(user.has_role(r) for r in roles):
                raise role_refused(user, _page_name(request, view))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


coordinator_required = role_required(Role.COORDINATOR)
patient_required = role_required(Role.PATIENT)
clinic_doctor_required = role_required(Role.CLINIC_DOCTOR)
