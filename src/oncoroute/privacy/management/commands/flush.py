"""Django's flush, allowed to empty the append-only audit table (tests reset databases with it)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from oncoroute.privacy.audit import audit_unlocked


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with audit_unlocked(options["database"]):
            super().handle(**options)
