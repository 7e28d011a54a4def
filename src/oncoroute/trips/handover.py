"""Writes on the way home: the handover (the clinic's discharge summary and the structured summary,
sealed), its sending to the doctor at home through the home doctor's link, and a trip's return,
which for the last trip needs the handover sent and then plans the follow-up check-ins.

The doctor at home reads the handover through the link of the decision issue
(`referrals.home_doctor`): nothing of it travels in the email, which carries only a fresh link."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoroute.accounts.models import User
from oncoroute.cases.events import case_event
from oncoroute.cases.models import Case, CaseEvent
from oncoroute.followup.services import FollowUpRefused, followup_schedule
from oncoroute.privacy.audit import Action, audit_record
from oncoroute.records.models import Document
from oncoroute.referrals.home_doctor import HomeDoctorRefused, home_doctor_link_send
from oncoroute.trips.handover_summary import HandoverSummary, summary_problems
from oncoroute.trips.models import Handover, Trip, TripPlan


class HandoverRefused(Exception):
    """A handover or return that cannot be done; `problems` says why, one sentence each."""

    def __init__(self, *problems: str) -> None:
        super().__init__(" ".join(problems))
        self.problems = list(problems)


def _note(*, case: Case, actor: User | None, text: str) -> CaseEvent:
    # A coordinator's note, as the follow-up's entries are: no new timeline kind, so the cases
    # app's choices stay as they are. The text names no finding, dose or medicine.
    return case_event(
        case=case, kind=CaseEvent.Kind.NOTE, actor=actor, visible_to_patient=False, text=text
    )


@transaction.atomic
def handover_save(
    *,
    plan: TripPlan,
    actor: User,
    discharge_summary: Document | None,
    summary: HandoverSummary,
) -> Handover:
    """Keep the handover of the plan: the clinic's discharge summary (one of the case's own
    documents, or none yet) and a complete structured summary, sealed. Refused with every
    problem, and nothing changed, when the summary is incomplete or wrong. A change after the
    handover was sent needs sending again: the doctor's link shows it only once sent."""
    case = plan.case
    if discharge_summary is not None and discharge_summary.case_id != case.pk:
        raise HandoverRefused(_("The discharge summary must be one of this case's documents."))
    problems = summary_problems(summary, today=timezone.localdate(), language=case.language)
    if problems:
        raise HandoverRefused(*problems)
    handover, _created = Handover.objects.select_for_update().get_or_create(plan=plan)
    handover.discharge_summary = discharge_summary
    handover.summary = summary.to_stored()
    resend = handover.sent_at is not None
    handover.sent_at, handover.sent_by = None, None
    handover.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=handover, detail={"case": case.pk})
    if resend:
        _note(
            case=case,
            actor=actor,
            text="Handover home changed after it was sent: to be sent to the doctor at home again.",
        )
    return handover


def handover_send_problems(handover: Handover | None) -> list[str]:
    """What the handover lacks before it can be sent, one sentence each; empty when it can."""
    if handover is None:
        return [_("No handover is saved yet.")]
    problems = []
    if handover.discharge_summary_id is None:
        problems.append(_("Choose the clinic's discharge summary among the case's documents."))
    elif handover.discharge_summary.case_id != handover.plan.case_id:  # type: ignore[union-attr]
        problems.append(_("The discharge summary must be one of this case's documents."))
    summary = HandoverSummary.from_stored(handover.summary)
    problems += summary_problems(
        summary, today=timezone.localdate(), language=handover.plan.case.language
    )
    return problems


@transaction.atomic
def handover_send(*, plan: TripPlan, actor: User) -> Handover:
    """Show the handover to the doctor at home through their link, and email them a fresh link
    (the email carries nothing else). Refused when the discharge summary or a complete summary
    is missing, or the link cannot be sent (no doctor named, no email address, the health-data
    consent withdrawn); nothing changes then."""
    handover = (
        Handover.objects.select_for_update(of=("self",))
        .select_related("plan__case", "discharge_summary")
        .filter(plan=plan)
        .first()
    )
    problems = handover_send_problems(handover)
    if problems or handover is None:
        raise HandoverRefused(*problems)
    case = handover.plan.case
    try:
        home_doctor_link_send(case=case, actor=actor)
    except HomeDoctorRefused as refused:
        raise HandoverRefused(str(refused)) from None
    handover.sent_at, handover.sent_by = timezone.now(), actor
    handover.save(update_fields=["sent_at", "sent_by", "updated_at"])
    audit_record(actor=actor, action=Action.SHARE, obj=handover, detail={"case": case.pk})
    _note(case=case, actor=actor, text="Handover home sent to the doctor at home with a new link.")
    return handover


def _is_last(trip: Trip) -> bool:
    return not Trip.objects.filter(plan_id=trip.plan_id, number__gt=trip.number).exists()


@transaction.atomic
def trip_return_complete(*, trip: Trip, actor: User, returned_on: date) -> Trip:
    """The patient came home from `trip` on `returned_on`. The last trip's return is complete
    only with the handover sent to the doctor at home; it then plans the follow-up check-ins
    from that day. An earlier trip's return needs no handover. Refused with the reason, and
    nothing changed, otherwise."""
    trip = Trip.objects.select_for_update().select_related("plan__case").get(pk=trip.pk)
    case = trip.plan.case
    if trip.status == Trip.Status.RETURNED:
        raise HandoverRefused(_("This trip is already marked as returned."))
    if returned_on > timezone.localdate():
        raise HandoverRefused(_("The return home cannot be in the future."))
    if returned_on < trip.outbound:
        raise HandoverRefused(_("The return home cannot be before the trip's flight out."))
    last = _is_last(trip)
    if last:
        handover = Handover.objects.filter(plan_id=trip.plan_id).first()
        if handover is None or handover.sent_at is None:
            raise HandoverRefused(
                _(
                    "The return from the last trip is complete only with the handover sent to "
                    "the doctor at home: send it first."
                )
            )
    trip.status = Trip.Status.RETURNED
    trip.save(update_fields=["status"])
    audit_record(
        actor=actor, action=Action.UPDATE, obj=trip,
        detail={"case": case.pk, "returned_on": returned_on.isoformat()},
    )  # fmt: skip
    _note(
        case=case,
        actor=actor,
        text=f"Trip {trip.number} over: the patient came home on {returned_on:%Y-%m-%d}.",
    )
    if last:
        try:
            followup_schedule(case=case, returned_on=returned_on, actor=actor)
        except FollowUpRefused as refused:
            raise HandoverRefused(str(refused)) from None
    return trip
