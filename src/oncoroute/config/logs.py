"""Request ids on every log record, and error reports that carry no health data."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only when it cannot smuggle anything into a log line.
_REQUEST_ID_FORMAT = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdMiddleware:
    """Takes the proxy's X-Request-ID (or makes one), logs under it, and echoes it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        value = incoming if _REQUEST_ID_FORMAT.match(incoming) else uuid.uuid4().hex
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[REQUEST_ID_HEADER] = value
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (a dash outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class NoQueryStringFilter(logging.Filter):
    """Access lines keep the path and drop the query string: a search may carry a name."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            request_line = record.args[0]
            record.args = (_without_query(request_line), *record.args[1:])
        return True


def _without_query(request_line: str) -> str:
    method, _, rest = request_line.partition(" ")
    target, space, protocol = rest.partition(" ")
    return f"{method} {target.split('?', 1)[0]}{space}{protocol}"


class HealthDataReporterFilter(SafeExceptionReporterFilter):
    """Error reports keep the traceback and drop every submitted value and local variable.

    Any form on the site may hold health data, and a local variable may hold a whole request,
    so values are hidden wholesale rather than by a list of field names that would go stale.
    """

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        return {key: self.cleansed_substitute for key in request.POST}

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return {name: self.cleansed_substitute for name in tb_frame.f_locals}.items()


class HealthDataExceptionReporter(ExceptionReporter):
    """Also hides query-string values (the queue's search by name) and upload names."""

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        if self.request is not None and self.filter.is_active(self.request):
            hidden = self.filter.cleansed_substitute
            data["request_GET_items"] = [(key, hidden) for key in self.request.GET]
            data["request_FILES_items"] = [(key, hidden) for key in self.request.FILES]
        return data
