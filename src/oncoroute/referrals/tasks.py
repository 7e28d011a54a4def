"""Emails about referrals. They name the referral by its number and link to the portal: never
the patient's name, contact, reference or any health data."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from oncoroute.accounts.models import User
from oncoroute.referrals.models import Referral


def _clinic_addresses(referral: Referral) -> list[str]:
    doctors = User.objects.filter(clinic_id=referral.clinic_id, is_active=True)
    return [email for email in doctors.values_list("email", flat=True) if email]


def _send(referral: Referral, template: str, subject: str, to: list[str]) -> int:
    if not to:
        return 0
    context = {
        "referral": referral,
        "portal_url": settings.SITE_URL + reverse("referral_detail", args=[referral.pk]),
        "case_url": settings.SITE_URL + reverse("coordinator_case", args=[referral.case.reference]),
    }
    body = render_to_string(f"referrals/email/{template}.txt", context)
    return send_mail(subject=subject, message=body, from_email=None, recipient_list=to)


@task()
def referral_clinic_notify(*, referral_id: int) -> int:
    """Tell the clinic's doctors a case waits for them in the portal."""
    referral = Referral.objects.select_related("case").get(pk=referral_id)
    subject = f"New referral R-{referral.pk} for your clinic"
    return _send(referral, "clinic_new", subject, _clinic_addresses(referral))


@task()
def referral_reminder_send(*, referral_id: int) -> int:
    """Remind the clinic of a deadline passed, and tell the coordinators."""
    referral = Referral.objects.select_related("case").get(pk=referral_id)
    sent = _send(
        referral, "clinic_reminder", f"Reminder: referral R-{referral.pk} is past its deadline",
        _clinic_addresses(referral),
    )  # fmt: skip
    sent += _send(
        referral, "coordinator_overdue", f"Referral R-{referral.pk} is overdue",
        settings.COORDINATOR_EMAILS,
    )  # fmt: skip
    return sent


@task()
def referral_closed_notify(*, referral_id: int) -> int:
    """Tell the clinic's doctors, with thanks, that the patient chose another clinic and the
    referral is closed: its number only, no reason the patient did not give."""
    referral = Referral.objects.select_related("case").get(pk=referral_id)
    subject = f"Referral R-{referral.pk} is closed"
    return _send(referral, "clinic_closed", subject, _clinic_addresses(referral))
