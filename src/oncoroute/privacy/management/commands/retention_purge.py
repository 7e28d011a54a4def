"""Apply the retention schedule (privacy.retention.RETENTION_SCHEDULE); run it daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oncoroute.privacy.retention import RETENTION, retention_purge


class Command(BaseCommand):
    help = "Delete data that outlived its retention period; --dry-run only counts it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = retention_purge(dry_run=options["dry_run"])
        verb = "would delete" if options["dry_run"] else "deleted"
        for data_class, count in counts.items():
            keep = RETENTION[data_class].keep.days
            self.stdout.write(f"{data_class}: {verb} {count} (kept {keep} days)")
