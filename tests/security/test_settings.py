"""Production settings: Django's deployment check finds nothing, and the choices it cannot see."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRODUCTION = {
    "SECURE_DEPLOYMENT": "1",
    "DEBUG": "1",  # must be overridden by SECURE_DEPLOYMENT
    "ALLOWED_HOSTS": "oncoroute.example",
    "SITE_URL": "https://oncoroute.example",
    "SECRET_KEY": "x" * 10 + "-production-like-secret-key-of-more-than-fifty-characters-0123",
}


def run_production(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # A clean environment: test-only variables (such as DJANGO_ALLOW_ASYNC_UNSAFE, set by the
    # browser tests) must not leak into what production would see.
    env = {"PATH": os.environ["PATH"], **PRODUCTION, "ONCOROUTE_VAR_DIR": str(tmp_path)}
    return subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deployment_check_finds_no_issue_in_production(tmp_path: Path) -> None:
    result = run_production(
        "import sys\n"
        "from oncoroute.cli import main\n"
        "sys.exit(main(['check', '--deploy', '--fail-level', 'WARNING']))",
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_turns_debug_off_and_uses_host_only_secure_cookies(tmp_path: Path) -> None:
    result = run_production(
        "import django, os\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'oncoroute.config.settings'\n"
        "django.setup()\n"
        "from django.conf import settings as s\n"
        "print(s.DEBUG, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, s.PASSWORD_HASHERS[0])",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "31536000",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


def test_passwords_need_twelve_characters_and_are_hashed_with_argon2() -> None:
    validators = {v["NAME"].rsplit(".", 1)[1]: v for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] >= 12
    assert "CommonPasswordValidator" in validators
