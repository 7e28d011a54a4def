"""Reads on consultations: a consultation's time as each person reads it (the patient, the
clinic's doctor, the coordinator, each in their own zone and labelled with it), its `.ics`
invitation, a clinic doctor's consultation and a case's."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import icalendar
from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case
from oncoroute.cases.timezones import shown_zone
from oncoroute.privacy.audit import audit_denied
from oncoroute.referrals.models import Consultation

# The event's status in the invitation; held and missed ones stay as they were confirmed.
ICS_STATUS = {"cancelled": "CANCELLED", "confirmed": "CONFIRMED", "held": "CONFIRMED"}


def valid_time_zone(name: str) -> bool:
    return bool(name) and name in zoneinfo.available_timezones()


def patient_time_zone(case: Case) -> str:
    """The zone the patient reads times in (see `cases.timezones.shown_zone`)."""
    return shown_zone(country=str(case.country), chosen=str(case.time_zone or ""))


def coordinator_time_zone() -> str:
    return settings.TIME_ZONE or "UTC"


@dataclass(frozen=True)
class LocalTime:
    """An instant as read in one zone, with the zone's name."""

    at: datetime
    zone: str


def local_time(consultation: Consultation, zone: str) -> LocalTime:
    return LocalTime(consultation.starts_at.astimezone(zoneinfo.ZoneInfo(zone)), zone)


def ics_invitation(consultation: Consultation, *, summary: str, description: str = "") -> bytes:
    """One VEVENT at the consultation's instant (DTSTART in UTC), its place the video link or the
    clinic's address. `summary` and `description` are the reader's: nothing else is added."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//oncoroute//consultations//EN")
    calendar.add("version", "2.0")
    cancelled = consultation.status == "cancelled"
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = icalendar.Event()
    event.add("uid", f"consultation-{consultation.pk}@oncoroute")
    event.add("sequence", consultation.sequence)
    event.add("dtstamp", datetime.now(UTC))
    start = consultation.starts_at.astimezone(UTC)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=consultation.duration_minutes))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if consultation.location:
        event.add("location", consultation.location)
    if consultation.mode == Consultation.Mode.ONLINE and consultation.video_link:
        event.add("url", consultation.video_link)
    event.add("status", ICS_STATUS.get(consultation.status, "TENTATIVE"))
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def consultation_for_doctor(*, user: User, consultation_id: int) -> Consultation:
    """One consultation of the doctor's clinic, else a 404 (and an audited refusal)."""
    consultation = (
        Consultation.objects.filter(pk=consultation_id, referral__clinic_id=user.clinic_id)
        .select_related("referral__case", "referral__clinic")
        .first()
        if user.clinic_id is not None
        else None
    )
    if consultation is None:
        audit_denied(
            actor=user, object_type="referrals.consultation", object_id=str(consultation_id)
        )
        raise Http404("No such consultation.")
    return consultation


def consultation_of_case(*, case: Case, consultation_id: int) -> Consultation:
    """One consultation of the case, else a 404."""
    consultation = case_consultations(case=case).filter(pk=consultation_id).first()
    if consultation is None:
        raise Http404("No such consultation.")
    return consultation


def case_consultations(*, case: Case) -> QuerySet[Consultation]:
    """Every consultation of a case, the soonest first, with its clinic and doctor."""
    return Consultation.objects.filter(referral__case=case).select_related(
        "referral__clinic", "referral__case", "doctor"
    )
