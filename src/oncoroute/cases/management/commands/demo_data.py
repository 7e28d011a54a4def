from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoroute.accounts.demo import DEMO_CLINIC_DOCTORS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from oncoroute.accounts.models import User
from oncoroute.cases.demo import demo_data_load
from oncoroute.clinics.models import Clinic
from oncoroute.records.demo import records_demo_load
from oncoroute.referrals.demo import demo_patient_case, referrals_demo_load


class Command(BaseCommand):
    help = "Load the demo users, clinics, cases and a referral (running it again changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = demo_data_load()
        referrals_demo_load(coordinator=User.objects.get(email="coordinator@oncoroute.example"))
        case = demo_patient_case()
        if case is not None and records_demo_load(case=case):
            self.stdout.write(
                "Demo imaging: a CT disc sent; the worker unpacks and de-identifies it."
            )
        self.stdout.write(f"Demo data: {created} new case(s).")
        self.stdout.write(
            "Sign in as the demo coordinator: coordinator@oncoroute.example / "
            f"{DEMO_PASSWORD}\n"
            f"          or the demo patient:  patient@oncoroute.example / {DEMO_PASSWORD}\n"
            f"{self._doctors()}"
            "Staff also need a code from an authenticator app: the demo staff share the secret "
            f"{DEMO_TOTP_SECRET};\n"
            "          `oncoroute demo_code` prints its current code."
        )

    def _doctors(self) -> str:
        names = dict(Clinic.objects.values_list("slug", "name"))
        return "".join(
            f"          or a demo clinic doctor ({names.get(slug, slug)}): {email} / "
            f"{DEMO_PASSWORD}\n"
            for email, _first, _last, slug in DEMO_CLINIC_DOCTORS
        )
