"""A clean 503 page while the database, the cache or Redis is away for a moment.

A request that meets a lost connection (in a view or in a middleware) gets "try again in a
minute" (and `Retry-After`) instead of the 500 page, and nothing half-written: the request's
writes are in transactions that the lost connection never committed. The next
request opens a new connection, so the site recovers by itself once the service is back.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def _unavailable_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis comes with the RQ backend
        pass
    else:
        errors += [RedisConnectionError, RedisTimeoutError]
    return tuple(errors)


UNAVAILABLE_ERRORS = _unavailable_errors()


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's 500 handler: the 503 page when the error is a lost connection."""
    error = sys.exc_info()[1]
    if not isinstance(error, UNAVAILABLE_ERRORS):
        return defaults.server_error(request)
    return _unavailable(request, error)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 400 handler: the 503 page when a lost connection lies behind it.

    Saving a session turns any database error into "the session was deleted meanwhile" (a 400);
    when the database has just gone away, the person should read "try again in a minute".
    """
    cause = _lost_connection_behind(exception)
    if cause is None:
        return defaults.bad_request(request, exception)
    return _unavailable(request, cause)


def _lost_connection_behind(exception: BaseException) -> BaseException | None:
    seen: BaseException | None = exception
    while seen is not None:
        if isinstance(seen, UNAVAILABLE_ERRORS):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _unavailable(request: HttpRequest, error: BaseException) -> HttpResponse:
    # The type only: a driver's message can quote a statement's parameters.
    logger.error("service unavailable on %s: %s", request.path, type(error).__name__)
    for connection in connections.all(initialized_only=True):
        # A broken connection is dropped now, so the next request opens a fresh one.
        connection.close_if_unusable_or_obsolete()
    # Rendered without the request's context: the user, the session and the messages may be
    # in the very database that is away.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
