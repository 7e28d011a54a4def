"""Demo people for `make run`: staff with a published second factor (coordinators and a doctor
of each of two demo clinics), and a patient."""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.accounts.services import email_verify, roles_ensure, user_create
from oncoroute.clinics.models import Clinic

DEMO_PASSWORD = "demo-oncoroute-2026"  # noqa: S105 (printed to the person running the demo)
# Published on purpose: it guards nothing but demo accounts on a demo installation.
DEMO_TOTP_SECRET = "ONCOROUTEDEMOSECRETONCOROUTEDEMO"  # noqa: S105
# email, first name, last name, the slug of the demo clinic (clinics.demo) they work at.
DEMO_CLINIC_DOCTORS = [
    ("doctor@american-hospital-istanbul.example", "Kerem", "Oral", "american-hospital-istanbul"),
    ("doctor@teknon-barcelona.example", "Laia", "Puig", "teknon-barcelona"),
]


def _demo_second_factor(user: User) -> None:
    """Demo staff share one published authenticator secret, so anyone can try the demo."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def demo_totp_code() -> str:
    """The code an authenticator app holding the demo secret shows now."""
    return str(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30)))


def _demo_doctors_attach() -> None:
    """Each demo doctor works at their demo clinic, once the demo clinics are loaded."""
    for email, _first, _last, slug in DEMO_CLINIC_DOCTORS:
        clinic = Clinic.objects.filter(slug=slug).first()
        if clinic is not None:
            User.objects.filter(email=email, clinic__isnull=True).update(clinic=clinic)


def demo_people_load() -> tuple[User, User]:
    """The demo staff and patient (created once); returns the first coordinator and the patient.

    Load the demo clinics first (`clinics.demo`): each demo doctor is attached to one."""
    roles_ensure()
    people = [
        ("coordinator@oncoroute.example", Role.COORDINATOR, "Maria", "Koval"),
        ("coordinator2@oncoroute.example", Role.COORDINATOR, "Deniz", "Aydin"),
        *(
            (email, Role.CLINIC_DOCTOR, first, last)
            for email, first, last, _ in DEMO_CLINIC_DOCTORS
        ),
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
    _demo_doctors_attach()
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
