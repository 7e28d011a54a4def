"""Send each case's batched news to the patient: one email per case whose changes have been
quiet for a minute. Safe to run every minute, or twice at once: a notice is sent once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoroute.cases.tasks import patient_notices_send_due


class Command(BaseCommand):
    help = "Send patients the news of their cases, one email per case per batch."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = patient_notices_send_due()
        self.stdout.write(f"Sent {sent} email(s) of news to patients.")
