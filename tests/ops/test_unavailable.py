"""A lost connection to the database or Redis answers with the 503 page, not the 500 page."""

from __future__ import annotations

import pytest
from django.db import OperationalError
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
