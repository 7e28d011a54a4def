"""Session limits: staff sign out after 15 idle minutes, patients after 30, everyone after 12 hours.

Django's own session age is one number for everybody and counts from the last save, so the idle
and absolute limits are kept as timestamps in the session and checked on every request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from oncoroute.accounts.models import User

SIGNED_IN_AT = "session_signed_in_at"
LAST_SEEN_AT = "session_last_seen_at"
IDLE_LIMIT = "session_idle_limit"
# Writing the session on every request would cost a database write per page; a minute of slack
# on an idle limit of 15 minutes does not.
TOUCH_INTERVAL = 60


def idle_limit_for(user: User) -> int:
    """Seconds of inactivity allowed: patients only get the longer limit."""
    if user.is_patient and not (user.is_staff or user.is_superuser or user.is_coordinator):
        return int(settings.SESSION_IDLE_SECONDS_PATIENT)
    return int(settings.SESSION_IDLE_SECONDS_STAFF)


def session_expired(request: HttpRequest, now: float) -> bool:
    session = request.session
    signed_in = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN_AT)
    if signed_in is None or last_seen is None:
        return False
    idle_limit = float(session.get(IDLE_LIMIT, settings.SESSION_IDLE_SECONDS_STAFF))
    too_old = now - float(signed_in) > settings.SESSION_ABSOLUTE_SECONDS
    return too_old or now - float(last_seen) > idle_limit


def session_start(*, request: HttpRequest, user: User, now: float | None = None) -> None:
    """Stamp a new sign-in: the absolute limit counts from here, the idle limit by role."""
    now = time.time() if now is None else now
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    request.session[IDLE_LIMIT] = idle_limit_for(user)


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_start(request=request, user=user)


def session_touch(request: HttpRequest, now: float) -> None:
    if SIGNED_IN_AT not in request.session:
        # Signed in before these limits existed: the clock starts now.
        session_start(request=request, user=request.user, now=now)  # type: ignore[arg-type]
    elif now - request.session.get(LAST_SEEN_AT, 0) >= TOUCH_INTERVAL:
        request.session[LAST_SEEN_AT] = now


class SessionLimitsMiddleware:
    """Ends a signed-in session that was idle too long or is older than the absolute limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        if request.user.is_authenticated and session_expired(request, now):
            logout(request)
        response = self.get_response(request)
        # After the view: a sign-out in the view leaves nothing to touch.
        if request.user.is_authenticated:
            session_touch(request, now)
        return response
