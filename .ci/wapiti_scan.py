"""Serve the demo with production settings on 127.0.0.1 and scan it with wapiti's passive modules.

The server sees every request as HTTPS through the trusted proxy header (as behind the TLS
proxy in production), so HSTS and Secure cookies are what is checked. Exits 1 on any finding,
0 with a SKIPPED line when wapiti cannot be installed here.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

WAPITI = ["uvx", "--from", "wapiti3==3.2.3", "wapiti"]
MODULES = "http_headers,cookieflags,csp"
START_PAGES = ["clinics/", "accounts/login/", "accounts/password-reset/", "request/received/"]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str) -> None:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    # Our own server on 127.0.0.1, plain HTTP: the scheme is fixed above.
    for _ in range(60):
        try:
            with urllib.request.urlopen(request, timeout=2):  # noqa: S310  # nosec B310
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not come up")


def findings(report: Path) -> list[str]:
    data = json.loads(report.read_text())
    return [
        f"{category}: {item.get('info')} ({item.get('path')})"
        for category, items in data.get("vulnerabilities", {}).items()
        for item in items
    ]


def wapiti_available(uvx: str) -> bool:
    check = [uvx, *WAPITI[1:], "--version"]
    return subprocess.run(check, capture_output=True, check=False).returncode == 0  # noqa: S603


def main(artifacts: Path) -> int:
    uvx = str(BIN / "uvx") if (BIN / "uvx").exists() else shutil.which("uvx")
    if uvx is None or not wapiti_available(uvx):
        print("SKIPPED: wapiti3 could not be installed from PyPI here (uvx missing or failed)")
        return 0
    port = free_port()
    with tempfile.TemporaryDirectory() as var:
        env = {
            **os.environ,
            "ONCOROUTE_VAR_DIR": var,
            "SECURE_DEPLOYMENT": "1",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"https://127.0.0.1:{port}",
        }
        env.pop("DATABASE_URL", None)
        oncoroute = str(BIN / "oncoroute")
        for command in (["migrate", "-v0"], ["demo-data"]):
            setup = [oncoroute, *command]
            subprocess.run(setup, env=env, check=True, capture_output=True)  # noqa: S603
        server = subprocess.Popen(  # noqa: S603 - fixed arguments
            [oncoroute, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}/"
            wait_until_up(base)
            report = artifacts / "wapiti.json"
            scan = [uvx, *WAPITI[1:], "-u", base, "--scope", "domain", "-m", MODULES]
            for page in START_PAGES:
                scan += ["-s", base + page]
            scan += ["-H", "X-Forwarded-Proto: https", "--flush-session", "--max-scan-time", "120"]
            scan += ["-f", "json", "-o", str(report)]
            subprocess.run(scan, check=True, capture_output=True, timeout=300)  # noqa: S603
        finally:
            server.terminate()
            server.wait(timeout=10)
    found = findings(report)
    print("\n".join(found) or f"wapiti: no finding ({MODULES}); report in {report}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
