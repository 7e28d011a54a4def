"""Remind each clinic whose referral is past its deadline, and tell the coordinators; remind the
patient and the clinic of each consultation within a day; email each follow-up check-in that fell
due (as `oncoroute checkins` does). Safe to run every few minutes (a referral is reminded at most
once a day, a consultation once, a check-in once, and two runs at once remind once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoroute.followup.services import check_ins_send_due
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
        check_ins = check_ins_send_due()
        self.stdout.write(f"Emailed {check_ins} follow-up check-in link(s) that fell due.")
