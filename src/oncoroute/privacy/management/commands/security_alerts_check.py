"""Look for bulk health-data reads and bursts of refusals in the audit trail; run it often."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoroute.privacy.breaches import security_alerts_check


class Command(BaseCommand):
    help = "Raise security alerts from the audit trail of the last window."

    def handle(self, *args: Any, **options: Any) -> None:
        alerts = security_alerts_check()
        self.stdout.write(f"{len(alerts)} new alert(s).")
