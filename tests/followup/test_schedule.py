"""The check-ins' dates after the return home (plain dates), and planning them for a case:
again after a change, keeping what was answered."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from oncoroute.cases.models import Case
from oncoroute.followup.models import CheckIn, FollowUp
from oncoroute.followup.schedule import ScheduleError, add_months, check_in_dates
from oncoroute.followup.services import FollowUpRefused, followup_schedule

from .conftest import CALM


def test_the_default_schedule_is_two_and_six_weeks_three_and_six_months() -> None:
    assert check_in_dates(date(2026, 3, 2), ["2w", "6w", "3m", "6m"]) == [
        ("2w", date(2026, 3, 16)),
        ("6w", date(2026, 4, 13)),
        ("3m", date(2026, 6, 2)),
        ("6m", date(2026, 9, 2)),
    ]


def test_months_are_calendar_months_clamped_to_the_months_end() -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 8, 31), 1) == date(2026, 9, 30)


def test_the_schedule_is_put_in_time_order() -> None:
    codes = [code for code, _day in check_in_dates(date(2026, 1, 1), ["3m", "10d", "2w"])]
    assert codes == ["10d", "2w", "3m"]


@pytest.mark.parametrize(
    ("codes", "reason"),
    [
        (["2x"], "is not an interval"),
        (["0w"], "is not an interval"),
        (["-2w"], "is not an interval"),
        (["61m"], "more than five years"),
        (["2w", "14d"], "the same length"),
        ([], "at least one check-in"),
        ([" "], "at least one check-in"),
        ([f"{n}d" for n in range(1, 14)], "at most 12"),
    ],
)
def test_a_bad_schedule_is_refused_with_the_reason(codes: list[str], reason: str) -> None:
    with pytest.raises(ScheduleError, match=reason):
        check_in_dates(date(2026, 1, 1), codes)


def _check_ins(case: Case) -> list[tuple[str, date, bool]]:
    rows = CheckIn.objects.filter(case=case).order_by("due_on", "pk")
    return [(row.interval, row.due_on, row.cancelled_at is not None) for row in rows]


def test_planning_makes_one_check_in_per_interval(patient_case: Case, coordinator: Any) -> None:
    returned = date(2026, 1, 10)
    follow_up = followup_schedule(case=patient_case, returned_on=returned, actor=coordinator)
    assert follow_up.schedule == ["2w", "6w", "3m", "6m"]
    assert _check_ins(patient_case) == [
        ("2w", date(2026, 1, 24), False),
        ("6w", date(2026, 2, 21), False),
        ("3m", date(2026, 4, 10), False),
        ("6m", date(2026, 7, 10), False),
    ]
    assert patient_case.events.filter(kind="note").count() == 1


def test_replanning_keeps_answers_moves_the_rest_and_cancels_what_left_the_schedule(
    patient_case: Case, coordinator: Any
) -> None:
    from oncoroute.followup.answers import CheckInAnswers
    from oncoroute.followup.services import check_in_answer

    followup_schedule(case=patient_case, returned_on=date(2026, 1, 10), actor=coordinator)
    first = CheckIn.objects.get(case=patient_case, interval="2w")
    answers = CheckInAnswers(pain=int(CALM["pain"]), walking="aid", response="stable")
    check_in_answer(check_in=first, respondent="patient", answers=answers)

    followup_schedule(
        case=patient_case, returned_on=date(2026, 1, 12), schedule=["2w", "1m", "6m"],
        actor=coordinator,
    )  # fmt: skip
    assert _check_ins(patient_case) == [
        ("2w", date(2026, 1, 24), False),  # answered: kept on the day it was asked
        ("1m", date(2026, 2, 12), False),
        ("6w", date(2026, 2, 21), True),
        ("3m", date(2026, 4, 10), True),
        ("6m", date(2026, 7, 12), False),
    ]
    assert FollowUp.objects.get(case=patient_case).returned_on == date(2026, 1, 12)


def test_a_return_in_the_future_or_a_bad_schedule_changes_nothing(
    patient_case: Case, coordinator: Any
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(FollowUpRefused, match="cannot be in the future"):
        followup_schedule(case=patient_case, returned_on=tomorrow, actor=coordinator)
    with pytest.raises(FollowUpRefused, match="is not an interval"):
        followup_schedule(case=patient_case, returned_on=date(2026, 1, 1), schedule=["2w", "soon"])
    assert not FollowUp.objects.exists() and not CheckIn.objects.exists()
