"""The `oncoroute` command: `run` (the demo), `serve`, `worker` and `scheduler` (production),
`demo-data`, `triage`, `deid`, `itinerary`, and every Django command."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

PURE_COMMANDS: dict[str, str] = {
    "triage": "oncoroute.clinical.cli",
    "deid": "oncoroute.deid.cli",
    "itinerary": "oncoroute.itinerary.cli",
}


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncoroute.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["oncoroute", *argv])


def _run(args: list[str]) -> int:
    """Compile the translations, migrate, load the demo, start the task worker, and serve on
    127.0.0.1:$PORT."""
    import subprocess

    from oncoroute.config.catalogues import catalogues_compile

    port = os.environ.get("PORT") or "8000"
    # Links in emails point where the demo is served unless SITE_URL says otherwise.
    site_url = os.environ.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    catalogues_compile()
    _django(["migrate", "--no-input", "-v", "0"])
    _django(["demo_data"])
    print(f"oncoroute: open {site_url}/ (links in emails point there too)", flush=True)
    worker = subprocess.Popen([sys.executable, "-m", "oncoroute.cli", "db_worker", "-v", "0"])
    try:
        _django(["runserver", f"127.0.0.1:{port}", "--noreload", *args])
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    return 0


def _serve(args: list[str]) -> int:
    """Production: gunicorn with the settings of config/gunicorn.py, in place of this process
    (so that the service manager's SIGTERM reaches gunicorn, which shuts down gracefully).
    Migrations are a separate step (docs/deploy.md)."""
    from oncoroute.config.catalogues import catalogues_compile

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncoroute.config.settings")
    catalogues_compile()
    command = [sys.executable, "-m", "gunicorn", "--config", "python:oncoroute.config.gunicorn"]
    os.execv(sys.executable, [*command, *args, "oncoroute.config.wsgi:application"])  # noqa: S606


def _worker() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncoroute.config.settings")
    import django

    django.setup()
    from oncoroute.ops.worker import worker_run

    return worker_run()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command in PURE_COMMANDS:
        from importlib import import_module

        pure_main: Callable[[list[str]], int] = import_module(PURE_COMMANDS[command]).main
        return pure_main(argv[1:])
    if command == "run":
        return _run(argv[1:])
    if command == "serve":
        return _serve(argv[1:])
    if command == "worker":
        return _worker()
    if command == "demo-data":
        argv[0] = "demo_data"
    _django(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
