"""The second factor is mandatory for the people who see many patients' data: coordinators,
clinic doctors and administrators. Until they have one, they can only set it up or sign out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.base import forms
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.privacy.audit import Action, Outcome, audit_record

STAFF_ROLES = (Role.COORDINATOR, Role.CLINIC_DOCTOR, Role.ADMIN)
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# The way to a second factor: setting up TOTP asks for the password again first, and the
# email must be verified; signing out is always possible.
SETUP_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "account_reauthenticate",
        "account_email_verification_sent",
        "account_confirm_email",
        "logout",
        "account_logout",
    }
)

SETUP_NEEDED = _(
    "Coordinators, clinic doctors and administrators sign in with a second factor. "
    "Set up an authenticator app to continue."
)


def second_factor_required(user: User) -> bool:
    """Staff, clinic doctors and administrators must have a second factor; patients may."""
    return user.is_staff or user.is_superuser or any(user.has_role(r) for r in STAFF_ROLES)


def has_second_factor(user: User) -> bool:
    return bool(Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists())


class SecondFactorRequiredMiddleware:
    """Sends a signed-in staff user without an authenticator to the TOTP setup page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        static = "/" + str(settings.STATIC_URL).lstrip("/")
        if not user.is_authenticated or request.path.startswith(static):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in SETUP_URL_NAMES:
            return None
        if second_factor_required(user) and not has_second_factor(user):
            messages.warning(request, SETUP_NEEDED)
            return redirect("mfa_activate_totp")
        return None


# A replayed code is refused as a wrong one: allauth does not tell the two apart.
_REASONS = {"too_many_login_attempts": "rate_limited"}


class _AuditedCode:
    """A refused second-factor code (wrong, already used, or past the limiter) is audited."""

    user: User

    def clean_code(self) -> str:
        try:
            return super().clean_code()  # type: ignore[misc,no-any-return]
        except ValidationError as error:
            audit_record(
                actor=None,
                action=Action.SIGN_IN_FAILED,
                obj=self.user,
                outcome=Outcome.FAILED,
                detail={"factor": "code", "reason": _REASONS.get(str(error.code), "wrong_code")},
            )
            raise


class AuthenticateForm(_AuditedCode, forms.AuthenticateForm):  # type: ignore[misc]
    pass


class ReauthenticateForm(_AuditedCode, forms.ReauthenticateForm):  # type: ignore[misc]
    pass
