"""Demo people for `make run`: staff with a published second factor, and a patient."""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.accounts.services import email_verify, roles_ensure, user_create

DEMO_PASSWORD = "demo-oncoroute-2026"  # noqa: S105 (printed to the person running the demo)
# Published on purpose: it guards nothing but demo accounts on a demo installation.
DEMO_TOTP_SECRET = "ONCOROUTEDEMOSECRETONCOROUTEDEMO"  # noqa: S105


def _demo_second_factor(user: User) -> None:
    """Demo staff share one published authenticator secret, so anyone can try the demo."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def demo_totp_code() -> str:
    """The code an authenticator app holding the demo secret shows now."""
    return str(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30)))


def demo_people_load() -> tuple[User, User]:
    """The demo staff and patient (created once); returns the first coordinator and the patient."""
    roles_ensure()
    people = [
        ("coordinator@oncoroute.example", Role.COORDINATOR, "Maria", "Koval"),
        ("coordinator2@oncoroute.example", Role.COORDINATOR, "Deniz", "Aydin"),
        ("doctor@clinic.example", Role.CLINIC_DOCTOR, "Emre", "Kaya"),
    ]
    for email, role, first, last in people:
        if not User.objects.filter(email=email).exists():
            user_create(
                email=email,
                role=role,
                first_name=first,
                last_name=last,
                password=DEMO_PASSWORD,
                email_verified=True,
            )
    if not User.objects.filter(username="admin@oncoroute.example").exists():
        User.objects.create_superuser(
            "admin@oncoroute.example", "admin@oncoroute.example", DEMO_PASSWORD
        )
    patient = User.objects.filter(email="patient@oncoroute.example").first()
    if patient is None:
        patient = user_create(
            email="patient@oncoroute.example",
            role=Role.PATIENT,
            first_name="Anna",
            last_name="Petrova",
            password=DEMO_PASSWORD,
            email_verified=True,
        )
    # Demo addresses receive no mail: they count as verified, also in a database made earlier.
    demo_emails = [email for email, *_ in people]
    demo_emails += ["admin@oncoroute.example", "patient@oncoroute.example"]
    for user in User.objects.filter(email__in=demo_emails):
        email_verify(user=user)
        if (
            user.is_superuser
            or user.has_role(Role.COORDINATOR)
            or user.has_role(Role.CLINIC_DOCTOR)
        ):
            _demo_second_factor(user)
    return User.objects.get(email="coordinator@oncoroute.example"), patient
