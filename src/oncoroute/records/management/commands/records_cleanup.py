"""Cancel uploads that stopped long ago and delete their partial files, and queue again the
discs whose indexing stopped (run it daily, or more often)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoroute.records.services import uploads_cleanup_stale, uploads_resume_stalled


class Command(BaseCommand):
    help = "Cancel stale uploads, delete their partial files, resume stalled disc indexing."

    def handle(self, *args: Any, **options: Any) -> None:
        count = uploads_cleanup_stale()
        self.stdout.write(f"{count} stale upload(s) cancelled.")
        resumed = uploads_resume_stalled()
        self.stdout.write(f"{resumed} stalled disc(s) queued again for indexing.")
