from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oncoroute.clinics.services import directory_export
from oncoroute.clinics.transfer import FORMATS


class Command(BaseCommand):
    help = "Write the clinic directory as CSV or YAML to standard output (or --output FILE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="yaml")
        parser.add_argument("--output", "-o", help="write to this file instead")

    def handle(self, *args: Any, **options: Any) -> None:
        text = directory_export(format=options["format"])
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                out.write(text)
        else:
            self.stdout.write(text, ending="")
