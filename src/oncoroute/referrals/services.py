"""Writes on referrals: the patient's choice of the clinics that may see the case, send a case
to a clinic, move a referral along its table, take the clinic's answer, release it to the
patient, remind a late clinic."""

from __future__ import annotations

import zoneinfo
from collections.abc import Collection, Iterable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.cases.models import Case, Consent, PatientNotice
from oncoroute.cases.notices import patient_notice_queue
from oncoroute.cases.sharing import case_share, consent_give, consent_withdraw
from oncoroute.clinics.models import Clinic, Doctor, ExchangeRate
from oncoroute.privacy.audit import Action, audit_record
from oncoroute.referrals import events
from oncoroute.referrals.acceptance import (
    AcceptanceRefused,
    acceptance_refusal,
    cannot_move_on,
    follow_up_unsettled,
    not_this_case,
)
from oncoroute.referrals.answers import AnswerIn
from oncoroute.referrals.consultations import valid_time_zone
from oncoroute.referrals.models import (
    ClinicApiToken,
    Consultation,
    Opinion,
    PlanItem,
    Quote,
    QuoteLine,
    Referral,
)
from oncoroute.referrals.workflow import (
    AWAITING_CLINIC,
    CLOSED_STATUSES,
    CONSULTATION_UPCOMING,
    ConsultationStatus,
    MoveNotAllowed,
    ReferralStatus,
    consultation_move_rule,
    move_rule,
)


class AnswerRefused(Exception):
    """The answer breaks a rule the schema cannot see; `field` names where."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().select_related("case", "clinic").get(pk=referral.pk)


@transaction.atomic
def referral_send(
    *, case: Case, clinic: Clinic, actor: User, question: str, deadline: datetime
) -> Referral:
    """Send the de-identified case to a clinic with a question and a deadline; refused
    (`cases.sharing.SharingRefused`) without the patient's active consent for that clinic."""
    if deadline <= timezone.now():
        raise ValueError("The deadline must be in the future.")
    share, _ = case_share(case=case, clinic=clinic, actor=actor)
    referral = Referral.objects.create(
        share=share, case=case, clinic=clinic, question=question.strip(), deadline=deadline
    )
    events.referral_event(referral=referral, kind=events.Kind.SENT, actor=actor)
    from oncoroute.referrals.tasks import referral_clinic_notify

    transaction.on_commit(lambda: referral_clinic_notify.enqueue(referral_id=referral.pk))
    return referral


def _may_move(
    actor: User | None, referral: Referral, roles: frozenset[Role], token: ClinicApiToken | None
) -> bool:
    if token is not None:  # the clinic's own system: its clinic's moves, on its own referrals
        return (
            actor is None and Role.CLINIC_DOCTOR in roles and token.clinic_id == referral.clinic_id
        )
    if actor is None:
        return True
    if Role.CLINIC_DOCTOR in roles and actor.has_role(Role.CLINIC_DOCTOR):
        return actor.clinic_id == referral.clinic_id
    return any(actor.has_role(role) for role in roles if role != Role.CLINIC_DOCTOR)


@transaction.atomic
def referral_move(
    *,
    referral: Referral,
    actor: User | None,
    to: str,
    reason: str = "",
    token: ClinicApiToken | None = None,
) -> Referral:
    """Move the referral along one edge of `workflow.MOVES`, stamping its clock.

    `actor` None is the system (a withdrawn consent withdraws its referral), unless `token` says
    the clinic's own system made the move through the API: then it may make its clinic's moves
    on its clinic's referrals only, and the event names the token. A referral is answered only
    by `answer_submit`: an answer without an opinion and a quote is no answer."""
    if to == ReferralStatus.ANSWERED:
        raise MoveNotAllowed("A referral is answered by sending an opinion with its quote.")
    return _move(referral=referral, actor=actor, to=to, reason=reason, token=token)


def _move(
    *,
    referral: Referral,
    actor: User | None,
    to: str,
    reason: str = "",
    token: ClinicApiToken | None = None,
) -> Referral:
    referral = _locked(referral)
    rule = move_rule(referral.status, to)
    if not _may_move(actor, referral, rule.roles, token):
        raise MoveNotAllowed("You may not make this change.")
    if rule.needs_reason and not reason.strip():
        raise MoveNotAllowed(f"“{rule.label}” needs a reason.")
    old, now = referral.status, timezone.now()
    referral.status = to
    if to == ReferralStatus.OPENED and referral.opened_at is None:
        referral.opened_at = now
    if to == ReferralStatus.ANSWERED:
        referral.answered_at = now
    if to in CLOSED_STATUSES:
        referral.closed_at = now
    if reason.strip():
        referral.reason = reason.strip()
    referral.save()
    events.referral_event(
        referral=referral, kind=events.Kind.MOVED, actor=actor, api_token=token, old=old, new=to
    )
    return referral


def referral_open(
    *, referral: Referral, actor: User | None = None, token: ClinicApiToken | None = None
) -> Referral:
    """A doctor of the clinic (or the clinic's system, by its `token`) opened the referral: the
    first time, it is marked opened."""
    clinic_id = token.clinic_id if token is not None else actor.clinic_id if actor else None
    if referral.status == ReferralStatus.SENT and clinic_id == referral.clinic_id:
        return referral_move(referral=referral, actor=actor, to=ReferralStatus.OPENED, token=token)
    return referral


def quote_currencies() -> set[str]:
    """Currencies a quote may use: those the dated exchange rates can convert for comparison."""
    rates = ExchangeRate.objects.values_list("base", "currency")
    return {code for pair in rates for code in pair}


@transaction.atomic
def answer_submit(
    *,
    referral: Referral,
    author: User | None,
    answer: AnswerIn,
    token: ClinicApiToken | None = None,
) -> Quote:
    """Take the clinic's opinion and its quote as the next version; the referral is answered.

    `token`: sent by the clinic's own system through the API (`author` None), for its clinic's
    referrals only; the events name the token."""
    referral = _locked(referral)
    if token is not None and (author is not None or token.clinic_id != referral.clinic_id):
        raise MoveNotAllowed("You may not answer this referral.")
    if answer.quote.currency not in quote_currencies():
        raise AnswerRefused("quote.currency", "No exchange rate is kept for this currency.")
    if answer.quote.valid_until < timezone.localdate():
        raise AnswerRefused("quote.valid_until", "The quote must be valid today or later.")
    if referral.status not in (*AWAITING_CLINIC, ReferralStatus.RECORDS_REQUESTED,
                               ReferralStatus.ANSWERED):  # fmt: skip
        raise MoveNotAllowed("This referral can no longer be answered.")
    opinion = _opinion_create(referral=referral, author=author, answer=answer, token=token)
    quote = _quote_create(referral=referral, opinion=opinion, answer=answer)
    if referral.status != ReferralStatus.ANSWERED:
        _move(referral=referral, actor=author, to=ReferralStatus.ANSWERED, token=token)
    events.referral_event(
        referral=referral, kind=events.Kind.QUOTE, actor=author, api_token=token,
        version=quote.version,
    )  # fmt: skip
    return quote


def _opinion_create(
    *, referral: Referral, author: User | None, answer: AnswerIn, token: ClinicApiToken | None
) -> Opinion:
    given = answer.opinion
    opinion = Opinion.objects.create(
        referral=referral,
        author=author,
        reading=given.reading,
        specialties=given.specialties,
        multidisciplinary=given.multidisciplinary,
        alternatives=given.alternatives,
        still_needed=given.still_needed,
    )
    PlanItem.objects.bulk_create(
        PlanItem(opinion=opinion, position=index, **item.model_dump())
        for index, item in enumerate(given.items, start=1)
    )
    events.referral_event(
        referral=referral, kind=events.Kind.OPINION, actor=author, api_token=token
    )
    return opinion


def _quote_create(*, referral: Referral, opinion: Opinion, answer: AnswerIn) -> Quote:
    given = answer.quote
    latest = referral.quotes.order_by("-version").first()
    quote = Quote.objects.create(
        referral=referral,
        opinion=opinion,
        version=(latest.version + 1) if latest else 1,
        currency=given.currency,
        included=given.included,
        excluded=given.excluded,
        contingency=given.contingency,
        valid_until=given.valid_until,
        price_change_rule=given.price_change_rule,
    )
    items = {item.position: item for item in opinion.items.all()}
    QuoteLine.objects.bulk_create(
        QuoteLine(
            quote=quote,
            plan_item=items[line.item],
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
        )
        for line in given.lines
    )
    return quote


@transaction.atomic
def answer_release(*, opinion: Opinion, actor: User) -> Opinion:
    """A coordinator has reviewed the clinic's answer: the patient may now read it."""
    opinion = Opinion.objects.select_for_update().select_related("referral").get(pk=opinion.pk)
    if opinion.released_at is None:
        opinion.released_at = timezone.now()
        opinion.released_by = actor
        opinion.save(update_fields=["released_at", "released_by"])
        events.referral_event(referral=opinion.referral, kind=events.Kind.RELEASED, actor=actor)
        patient_notice_queue(case=opinion.referral.case, kind=PatientNotice.Kind.ANSWER)
        audit_record(actor=actor, action=Action.UPDATE, obj=opinion, detail={"released": True})
    return opinion


@transaction.atomic
def clinic_sharing_choose(
    *, case: Case, actor: User, offered: Iterable[Clinic], chosen: Collection[int]
) -> tuple[list[Clinic], list[Clinic]]:
    """The patient's ticks among the clinics offered (ids in `chosen`): a clinic-sharing consent
    for each newly ticked clinic, in the page's language; each unticked clinic's consent
    withdrawn, which withdraws its referral. Returns the clinics (allowed, withdrawn)."""
    Case.objects.select_for_update().filter(pk=case.pk).first()  # one save at a time per case
    allowed: list[Clinic] = []
    withdrawn: list[Clinic] = []
    for clinic in offered:
        active = list(
            case.consents.filter(
                purpose=Consent.Purpose.CLINIC_SHARING, clinic=clinic, withdrawn_at__isnull=True
            )
        )
        if clinic.pk in chosen and not active:
            consent_give(
                case=case, actor=actor, purpose=Consent.Purpose.CLINIC_SHARING, clinic=clinic
            )
            allowed.append(clinic)
        elif clinic.pk not in chosen and active:
            for consent in active:
                consent_withdraw(consent=consent, actor=actor)
            withdrawn.append(clinic)
    return allowed, withdrawn


def referral_withdraw_for_consent(*, consent: Consent, **_: Any) -> None:
    """The patient withdrew the consent for a clinic: that clinic's referral is withdrawn."""
    referral = Referral.objects.filter(case=consent.case, clinic=consent.clinic).first()
    if referral is not None and referral.status not in CLOSED_STATUSES:
        referral_move(
            referral=referral, actor=None, to=ReferralStatus.WITHDRAWN,
            reason="The patient withdrew the consent to share with this clinic.",
        )  # fmt: skip


def referrals_remind(*, now: datetime | None = None, every: timedelta = timedelta(days=1)) -> int:
    """Remind each clinic whose referral is past its deadline, at most once per `every`; each
    reminder is a timeline event and a notice to the coordinators. Safe to run any time."""
    from oncoroute.referrals.tasks import referral_reminder_send

    now = now or timezone.now()
    due = Referral.objects.filter(status__in=AWAITING_CLINIC, deadline__lt=now).exclude(
        last_reminded_at__gt=now - every
    )
    reminded = 0
    for referral_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            claimed = (
                Referral.objects.filter(pk=referral_id)
                .exclude(last_reminded_at__gt=now - every)
                .update(last_reminded_at=now)
            )
            if not claimed:
                continue
            referral = Referral.objects.get(pk=referral_id)
            events.referral_event(
                referral=referral, kind=events.Kind.REMINDED, actor=None,
                overdue_hours=int((now - referral.deadline).total_seconds() // 3600),
            )  # fmt: skip
            transaction.on_commit(partial(referral_reminder_send.enqueue, referral_id=referral_id))
            reminded += 1
    return reminded


CHOSE_ANOTHER_CLINIC = "The patient chose another clinic."


@transaction.atomic
def plan_accept(*, case: Case, quote: Quote, actor: User) -> Quote:
    """The patient accepts a released answer's latest quote: the acceptance of that version (when;
    who in the audit trail), the patient's consent to share their identity with that clinic, the
    other open referrals withdrawn with a neutral reason (their clinics told by email, without
    identity), and the case moved to trip planning. A newer version of an accepted quote needs
    its own acceptance; the case is then already planning and stays there.

    Refused (`AcceptanceRefused`, nothing changed) when the quote is not the case's, its answer
    unreleased, superseded, expired, its referral closed, nobody is known to follow the patient
    at home (`home_doctor.follow_up_settled`) or the case may not move on."""
    from oncoroute.cases.services import case_plan_accepted
    from oncoroute.cases.workflow import CaseState, TransitionNotAllowed

    Case.objects.select_for_update().filter(pk=case.pk).first()  # one acceptance at a time
    locked = (
        Quote.objects.select_for_update()
        .select_related("opinion", "referral__clinic", "referral__case")
        .filter(pk=quote.pk, referral__case=case)
        .first()
    )
    if locked is None:
        raise AcceptanceRefused(not_this_case())
    quote = locked
    referral = quote.referral
    latest = referral.quotes.order_by("-version").values_list("version", flat=True).first() or 0
    refusal = acceptance_refusal(
        quote=quote, opinion=quote.opinion, latest_version=latest, today=timezone.localdate()
    )
    if refusal:
        raise AcceptanceRefused(refusal)
    from oncoroute.referrals.home_doctor import follow_up_settled

    if not follow_up_settled(case):
        raise AcceptanceRefused(follow_up_unsettled())
    now = timezone.now()
    quote.accepted_at = now
    quote.save(update_fields=["accepted_at"])
    # Who accepted: the audit trail's actor, and the case's timeline through the move below.
    audit_record(
        actor=actor, action=Action.UPDATE, obj=quote,
        detail={"accepted": True, "version": quote.version},
    )  # fmt: skip
    if not case.consents.filter(
        purpose=Consent.Purpose.IDENTITY_SHARING, clinic=referral.clinic, withdrawn_at__isnull=True
    ).exists():
        consent_give(
            case=case, actor=actor, purpose=Consent.Purpose.IDENTITY_SHARING, clinic=referral.clinic
        )
    others = Referral.objects.filter(case=case).exclude(pk=referral.pk)
    for other in others.exclude(status__in=CLOSED_STATUSES):
        _move(referral=other, actor=None, to=ReferralStatus.WITHDRAWN, reason=CHOSE_ANOTHER_CLINIC)
        from oncoroute.referrals.tasks import referral_closed_notify

        transaction.on_commit(partial(referral_closed_notify.enqueue, referral_id=other.pk))
    fresh = Case.objects.get(pk=case.pk)
    if fresh.state != CaseState.PLANNING_TRIP:
        try:
            case_plan_accepted(case=fresh, actor=actor)
        except TransitionNotAllowed as refused:
            raise AcceptanceRefused(cannot_move_on(str(refused))) from refused
    return quote


class ConsultationRefused(Exception):
    """A consultation that cannot be scheduled as asked; the message says why."""


@transaction.atomic
def consultation_schedule(
    *,
    referral: Referral,
    actor: User,
    starts_at: datetime,
    time_zone: str,
    mode: str,
    video_link: str = "",
    doctor: Doctor | None = None,
    duration_minutes: int = 45,
) -> Consultation:
    """Propose a consultation with the referral's clinic. `starts_at` is the wall-clock time in
    `time_zone` (an IANA zone; a naive datetime is read in it); it is kept as the instant, in
    UTC, with the zone. Refused without a valid zone, in the past, on a closed referral or with
    another clinic's doctor; the patient and the clinic's doctors get an invitation."""
    time_zone = (time_zone or "").strip()
    if not valid_time_zone(time_zone):
        raise ConsultationRefused(
            f"“{time_zone}” is not a time zone: give an IANA zone such as Europe/Istanbul."
            if time_zone else "A consultation needs the time zone its time is given in."
        )  # fmt: skip
    zone = zoneinfo.ZoneInfo(time_zone)
    instant = starts_at.replace(tzinfo=zone) if timezone.is_naive(starts_at) else starts_at
    if instant <= timezone.now():
        raise ConsultationRefused("A consultation cannot be scheduled in the past.")
    referral = _locked(referral)
    if referral.status in CLOSED_STATUSES:
        raise ConsultationRefused("This referral is closed.")
    if doctor is not None and doctor.clinic_id != referral.clinic_id:
        raise ConsultationRefused("The doctor works at another clinic.")
    if mode not in Consultation.Mode.values:
        raise ConsultationRefused("Choose online or in person.")
    consultation = Consultation.objects.create(
        referral=referral, doctor=doctor, mode=mode, video_link=video_link.strip(),
        starts_at=instant.astimezone(UTC), time_zone=time_zone,
        duration_minutes=duration_minutes, created_by=actor,
    )  # fmt: skip
    _consultation_event(consultation, actor, "scheduled")
    from oncoroute.referrals.tasks import consultation_invite

    transaction.on_commit(partial(consultation_invite.enqueue, consultation_id=consultation.pk))
    return consultation


def _consultation_event(
    consultation: Consultation, actor: User | None, action: str, **data: Any
) -> None:
    events.referral_event(
        referral=consultation.referral, kind=events.Kind.CONSULTATION, actor=actor,
        consultation=consultation.pk, action=action, **data,
    )  # fmt: skip


def _may_touch_consultation(
    actor: User, consultation: Consultation, roles: Collection[Role]
) -> bool:
    if actor.has_role(Role.CLINIC_DOCTOR):
        return Role.CLINIC_DOCTOR in roles and actor.clinic_id == consultation.referral.clinic_id
    return Role.COORDINATOR in roles and actor.has_role(Role.COORDINATOR)


def _consultation_locked(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update()
        .select_related("referral__case", "referral__clinic")
        .get(pk=consultation.pk)
    )


# The changes the patient and the clinic hear of by email, with the updated invitation.
CONSULTATION_TOLD = frozenset({ConsultationStatus.CONFIRMED, ConsultationStatus.CANCELLED})


@transaction.atomic
def consultation_move(*, consultation: Consultation, actor: User, to: str) -> Consultation:
    """Move the consultation along one edge of `workflow.CONSULTATION_MOVES`; a confirmation or
    a cancellation goes to the patient and the clinic with the invitation updated."""
    consultation = _consultation_locked(consultation)
    rule = consultation_move_rule(consultation.status, to)
    if not _may_touch_consultation(actor, consultation, rule.roles):
        raise MoveNotAllowed("You may not make this change.")
    old = consultation.status
    consultation.status = to
    consultation.sequence += 1
    consultation.save(update_fields=["status", "sequence"])
    _consultation_event(consultation, actor, "moved", old=old, new=to)
    if to in CONSULTATION_TOLD:
        from oncoroute.referrals.tasks import consultation_update

        transaction.on_commit(partial(consultation_update.enqueue, consultation_id=consultation.pk))
    return consultation


@transaction.atomic
def consultation_outcome(*, consultation: Consultation, actor: User, note: str) -> Consultation:
    """Record what came of a consultation that was held (sealed with the case's key)."""
    consultation = _consultation_locked(consultation)
    if not _may_touch_consultation(actor, consultation, {Role.COORDINATOR, Role.CLINIC_DOCTOR}):
        raise MoveNotAllowed("You may not make this change.")
    if consultation.status != ConsultationStatus.HELD:
        raise MoveNotAllowed("An outcome is noted once the consultation was held.")
    if not note.strip():
        raise MoveNotAllowed("The outcome note is empty.")
    consultation.outcome_note = note.strip()
    consultation.save(update_fields=["outcome_note"])
    _consultation_event(consultation, actor, "outcome")
    return consultation


def consultations_remind(
    *, now: datetime | None = None, within: timedelta = timedelta(hours=24)
) -> int:
    """Remind the patient and the clinic's doctors of each consultation starting within
    `within`, once: each is claimed by a conditional update, so runs every few minutes or two at
    once remind once. Each reminder is a timeline event."""
    from oncoroute.referrals.tasks import consultation_reminder_send

    now = now or timezone.now()
    due = Consultation.objects.filter(
        status__in=CONSULTATION_UPCOMING, reminded=False, starts_at__gt=now,
        starts_at__lte=now + within,
    )  # fmt: skip
    reminded = 0
    for consultation_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            claimed = Consultation.objects.filter(pk=consultation_id, reminded=False).update(
                reminded=True
            )
            if not claimed:
                continue
            consultation = Consultation.objects.select_related("referral").get(pk=consultation_id)
            _consultation_event(consultation, None, "reminded")
            transaction.on_commit(
                partial(consultation_reminder_send.enqueue, consultation_id=consultation_id)
            )
            reminded += 1
    return reminded


CHOSE_ANOTHER_CLINIC = "The patient chose another clinic."
