"""Reads on the follow-up: a case's plan and check-ins, the check-ins of the outcome table and
the clinic and treatments each case was accepted for."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from oncoroute.accounts.models import User
from oncoroute.cases.models import Case
from oncoroute.followup.answers import CheckInAnswers
from oncoroute.followup.models import CheckIn, FollowUp
from oncoroute.followup.outcomes import CheckInFact, OutcomeRow, outcome_rows
from oncoroute.followup.schedule import interval_parse
from oncoroute.privacy.audit import Action, audit_record
from oncoroute.referrals.models import PLAN_SERVICES, Quote

BY_CLINIC = "clinic"
BY_TREATMENT = "treatment"


def follow_up_of(case: Case) -> FollowUp | None:
    return FollowUp.objects.filter(case=case).first()


def check_ins_of(case: Case) -> QuerySet[CheckIn]:
    """The case's check-ins in time order, cancelled ones included (the page says so)."""
    return CheckIn.objects.filter(case=case).select_related("case", "case__data_key")


def answers_of(check_in: CheckIn) -> CheckInAnswers | None:
    """The check-in's answer through its one typed reader, or None before it is answered."""
    if not check_in.is_answered:
        return None
    return CheckInAnswers.from_stored(check_in.answers)


def intervals_in_use() -> list[str]:
    """Every interval some case's schedule has, shortest first (the table's filter)."""
    codes = set(CheckIn.objects.values_list("interval", flat=True).distinct())
    return sorted(codes, key=lambda code: interval_parse(code).approx_days)


def _facts(*, interval: str, today: date) -> list[CheckInFact]:
    check_ins = (
        CheckIn.objects.filter(cancelled_at__isnull=True)
        .filter(Q(due_on__lte=today) | Q(answered_at__isnull=False))
        .select_related("case", "case__data_key")
    )
    if interval:
        check_ins = check_ins.filter(interval=interval)
    return [
        CheckInFact(check_in.case_id, check_in.interval, answers_of(check_in))
        for check_in in check_ins
    ]


def _accepted_plans(case_ids: set[int]) -> dict[int, Quote]:
    """Each case's accepted quote (the latest, should there be several), with its clinic and the
    steps of its plan."""
    quotes = (
        Quote.objects.filter(referral__case_id__in=case_ids, accepted_at__isnull=False)
        .select_related("referral__clinic", "opinion")
        .prefetch_related("opinion__items")
        .order_by("accepted_at")
    )
    return {quote.referral.case_id: quote for quote in quotes}


def _groups(plans: dict[int, Quote], by: str) -> dict[int, list[str]]:
    if by == BY_CLINIC:
        return {case_id: [quote.referral.clinic.name] for case_id, quote in plans.items()}
    return {
        case_id: sorted(
            {PLAN_SERVICES.get(item.service, item.service) for item in quote.opinion.items.all()}
        )
        for case_id, quote in plans.items()
    }


def outcome_table(
    *, user: User, by: str = BY_CLINIC, interval: str = "", today: date | None = None
) -> list[OutcomeRow]:
    """The outcome table by clinic or by treatment, for one interval or all; audited as one
    read of the table, naming the grouping and the interval."""
    audit_record(
        actor=user, action=Action.READ, object_type="followup.outcomes",
        detail={"by": by, "interval": interval},
    )  # fmt: skip
    facts = _facts(interval=interval, today=today or timezone.localdate())
    plans = _accepted_plans({fact.case_id for fact in facts})
    return outcome_rows(facts, _groups(plans, by))
