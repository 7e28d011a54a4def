"""Writes on the follow-up: plan the check-ins after the return home, email each one's link when
it is due, and record the answer (with the safety response to warning signs).

A check-in's link reads `<SITE_URL>/f/<token>/`: the token is 32 random bytes
(`secrets.token_urlsafe`) of which only the SHA-256 is stored, as for the home doctor's link;
the URL holds nothing else. It opens for `FOLLOWUP_LINK_DAYS` days (14 by default), while the
case is open and its health-data consent active. The email names neither the illness nor any
answer: only that a check-in is due, and the link.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_supported_language_variant, gettext, override

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case, Consent
from oncoroute.cases.services import case_priority_set
from oncoroute.cases.vocabulary import Urgency
from oncoroute.cases.workflow import CLOSED_STATES
from oncoroute.followup import events
from oncoroute.followup.answers import CheckInAnswers
from oncoroute.followup.models import CheckIn, FollowUp
from oncoroute.followup.schedule import DEFAULT_SCHEDULE, ScheduleError, check_in_dates
from oncoroute.followup.vocabulary import Respondent, interval_label
from oncoroute.privacy.audit import Action, Outcome, audit_record

LINK_OBJECT = "followup.checkin"


class FollowUpRefused(Exception):
    """A follow-up action that cannot be done; the message says why, in plain words."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_days() -> int:
    return int(getattr(settings, "FOLLOWUP_LINK_DAYS", 14))


@transaction.atomic
def followup_schedule(
    *,
    case: Case,
    returned_on: date,
    schedule: Sequence[str] | None = None,
    actor: User | None = None,
) -> FollowUp:
    """Plan the case's check-ins after the patient came home on `returned_on`: the schedule
    given, else the case's own, else 2 weeks, 6 weeks, 3 months and 6 months. The trips app
    calls it when a trip's return completes; the coordinator calls it from the follow-up page.

    Planning again keeps every answered check-in; an unanswered one moves to its new day, and
    one whose interval left the schedule is cancelled (its link stops opening). Raises
    `FollowUpRefused` for a return in the future or a schedule `followup.schedule` refuses;
    then nothing changes."""
    if returned_on > timezone.localdate():
        raise FollowUpRefused(gettext("The return home cannot be in the future."))
    current = FollowUp.objects.select_for_update().filter(case=case).first()
    codes = list(schedule or (current.schedule if current else DEFAULT_SCHEDULE))
    try:
        dates = check_in_dates(returned_on, codes)
    except ScheduleError as error:
        raise FollowUpRefused(str(error)) from None
    now = timezone.now()
    follow_up, _created = FollowUp.objects.update_or_create(
        case=case,
        defaults={
            "returned_on": returned_on,
            "schedule": [code for code, _due in dates],
            "set_by": actor,
            "set_at": now,
        },
    )
    active = {
        check_in.interval: check_in
        for check_in in CheckIn.objects.select_for_update().filter(
            case=case, cancelled_at__isnull=True
        )
    }
    for code, due_on in dates:
        check_in = active.pop(code, None)
        if check_in is None:
            CheckIn.objects.create(case=case, interval=code, due_on=due_on)
        elif not check_in.is_answered and check_in.due_on != due_on:
            check_in.due_on = due_on
            check_in.save(update_fields=["due_on"])
    for check_in in active.values():
        if not check_in.is_answered:
            check_in.cancelled_at = now
            check_in.save(update_fields=["cancelled_at"])
    audit_record(actor=actor, action=Action.UPDATE, obj=follow_up, detail={"case": case.pk})
    events.followup_planned_event(case=case, actor=actor, follow_up=follow_up)
    return follow_up


def _health_data_consented(case: Case) -> bool:
    return Consent.objects.filter(
        case=case, purpose=Consent.Purpose.HEALTH_DATA, withdrawn_at__isnull=True
    ).exists()


def check_in_sendable(case: Case) -> str:
    """Why no check-in link may go to the case now, or "" when one may."""
    if case.state in CLOSED_STATES:
        return gettext("The case is closed.")
    if not case.email:
        return gettext("The case has no email address.")
    if not _health_data_consented(case):
        return gettext("The patient has withdrawn their health-data consent.")
    return ""


def _language(case: Case) -> str:
    try:
        return get_supported_language_variant(case.language)
    except LookupError:
        return settings.LANGUAGE_CODE


def _email(check_in: CheckIn, url: str) -> int:
    """The link, in the case's language: that a check-in is due, nothing of the answers or the
    illness."""
    case = check_in.case
    with override(_language(case)):
        context = {
            "interval": interval_label(check_in.interval),
            "url": url,
            "expires_at": check_in.expires_at,
        }
        return send_mail(
            subject=gettext("Time for your check-in — %(reference)s")
            % {"reference": case.reference},
            message=render_to_string("followup/email/check_in_due.txt", context),
            from_email=None,
            recipient_list=[case.email],
        )


@transaction.atomic
def check_in_link_send(*, check_in: CheckIn, actor: User | None = None) -> CheckIn:
    """Email the check-in's link with a new token; a link sent before stops opening. Sent
    inside the transaction, so a failed send leaves the check-in as it was."""
    check_in = CheckIn.objects.select_for_update().select_related("case").get(pk=check_in.pk)
    if check_in.is_answered:
        raise FollowUpRefused(gettext("This check-in is answered already."))
    if check_in.cancelled_at is not None:
        raise FollowUpRefused(gettext("This check-in was taken off the schedule."))
    if reason := check_in_sendable(check_in.case):
        raise FollowUpRefused(reason)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    check_in.token_sha256 = _digest(token)
    check_in.emailed_at = now
    check_in.expires_at = now + timedelta(days=link_days())
    check_in.save(update_fields=["token_sha256", "emailed_at", "expires_at"])
    audit_record(actor=actor, action=Action.SHARE, obj=check_in, detail={"case": check_in.case_id})
    _email(check_in, settings.SITE_URL + reverse("followup_check_in", args=[token]))
    return check_in


def check_ins_send_due(*, today: date | None = None) -> int:
    """Email the link of each check-in that is due and not sent yet; returns how many were sent.
    Where several of one case are due at once (a return recorded late), only the latest is
    sent and the earlier ones are cancelled: one email, one form. A case that is closed, has no
    email address or withdrew its consent is skipped. Safe to run twice at once: a check-in is
    claimed under a row lock, and one already emailed is never sent again."""
    today = today or timezone.localdate()
    due = (
        CheckIn.objects.filter(
            due_on__lte=today,
            emailed_at__isnull=True,
            cancelled_at__isnull=True,
            answered_at__isnull=True,
        )
        .exclude(case__state__in=CLOSED_STATES)
        .order_by("case_id", "due_on")
    )
    latest: dict[int, int] = {}
    earlier: list[int] = []
    for check_in_id, case_id in due.values_list("pk", "case_id"):
        if case_id in latest:
            earlier.append(latest[case_id])
        latest[case_id] = check_in_id
    if earlier:
        CheckIn.objects.filter(pk__in=earlier, emailed_at__isnull=True).update(
            cancelled_at=timezone.now()
        )
    sent = 0
    for check_in in CheckIn.objects.filter(pk__in=latest.values()).select_related("case"):
        if check_in_sendable(check_in.case):
            continue
        try:
            with transaction.atomic():
                locked = CheckIn.objects.select_for_update().get(pk=check_in.pk)
                if locked.emailed_at is not None or locked.cancelled_at is not None:
                    continue
                check_in_link_send(check_in=locked)
        except FollowUpRefused:
            continue
        sent += 1
    return sent


def check_in_open(*, token: str, now: datetime | None = None) -> CheckIn | None:
    """The check-in the token opens, else None; each call is one audited view (allowed or
    refused, with the check-in's id and the reason; no person, since nobody signs in). An
    answered check-in still opens, to its thank-you page, until its link expires."""
    now = now or timezone.now()
    check_in = (
        CheckIn.objects.select_related("case", "case__data_key")
        .filter(token_sha256=_digest(token))
        .first()
    )
    reason = ""
    if check_in is None:
        reason = "unknown"
    elif check_in.cancelled_at is not None:
        reason = "cancelled"
    elif not check_in.link_open(now):
        reason = "expired"
    elif check_in.case.state in CLOSED_STATES:
        reason = "case_closed"
    elif not _health_data_consented(check_in.case):
        reason = "consent_withdrawn"
    object_id = str(check_in.pk) if check_in is not None else ""
    if reason or check_in is None:
        audit_record(
            actor=None, action=Action.DENIED, object_type=LINK_OBJECT, object_id=object_id,
            outcome=Outcome.DENIED, detail={"reason": reason},
        )  # fmt: skip
        return None
    audit_record(
        actor=None, action=Action.READ, object_type=LINK_OBJECT, object_id=object_id,
        detail={"case": check_in.case_id},
    )  # fmt: skip
    return check_in


@transaction.atomic
def check_in_answer(
    *, check_in: CheckIn, respondent: str, answers: CheckInAnswers, now: datetime | None = None
) -> CheckIn:
    """Keep the answer, sealed with the case's key. Warning signs of cord compression make the
    case an emergency, first in the coordinators' queue (as an emergency triage does), raise
    the safety gate against travel, and tell the case's coordinator at once. A relative's word
    that the patient has died cancels the check-ins still to come. Answering twice is refused
    and changes nothing."""
    now = now or timezone.now()
    check_in = CheckIn.objects.select_for_update().select_related("case").get(pk=check_in.pk)
    if check_in.is_answered:
        raise FollowUpRefused(gettext("This check-in is answered already. Thank you."))
    if respondent not in Respondent.values:
        raise FollowUpRefused(gettext("Please say who is answering."))
    check_in.respondent = respondent
    check_in.answers = answers.to_stored()
    check_in.answered_at = now
    check_in.warning_at = now if answers.has_warning_signs else None
    check_in.save(update_fields=["respondent", "answers", "answered_at", "warning_at"])
    case = check_in.case
    audit_record(actor=None, action=Action.CREATE, obj=check_in, detail={"case": case.pk})
    events.check_in_answered_event(case=case, check_in=check_in)
    if answers.has_warning_signs:
        case_priority_set(case=case, urgency=Urgency.EMERGENCY, sins_band=case.sins_band)
        events.check_in_warning_event(case=case, check_in=check_in)
        from oncoroute.followup.tasks import check_in_warning_notify

        transaction.on_commit(lambda: check_in_warning_notify.enqueue(check_in_id=check_in.pk))
    if answers.died:
        CheckIn.objects.filter(
            case=case, answered_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=now)
    return check_in
