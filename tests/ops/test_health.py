"""/healthz and /readyz: loopback without a token, elsewhere only with the shared one, and
nothing of the configuration in the answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from oncoroute.ops import health

pytestmark = pytest.mark.django_db

ELSEWHERE = {"REMOTE_ADDR": "203.0.113.9"}


def test_healthz_answers_loopback_without_a_token(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_names_each_check_and_nothing_else(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "queue": "ok"},
    }


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_another_address_without_the_token_gets_the_sites_404(
    client: Client, settings: Any, url: str
) -> None:
    settings.HEALTH_TOKEN = "s3cret-token-for-the-balancer"
    assert client.get(url, **ELSEWHERE).status_code == 404
    wrong = {"HTTP_AUTHORIZATION": "Bearer guess", **ELSEWHERE}
    assert client.get(url, **wrong).status_code == 404


def test_another_address_with_the_token_gets_the_answer(client: Client, settings: Any) -> None:
    settings.HEALTH_TOKEN = "s3cret-token-for-the-balancer"
    given = {"HTTP_AUTHORIZATION": "Bearer s3cret-token-for-the-balancer", **ELSEWHERE}
    assert client.get("/readyz", **given).status_code == 200


def test_no_token_set_means_no_answer_to_other_addresses(client: Client, settings: Any) -> None:
    settings.HEALTH_TOKEN = ""
    assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer ", **ELSEWHERE).status_code == 404


def test_a_request_forwarded_by_a_local_proxy_is_not_the_operators(client: Client) -> None:
    assert client.get("/healthz", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404


def test_a_failing_check_is_a_503_without_its_error(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise ConnectionError("redis://:hunter2@10.0.0.5:6379/0 refused")

    monkeypatch.setitem(health.CHECKS, "queue", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"] == "failed"
    assert response.json()["checks"]["database"] == "ok"
    assert b"hunter2" not in response.content
    assert b"10.0.0.5" not in response.content
