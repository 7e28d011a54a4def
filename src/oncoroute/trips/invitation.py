"""The visa invitation letter: the coordinator asks the clinic's international-patient contact
for it, for one trip's dates. The patient's name goes only to the clinic whose plan they
accepted, under their consent to share their identity with it; nothing of their health."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from oncoroute.accounts.models import User
from oncoroute.cases.models import Consent
from oncoroute.privacy.audit import Action, audit_record
from oncoroute.trips.checklists import CHECKLIST
from oncoroute.trips.models import ChecklistItem, Trip

CODE = "invitation_letter"


class InvitationRefused(ValueError):
    """The request cannot be sent; the message says why."""


def identity_consented(trip: Trip) -> bool:
    """Whether the patient's consent to share their identity with the trip's clinic stands."""
    plan = trip.plan
    return plan.case.consents.filter(
        purpose=Consent.Purpose.IDENTITY_SHARING,
        clinic_id=plan.quote.referral.clinic_id,
        withdrawn_at__isnull=True,
    ).exists()


@transaction.atomic
def invitation_letter_request(*, trip: Trip, actor: User) -> ChecklistItem:
    """Email the clinic a request for the visa invitation letter for `trip`'s dates and note it
    on the trip's checklist. Refused without the patient's identity consent for that clinic,
    without the clinic's contact address, or for a trip already over."""
    trip = (
        Trip.objects.select_for_update()
        .select_related("plan__quote__referral__clinic")
        .get(pk=trip.pk)
    )
    clinic = trip.plan.quote.referral.clinic
    if trip.status == Trip.Status.RETURNED:
        raise InvitationRefused("This trip is over.")
    if not identity_consented(trip):
        raise InvitationRefused(
            f"The patient has not agreed to share their identity with {clinic.name}: no "
            "invitation letter can be asked for."
        )
    if not clinic.contact_email:
        raise InvitationRefused(
            f"{clinic.name} has no international-patient email in the directory."
        )
    today = timezone.localdate()
    entry = CHECKLIST[CODE]
    item, _created = ChecklistItem.objects.get_or_create(
        trip=trip, code=CODE, defaults={"owner": entry.owner, "required": entry.required}
    )
    item.note = f"requested on {today.isoformat()}"
    item.save(update_fields=["note"])
    audit_record(
        actor=actor, action=Action.UPDATE, obj=item,
        detail={"invitation_letter_requested": today.isoformat(), "trip": trip.number},
    )  # fmt: skip
    transaction.on_commit(partial(invitation_letter_email.enqueue, trip_id=trip.pk))
    return item


def invitation_letter_message(trip: Trip) -> EmailMessage:
    """The request as the clinic reads it: the patient's name, the trip's dates, the party's
    size and the referral's number; no diagnosis, no treatment."""
    plan = trip.plan
    case, clinic = plan.case, plan.quote.referral.clinic
    referral = plan.quote.referral_id
    companions = plan.travellers - 1
    party = (
        f"the patient and {companions} companion{'s' if companions > 1 else ''}"
        if companions
        else "the patient"
    )
    greeting = f"Dear {clinic.contact_name}," if clinic.contact_name else "Dear colleagues,"
    body = "\n".join(
        [
            greeting,
            "",
            f"{case.full_name}, who accepted your clinic's plan (referral R-{referral}), plans "
            f"trip {trip.number} to {clinic.name}:",
            "",
            f"  arriving on {trip.outbound.isoformat()}",
            f"  leaving on {trip.home.isoformat()}",
            "",
            f"Please send us an invitation letter for the visa for these dates, for {party}.",
            "Reply to this email with anything else the letter needs (such as passport",
            "details); we will send it to you securely.",
            "",
            "With thanks,",
            "oncoroute coordinators",
        ]
    )
    return EmailMessage(
        subject=f"Visa invitation letter: referral R-{referral}, trip {trip.number}",
        body=body,
        to=[clinic.contact_email],
        reply_to=list(settings.COORDINATOR_EMAILS),
    )


@task()
def invitation_letter_email(*, trip_id: int) -> int:
    """Send the request of `invitation_letter_request` (after its commit)."""
    trip = Trip.objects.select_related("plan__case", "plan__quote__referral__clinic").get(
        pk=trip_id
    )
    if not identity_consented(trip):
        return 0  # withdrawn between the request and its sending
    return invitation_letter_message(trip).send()
