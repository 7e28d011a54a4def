"""`oncoroute serve`: gunicorn answers, whitenoise serves the static files, SECURE_DEPLOYMENT
redirects to HTTPS (but not the health answers), and SIGTERM stops it cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    var = tmp_path_factory.mktemp("serve")
    env = {**os.environ, "ONCOROUTE_VAR_DIR": str(var)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "oncoroute.cli", "migrate", "-v", "0"],
        env=env,
        check=True,
        timeout=300,
    )
    return var


def _serve(var_dir: Path, **extra: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = _free_port()
    env = {**os.environ, "ONCOROUTE_VAR_DIR": str(var_dir), "PORT": str(port)}
    env.pop("DATABASE_URL", None)
    env.update({"WEB_CONCURRENCY": "1", "WEB_THREADS": "2", **extra})
    server = subprocess.Popen([sys.executable, "-m", "oncoroute.cli", "serve"], env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _get(base + "/healthz")
            break
        except OSError:
            time.sleep(0.3)
    try:
        yield server, base
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


@pytest.fixture
def served(var_dir: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    yield from _serve(var_dir)


def test_serve_answers_pages_health_and_static_files(
    served: tuple[subprocess.Popen[bytes], str],
) -> None:
    _server, base = served
    assert _get(base + "/healthz")[0] == 200
    assert _get(base + "/readyz")[0] == 200
    status, headers, body = _get(base + "/")
    assert status == 200 and b"<form" in body
    status, headers, _ = _get(base + "/static/web/site.css")
    assert status == 200
    assert "max-age" in headers.get("Cache-Control", "")


def test_sigterm_stops_serve_gracefully(served: tuple[subprocess.Popen[bytes], str]) -> None:
    server, base = served
    assert _get(base + "/healthz")[0] == 200
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=40) == 0


def test_secure_deployment_redirects_to_https_but_not_health(var_dir: Path) -> None:
    for _server, base in _serve(var_dir, SECURE_DEPLOYMENT="1"):
        status, headers, _ = _get(base + "/")
        assert status == 301
        assert headers["Location"].startswith("https://")
        assert _get(base + "/healthz")[0] == 200
