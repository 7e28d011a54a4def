"""The patient's doctor at home: named by the patient, sent a read-only link by a coordinator,
asked whether they will follow the patient afterwards.

The link reads `<SITE_URL>/h/<token>/`: the token is 32 random bytes (`secrets.token_urlsafe`)
and only its SHA-256 is stored; the URL holds nothing else. It opens for
`HOME_DOCTOR_LINK_DAYS` days, until a coordinator revokes it, and only while the patient's
health-data consent is active. Every view through it is audited with the link's id (nobody signs
in, so no person is named).

For the accept flow: a plan may be accepted once `follow_up_settled(case)` is true, i.e. the
coordinator recorded that the home doctor agreed (`home_doctor_agreement_known`) or the patient
recorded that they will arrange their follow-up themselves (`home_doctor_waived`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case, Consent
from oncoroute.privacy.audit import Action, Outcome, audit_record
from oncoroute.referrals.models import HomeDoctor, HomeDoctorLink, Opinion, Quote

LINK_OBJECT = "referrals.homedoctorlink"


class HomeDoctorRefused(Exception):
    """A home-doctor action that cannot be done; the message says why, in plain words."""


@dataclass(frozen=True)
class IssuedLink:
    """A new link's row and its URL, which holds the token and is never stored."""

    row: HomeDoctorLink
    url: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_days() -> int:
    return int(getattr(settings, "HOME_DOCTOR_LINK_DAYS", 14))


def home_doctor_of(case: Case) -> HomeDoctor | None:
    return HomeDoctor.objects.filter(case=case).first()


@transaction.atomic
def home_doctor_name(
    *, case: Case, actor: User, name: str, email: str = "", phone: str = "", country: str = ""
) -> HomeDoctor:
    """The patient names (or renames) their doctor at home. Renaming resets what was heard back
    from the previous doctor and revokes the links sent to them."""
    name = name.strip()
    if not name or not (email.strip() or phone.strip()):
        raise HomeDoctorRefused("A home doctor needs a name and an email address or a phone.")
    doctor, created = HomeDoctor.objects.select_for_update().get_or_create(case=case)
    now = timezone.now()
    if not created and doctor.name and doctor.name != name:
        _revoke_all(doctor, actor, now)
        doctor.agreement = HomeDoctor.Agreement.UNKNOWN
        doctor.agreement_at = None
        doctor.agreement_note = ""
        doctor.agreement_by = None
    doctor.name = name[:150]
    doctor.email = email.strip()[:254]
    doctor.phone = phone.strip()[:40]
    doctor.country = country.strip().upper()[:2]
    doctor.named_at = now
    doctor.save()
    return doctor


def _revoke_all(doctor: HomeDoctor, actor: User | None, now: datetime) -> None:
    for link in doctor.links.filter(revoked_at__isnull=True):
        link.revoked_at, link.revoked_by = now, actor
        link.save(update_fields=["revoked_at", "revoked_by"])


def health_data_consented(case: Case) -> bool:
    return Consent.objects.filter(
        case=case, purpose=Consent.Purpose.HEALTH_DATA, withdrawn_at__isnull=True
    ).exists()


@transaction.atomic
def home_doctor_link_send(*, case: Case, actor: User) -> IssuedLink:
    """A new read-only link for the named doctor, emailed to them after commit (in English, and
    in Russian too when the case's language is Russian). The email is sent directly, not through
    the task queue, so the token is never written to the database."""
    doctor = home_doctor_of(case)
    if doctor is None or not doctor.is_named:
        raise HomeDoctorRefused("The patient has not named a home doctor yet.")
    if not doctor.email:
        raise HomeDoctorRefused("The home doctor has no email address to send the link to.")
    if not health_data_consented(case):
        raise HomeDoctorRefused("The patient has withdrawn their health-data consent.")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    row = HomeDoctorLink.objects.create(
        home_doctor=doctor,
        token_sha256=_digest(token),
        created_at=now,
        created_by=actor,
        expires_at=now + timedelta(days=link_days()),
    )
    audit_record(actor=actor, action=Action.SHARE, obj=row, detail={"case": case.pk})
    url = settings.SITE_URL + reverse("home_doctor_view", args=[token])
    address, language = doctor.email, case.language
    transaction.on_commit(lambda: _email(address, url, row.expires_at, language))
    return IssuedLink(row=row, url=url)


def _email(address: str, url: str, expires_at: datetime, language: str) -> int:
    """The link to the doctor: English, then Russian when the case's is Russian. The subject
    names no diagnosis, only that a patient shared a plan."""
    context = {"url": url, "expires_at": expires_at}
    languages = ["en", "ru"] if language == "ru" else ["en"]
    parts = []
    for code in languages:
        with translation.override(code):
            parts.append(render_to_string("referrals/email/home_doctor_link.txt", context))
    subject = "oncoroute: a treatment plan shared with you by your patient"
    if language == "ru":
        subject += " / план лечения вашего пациента"
    body = "\n\n----\n\n".join(parts)
    return send_mail(subject=subject, message=body, from_email=None, recipient_list=[address])


@transaction.atomic
def home_doctor_link_revoke(*, link: HomeDoctorLink, actor: User) -> HomeDoctorLink:
    """The link opens nothing from now on; revoking twice changes nothing."""
    link = HomeDoctorLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by = timezone.now(), actor
        link.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, action=Action.UPDATE, obj=link, detail={"revoked": True})
    return link


def home_doctor_link_open(*, token: str, now: datetime | None = None) -> HomeDoctorLink | None:
    """The link the token opens, else None; each call is one audited view (allowed or refused,
    with the link's id and the reason; no person, since nobody signs in)."""
    now = now or timezone.now()
    link = (
        HomeDoctorLink.objects.select_related("home_doctor__case")
        .filter(token_sha256=_digest(token))
        .first()
    )
    reason = ""
    if link is None:
        reason = "unknown"
    elif link.revoked_at is not None:
        reason = "revoked"
    elif now >= link.expires_at:
        reason = "expired"
    elif not health_data_consented(link.home_doctor.case):
        reason = "consent_withdrawn"
    object_id = str(link.pk) if link is not None else ""
    if reason:
        audit_record(
            actor=None, action=Action.DENIED, object_type=LINK_OBJECT, object_id=object_id,
            outcome=Outcome.DENIED, detail={"reason": reason},
        )  # fmt: skip
        return None
    if link is None:  # pragma: no cover - a reason is set for a missing link
        return None
    audit_record(
        actor=None, action=Action.READ, object_type=LINK_OBJECT, object_id=object_id,
        detail={"case": link.home_doctor.case_id},
    )  # fmt: skip
    HomeDoctorLink.objects.filter(pk=link.pk).update(last_viewed_at=now, views=link.views + 1)
    return link


@transaction.atomic
def home_doctor_agreement_record(
    *, case: Case, actor: User, agreement: str, note: str = "", at: datetime | None = None
) -> HomeDoctor:
    """The coordinator records whether the home doctor agreed to follow the patient afterwards
    (yes, no or not known yet), when they heard it, and a note."""
    if agreement not in HomeDoctor.Agreement.values:
        raise HomeDoctorRefused("Choose yes, no or not known yet.")
    doctor = HomeDoctor.objects.select_for_update().filter(case=case).first()
    if doctor is None or not doctor.is_named:
        raise HomeDoctorRefused("The patient has not named a home doctor yet.")
    now = timezone.now()
    at = at or now
    if at > now:
        raise HomeDoctorRefused("The answer cannot have been heard in the future.")
    doctor.agreement = agreement
    doctor.agreement_at = at
    doctor.agreement_note = note.strip()[:2000]
    doctor.agreement_by = actor
    doctor.save(update_fields=["agreement", "agreement_at", "agreement_note", "agreement_by"])
    return doctor


@transaction.atomic
def home_doctor_waived(*, case: Case, actor: User) -> HomeDoctor:
    """The patient's own choice: "I will arrange my follow-up myself", recorded with its time.
    Recording it again keeps the first time."""
    doctor, _created = HomeDoctor.objects.select_for_update().get_or_create(case=case)
    if doctor.waived_at is None:
        doctor.waived_at, doctor.waived_by = timezone.now(), actor
        doctor.save(update_fields=["waived_at", "waived_by"])
    return doctor


def home_doctor_agreement_known(case: Case) -> bool:
    """The coordinator recorded that the home doctor agreed to follow the patient."""
    return HomeDoctor.objects.filter(case=case, agreement=HomeDoctor.Agreement.YES).exists()


def home_doctor_waiver_recorded(case: Case) -> bool:
    """The patient recorded that they will arrange their follow-up themselves."""
    return HomeDoctor.objects.filter(case=case, waived_at__isnull=False).exists()


def follow_up_settled(case: Case) -> bool:
    """What accepting a plan needs: the home doctor's agreement, or the patient's waiver."""
    return home_doctor_agreement_known(case) or home_doctor_waiver_recorded(case)


def chosen_opinions(case: Case) -> QuerySet[Opinion]:
    """What the home doctor reads: the opinion of the accepted quote when the patient accepted
    one, else every answer a coordinator released."""
    opinions = Opinion.objects.select_related("referral__clinic").prefetch_related("items")
    accepted = (
        Quote.objects.filter(referral__case=case, accepted_at__isnull=False)
        .order_by("-accepted_at")
        .values_list("opinion_id", flat=True)
        .first()
    )
    if accepted is not None:
        return opinions.filter(pk=accepted)
    return opinions.filter(referral__case=case, released_at__isnull=False).order_by("released_at")


def case_links(case: Case) -> QuerySet[HomeDoctorLink]:
    return HomeDoctorLink.objects.filter(home_doctor__case=case)
