"""Reads on the way home: a case's handover, the one its doctor at home and its patient may read
(once sent), and the discharge summary downloaded through the home doctor's link (audited)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from oncoroute.cases.models import Case
from oncoroute.privacy.audit import Action, audit_record
from oncoroute.records.models import Document
from oncoroute.referrals.home_doctor import LINK_OBJECT, home_doctor_link_open
from oncoroute.trips.handover_summary import HandoverSummary, handover_languages, patient_language
from oncoroute.trips.models import Handover


@dataclass(frozen=True)
class SentHandover:
    """A sent handover as its readers see it: the typed summary, the languages to show it in
    (the patient's first, then the clinic's), and the discharge summary document."""

    handover: Handover
    summary: HandoverSummary
    languages: list[str]
    patient_language: str
    discharge_summary: Document | None


def handover_of_case(case: Case) -> Handover | None:
    return (
        Handover.objects.select_related("plan__case", "discharge_summary", "sent_by")
        .filter(plan__case=case)
        .first()
    )


def sent_handover_of_case(case: Case) -> SentHandover | None:
    """The handover its doctor at home and its patient read: only once it was sent."""
    handover = handover_of_case(case)
    if handover is None or handover.sent_at is None:
        return None
    return SentHandover(
        handover=handover,
        summary=HandoverSummary.from_stored(handover.summary),
        languages=handover_languages(case.language),
        patient_language=patient_language(case.language),
        discharge_summary=handover.discharge_summary,
    )


def documents_for_handover(case: Case) -> QuerySet[Document]:
    """The case's documents, newest first: the discharge summary is one of them."""
    return Document.objects.filter(case=case).order_by("-created_at", "-pk")


def discharge_summary_for_link(*, token: str) -> Document | None:
    """The discharge summary of a sent handover through the home doctor's link, else None.
    Opening the link is its audited view; the download is audited too, with the link's id
    (nobody signs in, so no person is named)."""
    link = home_doctor_link_open(token=token)
    if link is None:
        return None
    sent = sent_handover_of_case(link.home_doctor.case)
    if sent is None or sent.discharge_summary is None:
        return None
    audit_record(
        actor=None,
        action=Action.DOWNLOAD,
        obj=sent.discharge_summary,
        detail={"file": "discharge_summary", "via": LINK_OBJECT, "link": link.pk},
    )
    return sent.discharge_summary
