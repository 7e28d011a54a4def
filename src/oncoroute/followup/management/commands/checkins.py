"""Email the link of each follow-up check-in that fell due. Safe to run every few minutes, or
twice at once: a check-in is emailed once. (`oncoroute reminders` runs it too.)"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoroute.followup.services import check_ins_send_due


class Command(BaseCommand):
    help = "Email patients the link of each follow-up check-in that fell due (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = check_ins_send_due()
        self.stdout.write(f"Emailed {sent} follow-up check-in link(s) that fell due.")
