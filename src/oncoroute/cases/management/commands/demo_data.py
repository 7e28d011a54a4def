from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoroute.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from oncoroute.cases.demo import demo_data_load


class Command(BaseCommand):
    help = "Load the demo users and cases (running it again changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = demo_data_load()
        self.stdout.write(f"Demo data: {created} new case(s).")
        self.stdout.write(
            "Sign in as the demo coordinator: coordinator@oncoroute.example / "
            f"{DEMO_PASSWORD}\n"
            f"          or the demo patient:  patient@oncoroute.example / {DEMO_PASSWORD}\n"
            "Staff also need a code from an authenticator app: the demo staff share the secret "
            f"{DEMO_TOTP_SECRET};\n"
            "          `oncoroute demo_code` prints its current code."
        )
