"""No health data in logs or error reports: canaries sent through every kind of path, with all
logging captured at DEBUG (SQL included), never come out."""

from __future__ import annotations

import io
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.signals import got_request_exception
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.views.debug import get_exception_reporter_class

from oncoroute.cases import views
from oncoroute.cases.models import Case
from oncoroute.config.logs import RequestIdFilter

pytestmark = pytest.mark.django_db

CANARY = "canary-symptom-paraplegia-7f3a"
NAME_CANARY = "Zzcanary Ivanova"


class Capture(logging.Handler):
    """Keeps each record as text: its message, its traceback and every attribute (extra=)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.plain = logging.Formatter("%(name)s %(levelname)s %(message)s")

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.plain.format(record) + " " + repr(vars(record)))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def captured() -> Iterator[Capture]:
    handler = Capture()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    # What DEBUG=True does to the database layer: every statement goes to django.db.backends.
    debug_cursor = connection.force_debug_cursor
    connection.force_debug_cursor = True
    try:
        yield handler
    finally:
        connection.force_debug_cursor = debug_cursor
        root.setLevel(level)
        root.removeHandler(handler)


def request_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "submission_token": str(uuid.uuid4()),
        "full_name": NAME_CANARY,
        "email": "canary@example.com",
        "country": "KZ",
        "language": "en",
        "writer_role": "patient",
        "primary_cancer": "breast",
        "spine_regions": ["thoracic"],
        "wants": ["online_consultation"],
        "current_treatment": CANARY,
        "message": f"Pain at night. {CANARY}",
        "consent": "on",
    }
    data.update(overrides)
    return data


def exercise_every_path(coordinator: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    public = Client()
    public.post(reverse("landing"), request_form())
    public.post(reverse("landing"), request_form(consent=""))  # invalid: the page again
    case = Case.objects.get(full_name=NAME_CANARY)
    public.post(reverse("login"), {"login": f"{CANARY}@example.com", "password": CANARY})

    staff = Client()
    staff.force_login(coordinator)
    staff.get(reverse("coordinator_queue"), {"q": NAME_CANARY})
    staff.get(reverse("coordinator_case", args=[case.reference]))
    staff.post(reverse("coordinator_case_note", args=[case.reference]), {"text": CANARY})
    findings = reverse("case_findings", args=[case.reference])
    staff.post(findings, {"kps": CANARY, "form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"})
    staff.post(reverse("api:triage_findings"), {"primary": CANARY}, content_type="application/json")

    patient = Client()
    patient.force_login(case.patient)
    patient.get(reverse("patient_case", args=[case.reference]))

    monkeypatch.setattr(views.services, "case_submit", _broken)
    failing = Client(raise_request_exception=False)
    response = failing.post(reverse("landing"), request_form(), HTTP_X_REQUEST_ID="req-canary-1")
    assert response.status_code == 500


@pytest.fixture
def html_reports() -> Iterator[list[str]]:
    """The full HTML error report (local variables included) of each failed request, as an
    error tracker or an HTML error email would get it."""
    reports: list[str] = []

    def render(sender: Any, request: Any, **kwargs: Any) -> None:
        reporter = get_exception_reporter_class(request)(request, *sys.exc_info())
        reports.append(reporter.get_traceback_html())

    got_request_exception.connect(render)
    yield reports
    got_request_exception.disconnect(render)


def test_no_canary_reaches_a_log_or_an_error_report(
    captured: Capture,
    html_reports: list[str],
    coordinator: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.ADMINS = [("Operations", "ops@oncoroute.example")]
    exercise_every_path(coordinator, monkeypatch)
    (html,) = html_reports
    assert "RuntimeError" in html
    assert "case_submit" in html or "_broken" in html
    assert CANARY not in html
    assert NAME_CANARY not in html
    assert "Internal Server Error" in captured.text  # the capture works
    assert CANARY not in captured.text
    assert NAME_CANARY not in captured.text
    (report,) = mail.outbox
    assert "RuntimeError" in report.body  # the report is there, with its traceback
    assert CANARY not in report.body
    assert NAME_CANARY not in report.body


def test_sql_with_its_parameters_never_reaches_the_log(
    captured: Capture, patient_case: Case
) -> None:
    list(Case.objects.filter(full_name=NAME_CANARY))
    assert logging.getLogger("django.db.backends").getEffectiveLevel() >= logging.WARNING
    assert NAME_CANARY not in captured.text


def test_log_lines_carry_the_request_id(monkeypatch: pytest.MonkeyPatch) -> None:
    console = next(h for h in logging.getLogger().handlers if _has_request_id(h))
    stream = io.StringIO()
    previous = console.setStream(stream)  # type: ignore[attr-defined]
    try:
        monkeypatch.setattr(views.services, "case_submit", _broken)
        client = Client(raise_request_exception=False)
        response = client.post(reverse("landing"), request_form(), HTTP_X_REQUEST_ID="req-0042-a")
    finally:
        console.setStream(previous)  # type: ignore[attr-defined]
    assert response["X-Request-ID"] == "req-0042-a"
    assert "req-0042-a" in stream.getvalue()
    assert "Internal Server Error" in stream.getvalue()


def test_a_request_id_that_could_forge_log_lines_is_replaced(client: Client) -> None:
    response = client.get(reverse("landing"), HTTP_X_REQUEST_ID="x\nlevel=CRITICAL")
    assert response["X-Request-ID"].isalnum()


def _broken(**kwargs: Any) -> None:
    raise RuntimeError("the database went away")


def _has_request_id(handler: logging.Handler) -> bool:
    return any(isinstance(f, RequestIdFilter) for f in handler.filters)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_servers_access_lines_carry_no_query_string(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "ONCOROUTE_VAR_DIR": str(tmp_path), "LOG_LEVEL": "INFO"}
    server = subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-m", "oncoroute.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                url = f"http://127.0.0.1:{port}/coordinator/?q={NAME_CANARY.replace(' ', '+')}"
                urllib.request.urlopen(url, timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "GET /coordinator/" in output
    assert "Zzcanary" not in output
