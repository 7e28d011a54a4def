"""Reads on cases: the coordinator queue, one case for a coordinator, a patient's own cases.

Every read goes through the access functions (cases.access): what is not yours is a 404, and
each fetch of a case for a page writes one audit event.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db.models import Case as Case_
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, When
from django.utils import timezone

from oncoroute.accounts.models import User
from oncoroute.cases.access import case_for
from oncoroute.cases.models import Case, CaseEvent, Message
from oncoroute.cases.workflow import CLOSED_STATES, CaseState
from oncoroute.privacy.audit import Action, audit_record
from oncoroute.privacy.keys import blind_index
from oncoroute.referrals.models import Referral
from oncoroute.referrals.workflow import AWAITING_CLINIC


@dataclass(frozen=True)
class QueueFilters:
    """What a coordinator narrowed the queue to; empty strings mean no filter."""

    state: str = ""
    urgency: str = ""
    country: str = ""
    primary_cancer: str = ""
    search: str = ""
    include_closed: bool = False
    unread_messages: bool = False


def case_queue(*, user: User, filters: QueueFilters) -> QuerySet[Case]:
    """Open cases the user may see, most urgent first; within the same priority a case with a
    referral past its deadline first (`has_overdue_referral`), then the longest waiting. Cases
    already referred to local emergency care come after all the others.

    Audited as one read of the queue, naming the filters used, never their values: a search
    is often a patient's name.
    """
    used = sorted(name for name, value in asdict(filters).items() if value)
    audit_record(
        actor=user, action=Action.READ, object_type="cases.queue", detail={"filters": used}
    )
    overdue = Referral.objects.filter(
        case=OuterRef("pk"), status__in=AWAITING_CLINIC, deadline__lt=timezone.now()
    )
    unread = Count(
        "messages",
        filter=Q(
            messages__side=Message.Side.PATIENT, messages__read_by_coordinators_at__isnull=True
        ),
    )
    cases = (
        Case.objects.visible_to(user)
        .select_related("assigned_to", "data_key")
        .annotate(
            has_overdue_referral=Exists(overdue),
            unread_messages=unread,
            # Already sent to local emergency care: after every case still waiting for us.
            parked=Case_(When(state=CaseState.REFERRED_LOCAL_CARE, then=1), default=0),
        )
        .order_by("parked", "queue_rank", "-has_overdue_referral", "created_at", "pk")
    )
    if filters.state:
        cases = cases.filter(state=filters.state)
    elif not filters.include_closed:
        cases = cases.exclude(state__in=CLOSED_STATES)
    if filters.urgency:
        cases = cases.filter(urgency=filters.urgency)
    if filters.unread_messages:
        cases = cases.filter(unread_messages__gt=0)
    if filters.country:
        cases = cases.filter(country=filters.country)
    if filters.primary_cancer:
        index = blind_index("primary_cancer", filters.primary_cancer)
        cases = cases.filter(primary_cancer_index=index)
    if term := filters.search.strip():
        cases = cases.filter(Q(reference__iexact=term) | Q(full_name__icontains=term))
    return cases


def case_for_coordinator(*, user: User, reference: str, for_write: bool = False) -> Case:
    """A case for the coordinator's pages; a write fetches it without a read event."""
    if for_write:
        return case_for(user=user, reference=reference, action=None, editable=True)
    return case_for(user=user, reference=reference)


def cases_of_patient(*, user: User) -> QuerySet[Case]:
    return Case.objects.visible_to(user).filter(patient=user).order_by("-created_at")


def case_for_patient(*, user: User, reference: str, action: str | None = Action.READ) -> Case:
    """The patient's own case; anybody else's is indistinguishable from a missing one."""
    return case_for(user=user, reference=reference, action=action, own=True)


def case_timeline(*, case: Case, for_patient: bool) -> QuerySet[CaseEvent]:
    events = case.events.select_related("actor")
    return events.filter(visible_to_patient=True) if for_patient else events


def message_thread(*, case: Case) -> QuerySet[Message]:
    """The case's messages, oldest first, with their authors."""
    return (
        case.messages.select_related("author", "warning_flagged_by")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def messages_unread(*, case: Case, side: str) -> int:
    """How many messages of the other side ``side`` has not read yet."""
    if side == Message.Side.PATIENT:
        return case.messages.filter(
            side=Message.Side.COORDINATOR, read_by_patient_at__isnull=True
        ).count()
    return case.messages.filter(
        side=Message.Side.PATIENT, read_by_coordinators_at__isnull=True
    ).count()
