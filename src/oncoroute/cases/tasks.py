"""Background work on cases, run by the Django tasks worker."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import get_supported_language_variant, gettext, override
from django_tasks import task

from oncoroute.cases import events
from oncoroute.cases.models import Case, Message, PatientNotice
from oncoroute.cases.notices import patient_notices_claim, patient_notices_due
from oncoroute.cases.services import request_link_awaited, request_link_token
from oncoroute.ops.steps import task_step


def _set_password_url(case: Case) -> str:
    """A one-time link for the sender to choose a password, if their account has none yet."""
    user = case.patient
    if user is None or user.has_usable_password():
        return ""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def _sender_language(case: Case) -> str:
    """The language of the emails to the sender: the one their request asked for, where the
    site has it, else the site's own."""
    try:
        return get_supported_language_variant(case.language)
    except LookupError:
        return settings.LANGUAGE_CODE


def _request_link_url(case: Case) -> str:
    """The link that adds the request to the account its address already has, if any."""
    if not request_link_awaited(case):
        return ""
    path = reverse("request_link", args=[case.reference, request_link_token(case)])
    return settings.SITE_URL + path


@task()
def case_request_emails_send(*, case_id: int) -> int:
    """Tell the coordinators about a new request and acknowledge it to the sender."""
    case = Case.objects.select_related("patient").get(pk=case_id)
    context = {
        "case": case,
        "site_url": settings.SITE_URL,
        "case_url": settings.SITE_URL + reverse("coordinator_case", args=[case.reference]),
        "set_password_url": _set_password_url(case),
        "request_link_url": _request_link_url(case),
        "first_answer_hours": settings.FIRST_ANSWER_HOURS,
    }

    def to_coordinators() -> int:
        with override(settings.LANGUAGE_CODE):
            if case.is_emergency:
                subject = gettext("URGENT New request %(reference)s")
            else:
                subject = gettext("New request %(reference)s")
            return send_mail(
                subject=subject % {"reference": case.reference},
                message=render_to_string("cases/email/coordinators_new_request.txt", context),
                from_email=None,
                recipient_list=settings.COORDINATOR_EMAILS,
            )

    def to_sender() -> int:
        with override(_sender_language(case)):
            subject = gettext("Your request %(reference)s")
            if case.is_emergency:
                subject = gettext("Please seek emergency care today — your request %(reference)s")
            return send_mail(
                subject=subject % {"reference": case.reference},
                message=render_to_string("cases/email/acknowledgement.txt", context),
                from_email=None,
                recipient_list=[case.email],
            )

    # Each email is a step: a run again after a worker died sends only what was not sent.
    sent = task_step("coordinators", to_coordinators, skipped=len(settings.COORDINATOR_EMAILS))
    if case.email:
        sent += task_step("sender", to_sender, skipped=1)
    task_step("event", lambda: events.emails_sent_event(case=case, recipients=sent), None)
    return sent


@task()
def case_emergency_advice_send(*, case_id: int) -> int:
    """Send the sender the advice to seek emergency care locally, after a coordinator's referral."""
    case = Case.objects.get(pk=case_id)
    if not case.email:
        return 0

    def to_sender() -> int:
        with override(_sender_language(case)):
            return send_mail(
                subject=gettext("Please seek emergency care today — %(reference)s")
                % {"reference": case.reference},
                message=render_to_string("cases/email/emergency_advice.txt", {"case": case}),
                from_email=None,
                recipient_list=[case.email],
            )

    sent = task_step("sender", to_sender, skipped=1)
    task_step("event", lambda: events.emergency_advice_sent_event(case=case, recipients=sent), None)
    return sent


def _coordinator_recipients(case: Case) -> list[str]:
    """The case's coordinator, else the coordinators' shared address."""
    if case.assigned_to is not None and case.assigned_to.email:
        return [case.assigned_to.email]
    return list(settings.COORDINATOR_EMAILS)


@task()
def message_notify(*, message_id: int) -> int:
    """Tell the coordinators that the family has written, with a link to the thread: never the
    message's text nor anything of the patient's health. (The family hears of a coordinator's
    message in the case's batched news: patient_notices_send.)"""
    message = Message.objects.select_related("case", "case__assigned_to").get(pk=message_id)
    case = message.case
    if message.side != Message.Side.PATIENT:
        return 0
    url = settings.SITE_URL + reverse("coordinator_case", args=[case.reference]) + "#messages"

    def to_coordinators() -> int:
        with override(settings.LANGUAGE_CODE):
            return send_mail(
                subject=gettext("New message from the family on %(reference)s")
                % {"reference": case.reference},
                message=render_to_string(
                    "cases/email/message_to_coordinators.txt", {"case": case, "url": url}
                ),
                from_email=None,
                recipient_list=_coordinator_recipients(case),
            )

    return task_step("coordinators", to_coordinators, skipped=1)


@task()
def patient_notices_send(*, case_id: int) -> int:
    """One email to the patient for all the case's pending notices, once the case has been
    quiet for a minute; a run before that, or after another run sent them, sends nothing."""
    with transaction.atomic():
        kinds = patient_notices_claim(case_id=case_id)
        if not kinds:
            return 0
        case = Case.objects.get(pk=case_id)
        if not case.email:
            return 0
        url = settings.SITE_URL + reverse("patient_case", args=[case.reference])
        with override(_sender_language(case)):
            lines = [str(PatientNotice.Kind(kind).label) for kind in kinds]
            return send_mail(
                subject=gettext("News about your case %(reference)s")
                % {"reference": case.reference},
                message=render_to_string(
                    "cases/email/patient_news.txt", {"case": case, "lines": lines, "url": url}
                ),
                from_email=None,
                recipient_list=[case.email],
            )


def patient_notices_send_due() -> int:
    """Send every case's batch that is due (`oncoroute notify`); returns the emails sent."""
    return sum(patient_notices_send.call(case_id=case_id) for case_id in patient_notices_due())
