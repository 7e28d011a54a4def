"""Writing the audit trail: one row per sign-in, health-data read, download, share or change.

Rows carry ids, field names and counts, never values. The request's address and id come from
``AuditContextMiddleware``, so services deep in a call chain need no request argument.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from oncoroute.config.clients import client_address
from oncoroute.privacy.models import AuditEvent

Action = AuditEvent.Action
Outcome = AuditEvent.Outcome
ROLE_ORDER = ("admin", "coordinator", "clinic_doctor", "patient")
UNLOCK_FUNCTION = "oncoroute_audit_unlocked"
REWRITE_FUNCTION = "oncoroute_audit_rewrite"
REWRITE_SETTING = "oncoroute.audit_rewrite"


@dataclass(frozen=True)
class RequestContext:
    address: str | None
    request_id: str
    method: str
    user: Any = None


_context: ContextVar[RequestContext | None] = ContextVar("audit_context", default=None)


def _request_id(request: HttpRequest) -> str:
    from oncoroute.config.logs import request_id

    value = getattr(request, "request_id", None) or request_id.get()
    if not value or value == "-":
        value = request.META.get("HTTP_X_REQUEST_ID", "")
    return str(value)[:64]


class AuditContextMiddleware:
    """Keeps the request's address and id at hand for audit rows written during the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _context.set(request_context(request))
        try:
            return self.get_response(request)
        finally:
            _context.reset(token)


def request_context(request: HttpRequest) -> RequestContext:
    return RequestContext(
        address=client_address(request) or None,
        request_id=_request_id(request),
        method=request.method or "",
        user=getattr(request, "user", None),
    )


def current_user() -> Any:
    """The signed-in person of the request being served, if any (for write diffs)."""
    context = _context.get()
    return context.user if context else None


def role_of(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    if user.is_superuser:
        return "admin"
    names = {group.name for group in user.groups.all()}
    return next((role for role in ROLE_ORDER if role in names), "")


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    outcome: str = Outcome.OK,
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one audit event; ``detail`` holds ids, names and counts only."""
    context = request_context(request) if request is not None else _context.get()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor_id=actor.pk if authenticated else None,
        actor_role=role_of(actor),
        action=action,
        object_type=object_type[:64],
        object_id=str(object_id)[:64],
        outcome=outcome,
        address=context.address if context else None,
        request_id=context.request_id if context else "",
        detail=detail or {},
    )


def audit_denied(
    *, actor: Any, object_type: str, object_id: str, detail: dict[str, Any] | None = None
) -> AuditEvent:
    """A refused or missing object: what bursts of refusals are counted from."""
    return audit_record(
        actor=actor,
        action=Action.DENIED,
        object_type=object_type,
        object_id=object_id,
        outcome=Outcome.DENIED,
        detail=detail,
    )


def sign_in_target(login: str) -> tuple[str, dict[str, str]]:
    """Whom a failed sign-in aimed at, as (account id, detail).

    An existing account is named by its id. An address without an account is kept only as a
    keyed pseudonym, so that guesses at one address can be counted without the trail holding
    an address nobody gave us; text that is not an email address (a password typed into the
    wrong box) leaves nothing.
    """
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from oncoroute.accounts.models import User

    login = login.strip()
    if not login:
        return "", {}
    accounts = User.objects.filter(Q(email__iexact=login) | Q(username=login))
    account = accounts.values_list("pk", flat=True).first()
    if account is not None:
        return str(account), {}
    try:
        validate_email(login)
    except ValidationError:
        return "", {}
    return "", {"target": login_pseudonym(login)}


def login_pseudonym(email: str) -> str:
    from oncoroute.privacy.keys import blind_index

    return blind_index("sign_in", email.strip().lower())


_unlocked = threading.local()


def audit_delete_allowed() -> bool:
    """SQLite's trigger asks this (a function registered on each connection)."""
    return bool(getattr(_unlocked, "depth", 0))


def audit_rewrite_allowed() -> bool:
    """SQLite's update trigger asks this, as the delete trigger asks ``audit_delete_allowed``."""
    return bool(getattr(_unlocked, "rewrite", 0))


@contextmanager
def audit_rewritable(using: str = "default") -> Iterator[None]:
    """Let erasure pseudonymise who and from where (actor, address, object id, detail).

    The database still refuses any change of when, what, which type and which outcome.
    """
    _unlocked.rewrite = getattr(_unlocked, "rewrite", 0) + 1
    try:
        with transaction.atomic(using=using):
            _postgres_setting(using, REWRITE_SETTING, "on")
            yield
            # SET LOCAL would last to the end of the outer transaction, past this block.
            _postgres_setting(using, REWRITE_SETTING, "off")
    finally:
        _unlocked.rewrite -= 1


def _postgres_setting(using: str, name: str, value: str) -> None:
    if connections[using].vendor == "postgresql":
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


@contextmanager
def audit_unlocked(using: str = "default") -> Iterator[None]:
    """Let the retention purge (and a test database flush) delete audit rows; nothing else may."""
    _unlocked.depth = getattr(_unlocked, "depth", 0) + 1
    try:
        with transaction.atomic(using=using):
            if connections[using].vendor == "postgresql":
                with connections[using].cursor() as cursor:
                    cursor.execute("SET LOCAL oncoroute.audit_unlocked = 'on'")
            yield
    finally:
        _unlocked.depth -= 1


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            UNLOCK_FUNCTION, 0, lambda: int(audit_delete_allowed())
        )
        connection.connection.create_function(
            REWRITE_FUNCTION, 0, lambda: int(audit_rewrite_allowed())
        )
