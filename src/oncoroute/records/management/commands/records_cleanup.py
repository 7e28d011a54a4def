"""Cancel uploads that stopped long ago and delete their partial files (run it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoroute.records.services import uploads_cleanup_stale


class Command(BaseCommand):
    help = "Cancel stale uploads and delete their partial files."

    def handle(self, *args: Any, **options: Any) -> None:
        count = uploads_cleanup_stale()
        self.stdout.write(f"{count} stale upload(s) cancelled.")
