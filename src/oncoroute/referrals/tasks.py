"""Emails about referrals. They name the referral by its number and link to the portal: never
the patient's name, contact, reference or any health data."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_supported_language_variant, gettext, override
from django.utils.translation import gettext_lazy as _lazy
from django_tasks import task

from oncoroute.accounts.models import User
from oncoroute.ops.steps import task_step
from oncoroute.referrals.consultations import (
    ics_invitation,
    local_time,
    patient_time_zone,
)
from oncoroute.referrals.models import Consultation, Referral


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
    # A step per email: a run again after a worker died sends only what was not sent.
    return task_step(
        template,
        lambda: send_mail(subject=subject, message=body, from_email=None, recipient_list=to),
        skipped=1,
    )


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


def _patient_language(consultation: Consultation) -> str:
    try:
        return get_supported_language_variant(consultation.referral.case.language)
    except LookupError:
        return "en"


# Why an email about a consultation goes out: its subject, read in the reader's language.
_SUBJECTS = {
    "invitation": "%(summary)s",
    "reminder": _lazy("Reminder: %(summary)s"),
    "confirmed": _lazy("Confirmed: %(summary)s"),
    "cancelled": _lazy("Cancelled: %(summary)s"),
}


def _subject(why: str, summary: str) -> str:
    return str(_SUBJECTS[why]) % {"summary": summary}


def _consultation_emails(consultation: Consultation, *, why: str) -> int:
    """The invitation, its reminder or its update (confirmed, cancelled) with its `.ics`: to the
    patient in the case's language and zone, saying only "consultation with <clinic>"; to the
    clinic's doctors in the clinic's zone, naming the referral by its number and nothing of the
    patient."""
    referral = consultation.referral
    case, clinic = referral.case, referral.clinic
    sent = 0
    if case.email:
        with override(_patient_language(consultation)):
            summary = gettext("Consultation with %(clinic)s") % {"clinic": clinic.name}
            context = {
                "consultation": consultation, "clinic": clinic, "why": why,
                "local": local_time(consultation, patient_time_zone(case)),
                "url": settings.SITE_URL + reverse("patient_case", args=[case.reference]),
            }  # fmt: skip
            body = render_to_string("referrals/email/patient_consultation.txt", context)
            subject = _subject(why, summary)
            sent += task_step(
                "patient",
                lambda: _with_invitation(consultation, subject, body, [case.email], summary),
                skipped=1,
            )
    doctors = _clinic_addresses(referral)
    if doctors:
        with override(settings.LANGUAGE_CODE):
            summary = gettext("Consultation, referral R-%(id)s") % {"id": referral.pk}
            context = {
                "consultation": consultation, "referral": referral, "why": why,
                "local": local_time(consultation, clinic.time_zone),
                "portal_url": settings.SITE_URL + reverse("referral_detail", args=[referral.pk]),
            }  # fmt: skip
            body = render_to_string("referrals/email/clinic_consultation.txt", context)
            subject = _subject(why, summary)
            sent += task_step(
                "clinic",
                lambda: _with_invitation(consultation, subject, body, doctors, summary),
                skipped=1,
            )
    return sent


def _with_invitation(
    consultation: Consultation, subject: str, body: str, to: list[str], summary: str
) -> int:
    email = EmailMessage(subject=subject, body=body, to=to)
    method = "CANCEL" if consultation.status == "cancelled" else "REQUEST"
    email.attach(
        "consultation.ics",
        ics_invitation(consultation, summary=summary),
        f"text/calendar; method={method}; charset=utf-8",
    )
    return email.send()


def _consultation(consultation_id: int) -> Consultation:
    return Consultation.objects.select_related("referral__case", "referral__clinic").get(
        pk=consultation_id
    )


@task()
def consultation_invite(*, consultation_id: int) -> int:
    """Send the invitation of a newly scheduled consultation to the patient and the clinic."""
    return _consultation_emails(_consultation(consultation_id), why="invitation")


@task()
def consultation_reminder_send(*, consultation_id: int) -> int:
    """Remind the patient and the clinic of tomorrow's consultation, with the invitation again."""
    return _consultation_emails(_consultation(consultation_id), why="reminder")


@task()
def consultation_update(*, consultation_id: int) -> int:
    """Tell the patient and the clinic that a consultation is confirmed or cancelled, with the
    invitation updated (a cancellation removes it from their calendars)."""
    consultation = _consultation(consultation_id)
    return _consultation_emails(consultation, why=str(consultation.status))
