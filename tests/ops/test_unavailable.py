"""A lost connection to the database or Redis answers with the 503 page, not the 500 page."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client
from redis.exceptions import ConnectionError as RedisConnectionError

from oncoroute.cases import views

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("error", [OperationalError, RedisConnectionError])
def test_a_lost_connection_is_the_503_page_with_retry_after(
    monkeypatch: pytest.MonkeyPatch, error: type[Exception]
) -> None:
    def away(*args: object, **kwargs: object) -> None:
        raise error("server closed the connection unexpectedly: SELECT secret")

    monkeypatch.setattr(views, "render", away)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Please try again in a minute" in response.content
    assert b"SELECT" not in response.content


def test_any_other_error_is_still_the_500_page(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(views, "render", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500


def test_a_session_that_cannot_be_saved_because_the_database_left_is_the_503_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = SessionStore()
    session["seen"] = True
    session.create()
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = session.session_key or ""
    monkeypatch.setattr(views, "render", lambda request, *a, **k: _touch(request))

    # The view is done; saving its session meets the lost connection, which Django's session
    # store reports as "the session was deleted meanwhile", a 400.
    def away(self: object, **kwargs: object) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Session, "save", away)
    response = client.get("/")
    assert response.status_code == 503
    assert b"Please try again in a minute" in response.content


def _touch(request: object) -> HttpResponse:
    request.session["submitted_case_ids"] = [1]  # type: ignore[attr-defined]
    return HttpResponse("ok")


def test_any_other_bad_request_is_still_the_400_page() -> None:
    response = Client(raise_request_exception=False).get("/", headers={"Host": "bad host"})
    assert response.status_code == 400
