"""/healthz (the process answers) and /readyz (its database, cache, file storage and task queue
answer), for a load balancer or an orchestrator.

Answered to the loopback address without a token, from elsewhere only with the shared token of
`HEALTH_TOKEN` (`Authorization: Bearer …`); anyone else gets the site's 404. The answer names
each check and whether it passed, never a host, a version or an error's text.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _from_loopback(request: HttpRequest) -> bool:
    # Behind a proxy on the same host every request comes from loopback: one that was forwarded
    # is not the operator's own.
    if request.META.get("HTTP_X_FORWARDED_FOR"):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _token_given(request: HttpRequest) -> bool:
    token = getattr(settings, "HEALTH_TOKEN", "")
    given = request.META.get("HTTP_AUTHORIZATION", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def _allowed(request: HttpRequest) -> None:
    if not (_from_loopback(request) or _token_given(request)):
        raise Http404


def _database() -> None:
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")


def _cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not keep a value")
    cache.delete(key)


def _storage() -> None:
    if isinstance(default_storage, FileSystemStorage):
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        if not os.access(root, os.W_OK):
            raise PermissionError("media folder not writable")
        return
    # Listing the top of the bucket reaches it without touching anyone's record.
    default_storage.listdir("")


def _queue() -> None:
    backend = settings.TASKS["default"]["BACKEND"]
    if "rq" in backend.lower():
        import django_rq

        django_rq.get_connection("default").ping()
    # The database backend's queue is the database, checked above.


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
    "queue": _queue,
}


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers."""
    _allowed(request)
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Every dependency answers: 200, else 503 naming the checks that failed."""
    _allowed(request)
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            logger.warning("readiness check %s failed: %s", name, type(error).__name__)
            results[name] = "failed"
        else:
            results[name] = "ok"
    ready = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "failed", "checks": results}, status=200 if ready else 503
    )
