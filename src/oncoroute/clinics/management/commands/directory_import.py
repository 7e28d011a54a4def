from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oncoroute.clinics.services import directory_import
from oncoroute.clinics.transfer import FORMATS


class Command(BaseCommand):
    help = "Import clinics from a CSV or YAML file; any bad row imports nothing of the file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=FORMATS, help="default: from the file's suffix")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        fmt = options["format"] or ("csv" if path.suffix.lower() == ".csv" else "yaml")
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        report = directory_import(path_or_text=path, format=fmt)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"{path}:{problem.line}: {problem.field}: {problem.message}")
            raise CommandError(f"{len(report.problems)} problem(s); nothing was imported.")
        records = ", ".join(f"{count} {kind}(s)" for kind, count in report.records.items())
        self.stdout.write(
            f"Imported {len(report.created)} new and {len(report.updated)} updated clinic(s)"
            + (f" with {records}." if records else ".")
        )
