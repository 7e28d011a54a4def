"""Remind each clinic whose referral is past its deadline, and tell the coordinators; remind the
patient and the clinic of each consultation within a day. Safe to run every few minutes (a
referral is reminded at most once a day, a consultation once, and two runs at once remind once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoroute.referrals.services import consultations_remind, referrals_remind


class Command(BaseCommand):
    help = (
        "Remind clinics of their overdue referrals and tell the coordinators; remind patients and"
        " clinics of consultations within 24 hours (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = referrals_remind()
        self.stdout.write(
            f"Reminded the clinics of {reminded} overdue referral(s); the coordinators are told."
        )
        consultations = consultations_remind()
        self.stdout.write(f"Reminded of {consultations} consultation(s) within 24 hours.")
