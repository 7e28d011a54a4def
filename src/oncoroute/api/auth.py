"""API authentication: the Django session, narrowed to roles. Every endpoint names its roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth

from oncoroute.accounts.roles import Role
from oncoroute.privacy.audit import audit_denied


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
