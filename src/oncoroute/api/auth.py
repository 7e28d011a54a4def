"""API authentication: the Django session, narrowed to roles, for people; a clinic's bearer token
for its own system. Every endpoint names its roles or its token."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import BaseThrottle

from oncoroute.accounts.roles import Role
from oncoroute.privacy.audit import audit_denied
from oncoroute.referrals.models import ClinicApiToken
from oncoroute.referrals.tokens import TokenRefused, token_check


class RoleSessionAuth(SessionAuth):
    """Signed in through the site and holding one of the roles; anything else is a 401."""

    def __init__(self, *roles: Role) -> None:
        super().__init__()
        self.roles = roles

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user and any(user.has_role(role) for role in self.roles):
            return user
        if user:  # signed in without the role: a refusal the alerts count
            what = getattr(request.resolver_match, "url_name", None) or "api"
            audit_denied(actor=user, object_type="view", object_id=what, detail={"reason": "role"})
        return None


staff_auth = RoleSessionAuth(Role.COORDINATOR, Role.CLINIC_DOCTOR)
coordinator_auth = RoleSessionAuth(Role.COORDINATOR)


class ClinicTokenAuth(HttpBearer):
    """A clinic's own system: `Authorization: Bearer onc_…`, a token of that clinic neither
    revoked nor expired (`referrals.tokens`). The answer is the token's row, so an endpoint
    knows its clinic; anything else is a 401, and a presented token that fails is audited."""

    def __call__(self, request: HttpRequest) -> ClinicApiToken | None:
        # As HttpBearer's, without its debug log of a header that may hold a token.
        scheme, _, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> ClinicApiToken | None:
        try:
            return token_check(token)
        except TokenRefused as refused:
            audit_denied(
                actor=None,
                object_type="referrals.clinicapitoken",
                object_id=refused.prefix,
                detail={"reason": refused.reason},
            )
            return None


class ClinicTokenThrottle(BaseThrottle):
    """At most CLINIC_API_REQUESTS_PER_MINUTE calls per token in each clock minute, counted in
    Django's cache (add, then an atomic increment); past it the API answers 429 with
    Retry-After. ninja's own throttles keep each request's history on one shared instance, which
    concurrent requests would mix up."""

    WINDOW = 60

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        if not isinstance(token, ClinicApiToken):
            return True
        key = f"clinic-api-calls:{token.pk}:{int(time.time()) // self.WINDOW}"
        cache.add(key, 0, timeout=2 * self.WINDOW)
        try:
            calls = cache.incr(key)
        except ValueError:  # expired between the two: this call starts the count
            cache.set(key, 1, timeout=2 * self.WINDOW)
            calls = 1
        return calls <= settings.CLINIC_API_REQUESTS_PER_MINUTE

    def wait(self) -> float:
        return self.WINDOW - time.time() % self.WINDOW


clinic_token_auth = ClinicTokenAuth()
clinic_token_throttle = ClinicTokenThrottle()
