"""How django-allauth behaves here: no open sign-up, lockout per account and address, and
authenticator secrets encrypted at rest."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from oncoroute.privacy.signals import audit_sign_in_refused


# allauth has no type information: its base classes are Any to mypy.
class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Accounts come from requests and invitations only; nobody signs themselves up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # Failures count per account *and* address: someone guessing from elsewhere cannot
        # lock the real person out (ASVS 6.3.1); the per-address limit still applies on its own.
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{get_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # Stopped by the limiter before any password check: no failure signal is sent.
            audit_sign_in_refused(credentials=credentials, request=request, reason="rate_limited")
            raise


def _fernet() -> Fernet:
    key = hashlib.sha256(settings.MFA_SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """Keeps TOTP secrets and recovery-code seeds encrypted in the database, under a key of
    their own (a stolen database or SECRET_KEY alone does not give the second factor away)."""

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        from oncoroute.accounts.mfa import SECOND_FACTORS, second_factor_required

        user = authenticator.user
        if authenticator.type not in SECOND_FACTORS or not second_factor_required(user):
            return True
        others = Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS)
        return bool(others.exclude(pk=authenticator.pk).exists())

    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()


def user_display(user: Any) -> str:
    """How allauth names a person in its messages: their name, else their email."""
    return str(getattr(user, "display_name", "") or "")
