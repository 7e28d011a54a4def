"""The JSON API: one router per domain, documented at /api/docs (OpenAPI).

Every endpoint authenticates itself through django-ninja: coordinators only unless the endpoint
names other roles or takes a clinic's bearer token (`api.referrals`), or opens itself on purpose
with `auth=None`. So the site-wide `LoginRequiredMiddleware` (which would answer with a redirect)
steps aside for endpoints; the interactive docs and the schema stay behind the site's sign-in,
for coordinators and admins.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.errors import ValidationError

from oncoroute.accounts.decorators import role_required
from oncoroute.accounts.roles import Role
from oncoroute.api import clinics, itinerary, referrals, triage
from oncoroute.api.auth import coordinator_auth
from oncoroute.api.errors import error_response
from oncoroute.clinical import FindingsError, parse_findings


class DocumentedAPI(NinjaAPI):
    """Adds to every operation the error answers it can give, so that clients (and the
    schema-driven tests) know them: 422 for invalid input, 401 where a sign-in is needed, 404
    where a path names something."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                responses = operation["responses"]
                responses.setdefault(
                    422, error_response("Invalid input; each entry names its field.")
                )
                if operation.get("security"):
                    responses.setdefault(
                        401, error_response("Not signed in with a role this allows.")
                    )
                if "{" in path:
                    responses.setdefault(404, error_response("Nothing of that name you may see."))
        return schema


def _docs_for_api_users(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema maps every endpoint: coordinators and admins read it, others get a 403."""
    return login_required(role_required(Role.COORDINATOR, Role.ADMIN)(view))


api = DocumentedAPI(
    title="oncoroute API",
    version="1",
    description=(
        "Triage, clinic directory and case endpoints, with the site's session; and the clinics' "
        "referral endpoints for a clinic's own system, with that clinic's bearer token."
    ),
    urls_namespace="api",
    auth=coordinator_auth,
    docs_decorator=_docs_for_api_users,
)
api.add_router("/", triage.router)
api.add_router("/", clinics.router)
api.add_router("/", referrals.router)
api.add_router("/", itinerary.router)


def _cross_field_names(request: HttpRequest) -> str:
    """The fields a whole-object findings rule names (e.g. 'kps, ecog'), from the core itself."""
    try:
        parse_findings(json.loads(request.body))
    except (FindingsError, ValueError) as error:
        return ", ".join(getattr(error, "fields", ())) or "findings"
    return "findings"


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A 422 whose every error names its field as a dotted path, as the CLI does."""
    detail = []
    for error in exc.errors:
        loc = error["loc"]
        # Body errors carry the parameter's name second (body, findings, kps); query and path
        # errors name the parameter itself (query, country).
        parts = loc[2:] if loc and loc[0] == "body" else loc[1:]
        field = ".".join(str(part) for part in parts)
        detail.append(
            {
                "field": field or _cross_field_names(request),
                "message": error["msg"],
                "loc": error["loc"],
            }
        )
    return api.create_response(request, {"detail": detail}, status=422)


def api_urlpatterns() -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and not isinstance(pattern.callback, partial):
            pattern.callback.login_required = False  # type: ignore[attr-defined]
    return patterns, app_name, namespace
