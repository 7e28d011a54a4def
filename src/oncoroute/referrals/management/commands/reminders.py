"""Remind each clinic whose referral is past its deadline, and tell the coordinators; safe to run
every few minutes (a referral is reminded at most once a day, and two runs at once remind once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoroute.referrals.services import referrals_remind


class Command(BaseCommand):
    help = "Remind clinics of their overdue referrals and tell the coordinators (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = referrals_remind()
        self.stdout.write(
            f"Reminded the clinics of {reminded} overdue referral(s); the coordinators are told."
        )
