from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoroute.accounts.demo import demo_totp_code


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo staff accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(demo_totp_code())
