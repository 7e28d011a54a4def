"""Reads on cases: the coordinator queue, one case for a coordinator, a patient's own cases."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case, CaseEvent, TriageSnapshot
from oncoroute.cases.workflow import CLOSED_STATES


@dataclass(frozen=True)
class QueueFilters:
    """What a coordinator narrowed the queue to; empty strings mean no filter."""

    state: str = ""
    urgency: str = ""
    country: str = ""
    primary_cancer: str = ""
    search: str = ""
    include_closed: bool = False


def case_queue(*, filters: QueueFilters) -> QuerySet[Case]:
    """Open cases, most urgent first, then the longest waiting."""
    cases = Case.objects.select_related("assigned_to").order_by("queue_rank", "created_at", "pk")
    if filters.state:
        cases = cases.filter(state=filters.state)
    elif not filters.include_closed:
        cases = cases.exclude(state__in=CLOSED_STATES)
    if filters.urgency:
        cases = cases.filter(urgency=filters.urgency)
    if filters.country:
        cases = cases.filter(country=filters.country)
    if filters.primary_cancer:
        cases = cases.filter(primary_cancer=filters.primary_cancer)
    if term := filters.search.strip():
        cases = cases.filter(Q(reference__iexact=term) | Q(full_name__icontains=term))
    return cases


def case_for_coordinator(*, reference: str) -> Case:
    try:
        return Case.objects.select_related("assigned_to", "patient").get(reference=reference)
    except Case.DoesNotExist:
        raise Http404("No such case.") from None


def cases_of_patient(*, user: User) -> QuerySet[Case]:
    return Case.objects.filter(patient=user).order_by("-created_at")


def case_for_patient(*, user: User, reference: str) -> Case:
    """The patient's own case; anybody else's is indistinguishable from a missing one."""
    try:
        return cases_of_patient(user=user).get(reference=reference)
    except Case.DoesNotExist:
        raise Http404("No such case.") from None


def case_timeline(*, case: Case, for_patient: bool) -> QuerySet[CaseEvent]:
    events = case.events.select_related("actor")
    return events.filter(visible_to_patient=True) if for_patient else events


def case_triage_snapshots(*, case: Case) -> QuerySet[TriageSnapshot]:
    """Every triage of the case, newest first."""
    return case.triage_snapshots.select_related("recorded_by")
