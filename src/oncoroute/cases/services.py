"""Writes on cases: submit a request, assign, add a note, move along the workflow."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from oncoroute.accounts.models import User
from oncoroute.accounts.services import (
    account_for_email,
    email_verify,
    patient_create_for_request,
)
from oncoroute.cases import events
from oncoroute.cases.models import (
    Case,
    CaseEvent,
    Consent,
    Message,
    PatientNotice,
    TravelClearance,
)
from oncoroute.cases.notices import patient_notice_queue
from oncoroute.cases.sharing import consent_text
from oncoroute.cases.vocabulary import (
    Urgency,
    queue_rank,
    urgency_from_symptoms,
)
from oncoroute.cases.workflow import (
    CLOSED_STATES,
    CaseState,
    TransitionNotAllowed,
    refusals,
    transition_rule,
)


class RequestRateLimited(Exception):
    """Too many requests from one address within an hour."""


class RequestLinkInvalid(Exception):
    """The link to add a request to an account is wrong, stale or used."""


@dataclass(frozen=True)
class CaseRequest:
    """A validated request from the public form."""

    submission_token: uuid.UUID
    full_name: str
    email: str
    phone: str
    country: str
    language: str
    writer_role: str
    primary_cancer: str
    primary_cancer_other: str = ""
    spine_regions: list[str] = field(default_factory=list)
    symptoms: list[str] = field(default_factory=list)
    current_treatment: str = ""
    past_treatment: str = ""
    wants: list[str] = field(default_factory=list)
    preferred_countries: list[str] = field(default_factory=list)
    message: str = ""
    patient_name: str = ""
    patient_age: int | None = None
    patient_sex: str = ""


def address_hash(address: str) -> str:
    """A keyed hash of a client address: enough to rate-limit, useless to identify anyone."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _over_rate_limit(source_hash: str) -> bool:
    since = timezone.now() - timedelta(hours=1)
    recent = Case.objects.filter(source_address_hash=source_hash, created_at__gte=since).count()
    return recent >= settings.REQUEST_RATE_LIMIT_PER_HOUR


def case_submit(*, request: CaseRequest, source_address: str) -> tuple[Case, bool]:
    """Store a request as a new case; the same form sent twice returns the first case.

    Returns the case and whether it was created now. A request that reports warning signs of
    cord compression is never refused by the rate limit: it is stored, and marked for the
    coordinators to check it is genuine.
    """
    existing = Case.objects.filter(submission_token=request.submission_token).first()
    if existing is not None:
        return existing, False
    source_hash = address_hash(source_address)
    over_limit = _over_rate_limit(source_hash)
    if over_limit and urgency_from_symptoms(request.symptoms) != Urgency.EMERGENCY:
        raise RequestRateLimited
    try:
        case = _case_create(request=request, source_hash=source_hash, over_limit=over_limit)
    except IntegrityError:
        # A concurrent duplicate of the same form won the race; its case is the answer.
        return Case.objects.get(submission_token=request.submission_token), False
    return case, True


@transaction.atomic
def _case_create(*, request: CaseRequest, source_hash: str, over_limit: bool) -> Case:
    urgency = urgency_from_symptoms(request.symptoms)
    case = Case(
        **{name: getattr(request, name) for name in CaseRequest.__dataclass_fields__},
        urgency=urgency,
        queue_rank=queue_rank(urgency=urgency, sins_band=""),
        source_address_hash=source_hash,
    )
    if request.email and account_for_email(email=request.email) is None:
        # An address with an account already is linked only once its owner confirms
        # (case_link_to_sender): anyone can type anyone's address into the form.
        case.patient = patient_create_for_request(email=request.email, full_name=request.full_name)
    case.likely_duplicate_of = _earlier_request_of_sender(request)
    case.full_clean(exclude=["reference"])
    case.save()
    case.reference = f"OR-{case.created_at:%Y}-{case.pk:06d}"
    case.save(update_fields=["reference"])
    if case.likely_duplicate_of is not None:
        events.duplicate_flagged_event(case=case, earlier=case.likely_duplicate_of)
    # The consent text shown was the one of the page's language, not of the contact language.
    language, version, text = consent_text(Consent.Purpose.HEALTH_DATA)
    Consent.objects.create(
        case=case,
        purpose=Consent.Purpose.HEALTH_DATA,
        text_version=version,
        text_sha256=hashlib.sha256(text.encode()).hexdigest(),
        language=language,
        given_at=case.created_at,
    )
    events.request_submitted_event(case=case)
    if over_limit:
        events.received_over_rate_limit_event(case=case)
    from oncoroute.cases.tasks import case_request_emails_send

    transaction.on_commit(lambda: case_request_emails_send.enqueue(case_id=case.pk))
    return case


DUPLICATE_WINDOW_DAYS = 30


def _earlier_request_of_sender(request: CaseRequest) -> Case | None:
    """The sender's latest open request within DUPLICATE_WINDOW_DAYS, by the same email or
    phone: likely the same patient, for a coordinator to check."""
    same_sender = Q()
    if request.email:
        same_sender |= Q(email=request.email)
    if request.phone:
        same_sender |= Q(phone=request.phone)
    if not same_sender:
        return None
    since = timezone.now() - timedelta(days=DUPLICATE_WINDOW_DAYS)
    return (
        Case.objects.filter(same_sender, created_at__gte=since, merged_into__isnull=True)
        .exclude(state__in=CLOSED_STATES)
        .order_by("-created_at")
        .first()
    )


class MergeRefused(Exception):
    """Two cases that may not be merged; the message says why."""


@transaction.atomic
def case_merge(*, case: Case, into: Case, actor: User) -> Case:
    """Merge a second request into the earlier case of the same patient: the earlier case gets
    a copy of every event of the second (at their own times, marked with its reference), both
    record the merge, and the second is closed pointing at the first. Nothing is deleted: the
    second case keeps its own events, messages and documents."""
    if not actor.is_coordinator:
        raise MergeRefused(gettext("You may not make this change."))
    case, into = _locked(case), _locked(into)
    if case.pk == into.pk or case.merged_into_id or into.merged_into_id:
        raise MergeRefused(gettext("These requests cannot be merged."))
    if case.patient_id and into.patient_id and case.patient_id != into.patient_id:
        raise MergeRefused(
            gettext("The two requests belong to different accounts: they are not merged.")
        )
    same_account = case.patient_id is not None and case.patient_id == into.patient_id
    for event in case.events.order_by("created_at", "pk"):
        copy = events.case_event(
            case=into,
            kind=event.kind,
            actor=event.actor,
            # The second request's sender has not proved they own the first case's account.
            visible_to_patient=event.visible_to_patient and same_account,
            **{**event.data, "from_case": case.reference},
        )
        CaseEvent.objects.filter(pk=copy.pk).update(created_at=event.created_at)
    old_state = case.state
    case.merged_into = into
    case.state = CaseState.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["merged_into", "state", "closed_at", "updated_at"])
    # The sender hears from the coordinator on the case that continues, not by a closing notice.
    events.case_event(
        case=case,
        kind=CaseEvent.Kind.TRANSITION,
        actor=actor,
        visible_to_patient=True,
        old=old_state,
        new=CaseState.CLOSED,
        reason=gettext("Merged into %(reference)s") % {"reference": into.reference},
    )
    events.merged_event(case=case, actor=actor, merged=case, into=into)
    events.merged_event(case=into, actor=actor, merged=case, into=into)
    return into


def _link_salt(case: Case) -> str:
    # The link goes stale once used (the patient changes) or if the case's address changes.
    return f"oncoroute.cases.request-link:{case.email.lower()}:{case.patient_id}"


def request_link_token(case: Case) -> str:
    """The one-time token of the emailed link that adds a request to its sender's account."""
    return signing.dumps(case.pk, salt=_link_salt(case))


def request_link_awaited(case: Case) -> bool:
    """Whether the case waits for its address's owner to confirm it as theirs."""
    return bool(case.email) and case.patient_id is None and _sender_may_link(case)


def _sender_may_link(case: Case) -> bool:
    owner = account_for_email(email=case.email)
    return owner is None or owner.is_patient


@transaction.atomic
def case_link_to_sender(*, reference: str, token: str) -> Case:
    """Add a request to the account of the address it was sent with, once the inbox's owner
    has followed the emailed link. Never to a staff account."""
    case = (
        Case.objects.select_for_update()
        .filter(reference=reference, patient__isnull=True)
        .exclude(email="")
        .first()
    )
    if case is None or not _sender_may_link(case):
        raise RequestLinkInvalid
    try:
        signed = signing.loads(
            token, salt=_link_salt(case), max_age=settings.PASSWORD_RESET_TIMEOUT
        )
    except signing.BadSignature:
        raise RequestLinkInvalid from None
    if signed != case.pk:
        raise RequestLinkInvalid
    owner = account_for_email(email=case.email) or patient_create_for_request(
        email=case.email, full_name=case.full_name
    )
    case.patient = owner
    case.save(update_fields=["patient", "updated_at"])
    email_verify(user=owner)
    events.linked_to_account_event(case=case)
    return case


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def case_assign(*, case: Case, actor: User, assignee: User) -> Case:
    """Give the case to a coordinator."""
    case = _locked(case)
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to", "updated_at"])
    events.case_assigned_event(case=case, actor=actor, assignee=assignee)
    return case


@transaction.atomic
def case_note_add(*, case: Case, actor: User, text: str, phone_call: bool = False) -> None:
    """Add an internal note to the case's timeline; a note of a phone call with the family is
    the case's first answer when it has none yet."""
    text = text.strip()
    if not text:
        raise ValueError("A note cannot be empty.")
    case = _locked(case)
    if phone_call:
        events.case_event(
            case=case,
            kind=CaseEvent.Kind.NOTE,
            actor=actor,
            visible_to_patient=False,
            text=text[:4000],
            phone_call=True,
        )
        if case.first_response_at is None:
            case.first_response_at = timezone.now()
            case.save(update_fields=["first_response_at", "updated_at"])
        return
    events.note_added_event(case=case, actor=actor, text=text[:4000])


@transaction.atomic
def case_transition(
    *, case: Case, actor: User, to: str, reason: str = "", confirmed: bool = False
) -> Case:
    """Move the case along one edge of the workflow table, stamping its milestones; refused
    with the reason when a requirement of the edge does not hold (the safety gate among them).
    A move that only a patient's acceptance makes goes through `case_plan_accepted`."""
    return _transition(case=case, actor=actor, to=to, reason=reason, confirmed=confirmed)


def case_plan_accepted(*, case: Case, actor: User) -> Case:
    """The patient accepted a clinic's plan: the one way into trip planning, still behind the
    safety gate."""
    return _transition(
        case=case, actor=actor, to=CaseState.PLANNING_TRIP, confirmed=True, accepted=True
    )


@transaction.atomic
def _transition(
    *,
    case: Case,
    actor: User,
    to: str,
    reason: str = "",
    confirmed: bool = False,
    accepted: bool = False,
) -> Case:
    case = _locked(case)
    rule = transition_rule(case.state, to)
    if rule.by_acceptance and not accepted:
        raise TransitionNotAllowed(
            gettext("“%(change)s” happens only when the patient accepts a plan.")
            % {"change": rule.label}
        )
    if not accepted and not any(actor.has_role(role) for role in rule.roles):
        raise TransitionNotAllowed(gettext("You may not make this change."))
    if rule.needs_confirmation and not confirmed:
        raise TransitionNotAllowed(
            gettext("“%(change)s” needs your explicit confirmation.") % {"change": rule.label}
        )
    if reasons := refusals(case, rule):
        raise TransitionNotAllowed(" ".join(str(reason) for reason in reasons))
    old = case.state
    now = timezone.now()
    case.state = to
    if old == CaseState.NEW and case.first_response_at is None:
        case.first_response_at = now
    if to in CLOSED_STATES:
        case.closed_at = now
    case.save(update_fields=["state", "first_response_at", "closed_at", "updated_at"])
    events.state_changed_event(case=case, actor=actor, old=old, new=to, reason=reason.strip())
    if to == CaseState.REFERRED_LOCAL_CARE:
        from oncoroute.cases.tasks import case_emergency_advice_send

        transaction.on_commit(lambda: case_emergency_advice_send.enqueue(case_id=case.pk))
    return case


@transaction.atomic
def case_priority_set(*, case: Case, urgency: str, sins_band: str) -> Case:
    """Re-rank the case in the queue after a triage: its urgency and SINS band decide."""
    case = _locked(case)
    case.urgency = urgency
    case.sins_band = sins_band
    case.queue_rank = queue_rank(urgency=urgency, sins_band=sins_band)
    case.save(update_fields=["urgency", "sins_band", "queue_rank", "updated_at"])
    return case


@transaction.atomic
def travel_clearance_record(
    *, case: Case, actor: User, assessed_by: str, assessed_on: date, findings: str
) -> TravelClearance:
    """Record that a clinician assessed the patient locally and found them fit to travel: it
    lifts the safety gate for the warning signs raised before it."""
    if assessed_on > timezone.localdate():
        raise ValueError(gettext("The assessment cannot be in the future."))
    clearance = TravelClearance(
        case=_locked(case),
        assessed_by=assessed_by.strip(),
        assessed_on=assessed_on,
        findings=findings.strip(),
        recorded_by=actor,
    )
    clearance.full_clean()
    clearance.save()
    events.travel_cleared_event(case=case, actor=actor, assessed_on=assessed_on.isoformat())
    return clearance


class MessageRefused(ValueError):
    """A message that cannot be sent as written: empty, or longer than the limit."""


def message_send(
    *, case: Case, author: User, side: str, body: str, with_attachments: bool = False
) -> Message:
    """Add a message to the case's thread, marked read by its own side, and tell the other side
    by email after commit (an email that says only that there is a new message). A message may
    be empty only when it carries attachments."""
    body = body.strip()
    if not body and not with_attachments:
        raise MessageRefused(gettext("Please write your message before sending it."))
    limit = settings.MESSAGE_MAX_LENGTH
    if len(body) > limit:
        raise MessageRefused(
            gettext(
                "A message can be at most %(limit)d characters long; yours has %(length)d. "
                "Please shorten it or send it in two parts."
            )
            % {"limit": limit, "length": len(body)}
        )
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.create(
            case=case,
            author=author,
            side=side,
            body=body,
            read_by_patient_at=now if side == Message.Side.PATIENT else None,
            read_by_coordinators_at=now if side == Message.Side.COORDINATOR else None,
        )
        events.message_sent_event(case=case, actor=author, side=side)
        if side == Message.Side.COORDINATOR:
            patient_notice_queue(case=case, kind=PatientNotice.Kind.MESSAGE)
        else:
            from oncoroute.cases.tasks import message_notify

            transaction.on_commit(lambda: message_notify.enqueue(message_id=message.pk))
    return message


def message_warning_flag(*, message: Message, actor: User) -> Message:
    """A coordinator read cord-compression warning signs in the family's message: from now the
    safety gate holds the case until a clinician's clearance is recorded after this flag."""
    if message.side != Message.Side.PATIENT:
        raise MessageRefused(gettext("Only a message from the family can be flagged."))
    if message.warning_flagged_at is not None:
        return message
    with transaction.atomic():
        message.warning_flagged_at = timezone.now()
        message.warning_flagged_by = actor
        message.save(update_fields=["warning_flagged_at", "warning_flagged_by"])
        events.warning_flagged_event(case=message.case, actor=actor, message_id=message.pk)
    return message


def messages_mark_read(*, case: Case, side: str) -> int:
    """The messages of the other side, read now by ``side``; returns how many were unread."""
    other = Message.Side.COORDINATOR if side == Message.Side.PATIENT else Message.Side.PATIENT
    marker = "read_by_patient_at" if side == Message.Side.PATIENT else "read_by_coordinators_at"
    unread = case.messages.filter(side=other, **{f"{marker}__isnull": True})
    return unread.update(**{marker: timezone.now()})


class TimeZoneRefused(ValueError):
    """A time zone that is not one of the case's country's."""


def case_time_zone_set(*, case: Case, actor: User, zone: str) -> Case:
    """The patient's own time zone, one of their country's; their pages show times in it."""
    from oncoroute.cases.timezones import country_zones

    if zone not in country_zones(case.country):
        raise TimeZoneRefused(gettext("Please choose one of the time zones of your country."))
    case.time_zone = zone
    case.save(update_fields=["time_zone", "updated_at"])
    return case
